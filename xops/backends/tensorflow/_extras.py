"""tensorflow kernels for the NumPy extras in xops/numpy_api/extras.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see extras/numpy.py."""
from __future__ import annotations

import contextlib

import numpy as np
import tensorflow as tf

__all__: list[str] = ["diagonal", "copy", "argwhere", "put_along_axis", "tril_indices",
                      "triu_indices", "known_true"]


def diagonal(x, offset, axis1, axis2):
    # The (axis1, axis2) plane moved last, cut to the L x L square holding the diagonal, then
    # every (L+1)-th element of its flattening: basic ops that exist for every dtype
    # (tf.linalg.diag_part lacks kernels for several integer types).
    nd = len(x.shape)
    perm = [i for i in range(nd) if i not in (axis1, axis2)] + [axis1, axis2]
    x = tf.transpose(x, perm)
    n, m = x.shape[-2], x.shape[-1]
    if offset >= 0:
        L = max(0, min(n, m - offset))
        x = x[..., :L, offset:offset + L]
    else:
        L = max(0, min(n + offset, m))
        x = x[..., -offset:-offset + L, :L]
    flat = tf.reshape(x, tf.concat([tf.shape(x)[:-2], [L * L]], 0))
    return flat[..., :: L + 1]


def copy(x, order):
    return tf.identity(x)


def argwhere(x, size, fill, idx):
    nd = len(x.shape)
    flat = tf.reshape(x, [-1]) if nd == 0 else x  # tf.where has no 0-d kernel
    mask = flat if flat.dtype == tf.bool else tf.not_equal(flat, tf.zeros([], flat.dtype))
    out = tf.cast(tf.where(mask), idx)
    if nd == 0:
        out = out[:, :0]
    if size is None:
        return out
    out = out[:size]
    return tf.pad(out, [[0, size - tf.shape(out)[0]], [0, 0]], constant_values=fill)


def put_along_axis(x, idx, values, axis):
    shape = idx.shape
    grids = tf.meshgrid(*[tf.range(s, dtype=tf.int64) for s in shape], indexing="ij")
    grids[axis] = tf.cast(idx, tf.int64)
    coords = tf.stack(grids, axis=-1)
    return tf.tensor_scatter_nd_update(x, coords, values)


def _const(pair, idx, device):
    ctx = tf.device(device) if device is not None else contextlib.nullcontext()
    with ctx:
        return tuple(tf.constant(np.asarray(i), dtype=idx) for i in pair)


def tril_indices(n, k, m, idx, device):
    # Host constants: the index set depends only on the Python ints n, k, m.
    return _const(np.tril_indices(n, k, m), idx, device)


def triu_indices(n, k, m, idx, device):
    return _const(np.triu_indices(n, k, m), idx, device)


def known_true(b):
    if not tf.executing_eagerly():
        return False
    return bool(b)

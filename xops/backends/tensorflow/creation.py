"""tensorflow kernels that make arrays: zeros/ones/full/arange/linspace/eye, triangles, index
grids, copies."""
from __future__ import annotations

import builtins
import contextlib
import math

import numpy as np
import tensorflow as tf

from . import F16, const, from64, is_tensor, on_device, to64

__all__ = ["zeros", "ones", "empty", "full", "arange", "linspace", "eye", "tril", "triu",
           "meshgrid", "from_dlpack", "copy", "tril_indices", "triu_indices"]


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    with on_device(device):
        return tf.zeros(shape, dtype)


def ones(shape, dtype, device):
    with on_device(device):
        return tf.ones(shape, dtype)


def empty(shape, dtype, device):
    with on_device(device):
        return tf.zeros(shape, dtype)


def full(shape, fill_value, dtype, device):
    with on_device(device):
        v = const(fill_value, dtype)
        if len(v.shape) == 0:
            return tf.fill(shape, v)
        return tf.broadcast_to(v, shape)


def arange(start, stop, step, dtype, device):
    # NumPy's algorithm: length ceil((stop - start) / step); values first + i * delta with
    # first = dtype(start), delta = dtype(start + step) - first, computed in the dtype (float32
    # for half types). tf.range accumulates instead, which drifts for float steps.
    n = int(builtins.max(math.ceil((stop - start) / step), 0))
    with on_device(device):
        if n == 0:
            return tf.zeros([0], dtype)
        if dtype.is_floating:
            ct = tf.float32 if dtype in F16 else dtype
        elif dtype.is_complex:
            ct = dtype
        else:
            ct = None  # integers and bool: exact in int64 (wrapping like NumPy's fill)
        if ct is None:
            first = to64(const(start, dtype)) if dtype != tf.bool else \
                tf.cast(const(start, dtype), tf.int64)
            if n == 1:
                return tf.reshape(const(start, dtype), [1])
            second = to64(const(start + step, dtype)) if dtype != tf.bool else \
                tf.cast(const(start + step, dtype), tf.int64)
            vals = first + tf.range(n, dtype=tf.int64) * (second - first)
            if dtype == tf.bool:
                return tf.cast(vals, tf.bool)
            return from64(vals, dtype)
        first = tf.cast(const(start, dtype), ct)
        if n == 1:
            return tf.cast(tf.reshape(first, [1]), dtype)
        delta = tf.cast(const(start + step, dtype), ct) - first
        vals = first + tf.cast(tf.range(n, dtype=tf.int64), ct) * delta
        return tf.cast(vals, dtype)


def linspace(start, stop, num, endpoint, dtype, device):
    # NumPy computes in float64 (complex128 for complex data), then floors for integer dtypes.
    cplx = dtype.is_complex or builtins.any(isinstance(v, complex) or
                                            (is_tensor(v) and v.dtype.is_complex)
                                            for v in (start, stop))
    ct = tf.complex128 if cplx else tf.float64
    div = (num - 1) if endpoint else num
    with on_device(device):
        s = const(start, ct)
        e = const(stop, ct)
        delta = e - s
        y = tf.cast(tf.range(num, dtype=tf.int64), ct)
        if div > 0:
            step = delta / tf.constant(div, ct)
            zero_step = tf.math.equal(step, tf.zeros([], ct))
            y = tf.where(zero_step, y / tf.constant(div, ct) * delta, y * step)
        else:
            y = y * delta
        y = y + s
        if endpoint and num > 1:
            y = tf.concat([y[:-1], tf.reshape(e, [1])], 0)
        if dtype.is_integer:
            y = tf.math.floor(y)
        if cplx and not dtype.is_complex:
            y = tf.math.real(y)
        return tf.cast(y, dtype)


def eye(n, m, k, dtype, device):
    with on_device(device):
        rows = tf.range(n)[:, None]
        cols = tf.range(m)[None, :]
        return tf.cast(tf.math.equal(cols - rows, k), dtype)


def _tri_mask(x, k, lower):
    shape = tf.shape(x)
    rows = tf.range(shape[-2])[:, None]
    cols = tf.range(shape[-1])[None, :]
    return (cols - rows <= k) if lower else (cols - rows >= k)


def tril(x, k=0):
    return tf.where(_tri_mask(x, k, True), x, tf.zeros([], x.dtype))


def triu(x, k=0):
    return tf.where(_tri_mask(x, k, False), x, tf.zeros([], x.dtype))


def meshgrid(arrays, indexing):
    # tf.meshgrid multiplies by ones (no bool); reshape + broadcast works for every dtype.
    arrays = [tf.convert_to_tensor(a) for a in arrays]
    n = len(arrays)
    if n == 0:
        return []
    sizes = [tf.shape(a)[0] for a in arrays]
    pos = list(range(n))
    if indexing == "xy" and n >= 2:
        pos[0], pos[1] = 1, 0
    out_shape = [None] * n
    for i, p in enumerate(pos):
        out_shape[p] = sizes[i]
    out_shape = tf.stack(out_shape)
    out = []
    for i, a in enumerate(arrays):
        shp = [1] * n
        shp[pos[i]] = -1
        out.append(tf.broadcast_to(tf.reshape(a, shp), out_shape))
    return out


def from_dlpack(x, device, copy):
    if isinstance(x, (tf.Tensor, tf.Variable)):
        out = tf.convert_to_tensor(x)
        return tf.identity(out) if copy else out
    if device is not None:
        raise ValueError("from_dlpack: the tensorflow backend takes the device of the source "
                         "(device= is not supported)")
    out = tf.experimental.dlpack.from_dlpack(x.__dlpack__())
    return tf.identity(out) if copy else out


def copy(x, order):
    return tf.identity(x)


def _index_pair(pair, idx, device):
    ctx = tf.device(device) if device is not None else contextlib.nullcontext()
    with ctx:
        return tuple(tf.constant(np.asarray(i), dtype=idx) for i in pair)


def tril_indices(n, k, m, idx, device):
    # Host constants: the index set depends only on the Python ints n, k, m.
    return _index_pair(np.tril_indices(n, k, m), idx, device)


def triu_indices(n, k, m, idx, device):
    return _index_pair(np.triu_indices(n, k, m), idx, device)

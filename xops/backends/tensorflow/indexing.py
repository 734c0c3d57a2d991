"""tensorflow kernels that select or order elements: where, take, sort, nonzero, searchsorted,
interp, ..."""
from __future__ import annotations

import contextlib
import math

import tensorflow as tf

from .. import _common
from . import F16

R = tf.raw_ops


__all__ = ["where", "take", "take_along_axis", "sort", "argsort", "nonzero", "searchsorted",
           "diagonal", "argwhere", "put_along_axis", "interp"]


# --- indexing, sorting, products ----------------------------------------------------------------
def where(condition, x1, x2):
    # SelectV2 broadcasts and takes every dtype, bool branches included (raw: ~15% faster
    # than tf.where)
    return R.SelectV2(condition=condition, t=x1, e=x2)


def _index(indices, n):
    """Indices as int32/int64 with negative ones counted from the end (NumPy's take)."""
    if indices.dtype.is_unsigned:
        return tf.cast(indices, tf.int64)
    if indices.dtype not in (tf.int32, tf.int64):
        indices = tf.cast(indices, tf.int64)
    n = tf.cast(n, indices.dtype)
    return tf.where(indices < tf.zeros([], indices.dtype), indices + n, indices)


@contextlib.contextmanager
def _index_error(name):
    """Eagerly, tf raises InvalidArgumentError for an out-of-range gather index; xops raises
    IndexError as NumPy does (under tf.function the result for such indices is unspecified: XLA
    clamps them)."""
    try:
        yield
    except tf.errors.InvalidArgumentError as e:
        raise IndexError(f"xops.numpy.{name}: {e.message.splitlines()[0]}") from None


def take(x, indices, axis):
    with _index_error("take"):
        return tf.gather(x, _index(indices, tf.shape(x, out_type=tf.int64)[axis]), axis=axis)


def take_along_axis(x, indices, axis):
    with _index_error("take_along_axis"):
        return _take_along_axis(x, indices, axis)


def _take_along_axis(x, indices, axis):
    nd = len(x.shape)
    idx = _index(indices, tf.shape(x, out_type=tf.int64)[axis])
    # Broadcast the other axes against each other (NumPy does), keeping each own axis length.
    sx, si = x.shape.as_list(), idx.shape.as_list()
    if not (None not in sx and None not in si and
            sx[:axis] + sx[axis + 1:] == si[:axis] + si[axis + 1:]):
        dx, di = tf.shape(x), tf.shape(idx, out_type=tf.int32)
        one = tf.ones([1], tf.int32)
        b = tf.broadcast_dynamic_shape(tf.concat([dx[:axis], one, dx[axis + 1:]], 0),
                                       tf.concat([di[:axis], one, di[axis + 1:]], 0))
        x = tf.broadcast_to(x, tf.concat([b[:axis], dx[axis:axis + 1], b[axis + 1:]], 0))
        idx = tf.broadcast_to(idx, tf.concat([b[:axis], di[axis:axis + 1], b[axis + 1:]], 0))
    if axis == nd - 1:
        return tf.gather(x, idx, axis=axis, batch_dims=nd - 1)
    perm = [i for i in range(nd) if i != axis] + [axis]
    inv = [0] * nd
    for i, p in enumerate(perm):
        inv[p] = i
    out = tf.gather(tf.transpose(x, perm), tf.transpose(idx, perm), axis=nd - 1,
                    batch_dims=nd - 1)
    return tf.transpose(out, inv)


_NARROW = (tf.bool, tf.int8, tf.int16, tf.uint8, tf.uint16)


def _sort_key(x):
    """An int32/int64 tensor ordered exactly as NumPy sorts ``x`` (-0.0 == 0.0, NaN last)."""
    dt = x.dtype
    if dt in _NARROW:
        return tf.cast(x, tf.int32)
    if dt == tf.uint32:
        return tf.cast(x, tf.int64)
    if dt == tf.uint64:
        return tf.bitcast(tf.bitwise.bitwise_xor(x, tf.constant(1 << 63, tf.uint64)), tf.int64)
    if dt.is_integer:
        return x
    if dt in F16:
        x = tf.cast(x, tf.float32)  # exact
    it = tf.int64 if x.dtype == tf.float64 else tf.int32
    zero = tf.zeros([], x.dtype)
    x = tf.where(tf.math.equal(x, zero), zero, x)  # -0.0 sorts with 0.0
    x = tf.where(tf.math.is_nan(x), tf.constant(math.nan, x.dtype), x)  # one positive NaN
    bits = tf.bitcast(x, it)
    mag = tf.constant((1 << (it.size * 8 - 1)) - 1, it)
    # sign-magnitude -> two's complement order: negative floats reverse their magnitude bits
    return tf.where(bits < tf.zeros([], it), tf.bitwise.bitwise_xor(bits, mag), bits)


def _argsort_last(x, descending):
    """Stable argsort along the last axis (tf.math.top_k keeps ties in index order)."""
    key = _sort_key(x)
    if not descending:
        key = tf.bitwise.invert(key)  # order-reversing without overflow (~k = -k - 1)
    n = x.shape[-1]
    if n is None:
        n = tf.shape(x)[-1]
    return tf.math.top_k(key, n, sorted=True).indices


def _to_last(x, axis):
    nd = len(x.shape)
    if axis == nd - 1:
        return x, None
    perm = [i for i in range(nd) if i != axis] + [axis]
    inv = [0] * nd
    for i, p in enumerate(perm):
        inv[p] = i
    return tf.transpose(x, perm), inv


def sort(x, axis, descending):
    xt, inv = _to_last(x, axis)
    i = _argsort_last(xt, descending)
    out = tf.gather(xt, i, axis=len(x.shape) - 1, batch_dims=len(x.shape) - 1)
    return out if inv is None else tf.transpose(out, inv)


def argsort(x, axis, descending, idx):
    xt, inv = _to_last(x, axis)
    out = tf.cast(_argsort_last(xt, descending), idx)
    return out if inv is None else tf.transpose(out, inv)


def nonzero(x, idx, size, fill_value):
    if x.dtype != tf.bool:
        x = tf.not_equal(x, tf.zeros((), x.dtype))
    coords = tf.cast(tf.where(x), idx)  # (count, ndim)
    if size is not None:
        n = tf.shape(coords)[0]
        coords = coords[:size]
        pad = tf.fill([tf.maximum(size - n, 0), tf.rank(x)],
                      tf.constant(0 if fill_value is None else fill_value, idx))
        coords = tf.concat([coords, pad], 0)
    return tuple(tf.unstack(coords, num=len(x.shape), axis=1))


# tf.searchsorted (LowerBound/UpperBound) has kernels for int32/int64 and the floats but not
# for the small or unsigned integers or bool: widen those (order-preserving); uint64 searches
# its sign-flipped int64 bits, which order as the unsigned values do.
_NATIVE_SEARCH = (tf.int32, tf.int64, tf.float16, tf.bfloat16, tf.float32, tf.float64)


def _search_key(x):
    if x.dtype == tf.uint64:
        return tf.bitwise.bitwise_xor(tf.bitcast(x, tf.int64), tf.constant(-(2 ** 63), tf.int64))
    return tf.cast(x, tf.int64)


def searchsorted(x1, x2, side, idx):
    if x1.dtype not in _NATIVE_SEARCH:
        x1, x2 = _search_key(x1), _search_key(x2)
    v = tf.reshape(x2, [1, -1])
    if not x1.dtype.is_floating:
        r = tf.searchsorted(x1[None], v, side=side, out_type=idx)
        return tf.reshape(r, tf.shape(x2))
    # As for torch: tf's binary search breaks on NaN; NumPy orders NaN after +inf.
    n = tf.shape(x1, out_type=idx)[0]
    nan1 = tf.math.is_nan(x1)
    first_nan = n - tf.reduce_sum(tf.cast(nan1, idx))
    inf = tf.constant(math.inf, x1.dtype)
    nanv = tf.math.is_nan(v)
    r = tf.searchsorted(tf.where(nan1, inf, x1)[None], tf.where(nanv, inf, v), side=side,
                        out_type=idx)
    r = tf.minimum(r, first_nan)
    r = tf.where(nanv, first_nan if side == "left" else n, r)
    return tf.reshape(r, tf.shape(x2))


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


def interp(x, xp, fp, left, right):
    """NumPy's interp: the segment [xp[j], xp[j+1]) holding x, slope * (x - xp[j]) + fp[j],
    retried from the right end when that is NaN (an infinite slope), exact at the nodes."""
    m = xp.shape[0]
    shape = tf.shape(x)
    flat = tf.reshape(x, [-1])
    j = tf.searchsorted(xp, flat, side="right") - 1
    j = tf.clip_by_value(j, 0, max(m - 2, 0))
    x0 = tf.gather(xp, j)
    y0 = tf.gather(fp, j)
    if m > 1:
        x1, y1 = tf.gather(xp, j + 1), tf.gather(fp, j + 1)
        slope = (y1 - y0) / tf.cast(x1 - x0, fp.dtype)
        r = slope * tf.cast(flat - x0, fp.dtype) + y0
        r = tf.where(_isnan(r), slope * tf.cast(flat - x1, fp.dtype) + y1, r)
        r = tf.where(_isnan(r) & tf.equal(y0, y1), y0, r)
        r = tf.where(tf.equal(flat, x0), y0, r)
    else:
        r = y0
    return tf.reshape(_common.interp_ends(tf.where, tf.equal, flat, xp, fp, r, left, right), shape)


def _isnan(r):
    if r.dtype.is_complex:
        return tf.math.is_nan(tf.math.real(r)) | tf.math.is_nan(tf.math.imag(r))
    return tf.math.is_nan(r)

"""tensorflow kernels for the Array API functions in xops/numpy_api/arrayapi.py. Every kernel
name is listed in ``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import math

import tensorflow as tf

__all__ = ["nextafter", "nonzero", "searchsorted", "unstack", "from_dlpack"]

_HALF = {tf.float16: tf.int16, tf.bfloat16: tf.int16}


def nextafter(x1, x2):
    shape = tf.broadcast_dynamic_shape(tf.shape(x1), tf.shape(x2))
    x1, x2 = tf.broadcast_to(x1, shape), tf.broadcast_to(x2, shape)
    bits = _HALF.get(x1.dtype)
    if bits is None:
        return tf.math.nextafter(x1, x2)
    # tf's NextAfter has float32/float64 kernels only, and rounding a float32 answer is wrong
    # for 16-bit floats: step the IEEE bit pattern instead (raw bits read as a signed int grow
    # with the magnitude for either sign).
    b = tf.bitcast(x1, bits)
    one = tf.ones((), bits)
    up = tf.equal(tf.less(x1, x2), tf.greater(x1, tf.zeros((), x1.dtype)))
    stepped = tf.bitcast(tf.where(up, b + one, b - one), x1.dtype)
    tiny_bits = tf.where(tf.math.less(x2, tf.zeros((), x2.dtype)),
                         tf.constant(-32767, bits), one)  # 0x8001: -smallest subnormal
    tiny = tf.bitcast(tiny_bits, x1.dtype)
    out = tf.where(tf.equal(x1, tf.zeros((), x1.dtype)), tiny, stepped)
    out = tf.where(tf.equal(x1, x2), x2, out)
    nan = tf.math.logical_or(tf.math.is_nan(x1), tf.math.is_nan(x2))
    return tf.where(nan, tf.constant(math.nan, x1.dtype), out)


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


def unstack(x, axis):
    return tuple(tf.unstack(x, axis=axis))


def from_dlpack(x, device, copy):
    if isinstance(x, (tf.Tensor, tf.Variable)):
        out = tf.convert_to_tensor(x)
        return tf.identity(out) if copy else out
    if device is not None:
        raise ValueError("from_dlpack: the tensorflow backend takes the device of the source "
                         "(device= is not supported)")
    out = tf.experimental.dlpack.from_dlpack(x.__dlpack__())
    return tf.identity(out) if copy else out

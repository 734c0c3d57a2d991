"""tensorflow kernels of the reductions and scans (axes arrive as sorted tuples of non-negative
ints)."""
from __future__ import annotations

import builtins
import math

import tensorflow as tf

from . import COMPLEX, F16

__all__ = ["sum", "prod", "mean", "var", "std", "max", "min", "all", "any", "argmax", "argmin",
           "count_nonzero", "cumsum", "cumprod", "bincount"]


# --- reductions --------------------------------------------------------------------------------
def _ax(axis):
    return None if axis is None else list(axis)


_NARROW_INT = (tf.bool, tf.int8, tf.int16, tf.int32)
_NARROW_UINT = (tf.uint8, tf.uint16, tf.uint32)


def _acc(x):
    """Dispatch has already cast to the accumulation dtype (NumPy's, or an explicit narrow
    ``dtype=``, which must be kept); only bool, which tf cannot sum, becomes int64."""
    return tf.cast(x, tf.int64) if x.dtype == tf.bool else x


def sum(x, axis, keepdims):
    return tf.math.reduce_sum(_acc(x), _ax(axis), keepdims)


def prod(x, axis, keepdims):
    return tf.math.reduce_prod(_acc(x), _ax(axis), keepdims)


def mean(x, axis, keepdims):
    dt = x.dtype
    ax = _ax(axis)
    if dt in F16:  # accumulate halves in float32, like NumPy
        return tf.cast(tf.math.reduce_mean(tf.cast(x, tf.float32), ax, keepdims), dt)
    if dt in COMPLEX:  # part by part: tf's complex mean of nothing is 0, NumPy's nan+nanj
        return tf.complex(tf.math.reduce_mean(tf.math.real(x), ax, keepdims),
                          tf.math.reduce_mean(tf.math.imag(x), ax, keepdims))
    return tf.math.reduce_mean(x, ax, keepdims)


def _count(x, axis, dtype):
    """Number of reduced elements, a Python int when the shape is static."""
    shape = x.shape
    dims = range(len(shape)) if axis is None else axis
    static = [shape[i] for i in dims]
    if builtins.all(s is not None for s in static):
        return math.prod(static)
    dyn = tf.shape(x, out_type=tf.int64)
    return tf.cast(tf.reduce_prod(tf.gather(dyn, list(dims))), dtype)


def var(x, axis, keepdims, ddof):
    dt = x.dtype
    if dt in F16:
        return tf.cast(var(tf.cast(x, tf.float32), axis, keepdims, ddof), dt)
    ax = _ax(axis)
    dev = x - mean(x, axis, True)
    if dt in COMPLEX:
        re, im = tf.math.real(dev), tf.math.imag(dev)
        sq = re * re + im * im
    else:
        sq = dev * dev
    s = tf.math.reduce_sum(sq, ax, keepdims)
    n = _count(x, axis, s.dtype)
    if isinstance(n, int):
        # NumPy divides by max(n - ddof, 0): inf (or nan for 0/0) when nothing is left
        return s / tf.constant(builtins.max(n - ddof, 0), s.dtype)
    return s / tf.math.maximum(n - tf.constant(ddof, s.dtype), tf.zeros([], s.dtype))


def std(x, axis, keepdims, ddof):
    return tf.math.sqrt(var(x, axis, keepdims, ddof))


def _extreme(x, axis, keepdims, reduce, reduce_bool):
    dt = x.dtype
    ax = _ax(axis)
    if dt == tf.bool:
        return reduce_bool(x, ax, keepdims)
    out = reduce(x, ax, keepdims)
    if dt.is_floating:  # tf (and XLA) reductions skip NaN; NumPy propagates it
        nan = tf.math.reduce_any(tf.math.is_nan(x), ax, keepdims)
        out = tf.where(nan, tf.constant(math.nan, dt), out)
    return out


def max(x, axis, keepdims):
    return _extreme(x, axis, keepdims, tf.math.reduce_max, tf.math.reduce_any)


def min(x, axis, keepdims):
    return _extreme(x, axis, keepdims, tf.math.reduce_min, tf.math.reduce_all)


def all(x, axis, keepdims):
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_all(x, _ax(axis), keepdims)


def any(x, axis, keepdims):
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_any(x, _ax(axis), keepdims)


def _argext(x, axis, keepdims, idx, reduce):
    # First index of the extreme (tf.argmax does not promise the first on ties); the first NaN
    # counts as the extreme, as in NumPy.
    nd = len(x.shape)
    if axis is None:
        x = tf.reshape(x, [-1])
        ax = 0
    else:
        ax = axis
    if x.dtype == tf.bool:
        x = tf.cast(x, tf.int8)
    m = reduce(x, ax, keepdims=True)
    hit = tf.math.equal(x, m)
    if x.dtype.is_floating:
        isn = tf.math.is_nan(x)
        hit = tf.where(tf.math.reduce_any(isn, ax, keepdims=True), isn, hit)
    n = tf.shape(x, out_type=idx)[ax]
    iota = tf.range(n, dtype=idx)
    r = len(x.shape)
    iota = tf.reshape(iota, [1] * ax + [-1] + [1] * (r - ax - 1))
    out = tf.math.reduce_min(tf.where(hit, iota, n), ax, keepdims=keepdims)
    if axis is None and keepdims:
        out = tf.reshape(out, [1] * nd)
    return out


def argmax(x, axis, keepdims, idx):
    return _argext(x, axis, keepdims, idx, tf.math.reduce_max)


def argmin(x, axis, keepdims, idx):
    return _argext(x, axis, keepdims, idx, tf.math.reduce_min)


def count_nonzero(x, axis, keepdims, idx):
    if x.dtype != tf.bool:
        x = tf.math.not_equal(x, tf.zeros([], x.dtype))
    return tf.math.reduce_sum(tf.cast(x, idx), _ax(axis), keepdims)


# XLA has no unsigned or complex Cumsum/Cumprod: unsigned scans run in int64 (same bits mod
# 2**64), complex sums part by part, complex products as a log-depth scan of static length.
def cumsum(x, axis):
    x = _acc(x)
    dt = x.dtype
    if dt == tf.uint64:
        return tf.bitcast(tf.math.cumsum(tf.bitcast(x, tf.int64), axis), tf.uint64)
    if dt in COMPLEX:
        return tf.complex(tf.math.cumsum(tf.math.real(x), axis),
                          tf.math.cumsum(tf.math.imag(x), axis))
    return tf.math.cumsum(x, axis)


def cumprod(x, axis):
    x = _acc(x)
    dt = x.dtype
    if dt == tf.uint64:
        return tf.bitcast(tf.math.cumprod(tf.bitcast(x, tf.int64), axis), tf.uint64)
    n = x.shape[axis]
    if dt in COMPLEX and n is not None:
        nd = len(x.shape)
        s = 1
        while s < n:  # Hillis-Steele: x[i] *= x[i - s]
            head = [slice(None)] * nd
            head[axis] = slice(0, n - s)
            ones = tf.ones(tf.stack([tf.shape(x)[i] if i != axis else s for i in range(nd)]), dt)
            x = x * tf.concat([ones, x[tuple(head)]], axis)
            s *= 2
        return x
    return tf.math.cumprod(x, axis)


def bincount(x, weights, length):
    # unsorted_segment_sum drops negative segment ids: route out-of-range values there.
    seg = tf.where((x >= 0) & (x < length), x, tf.constant(-1, x.dtype))
    data = tf.ones(tf.shape(x), x.dtype) if weights is None else weights
    return tf.math.unsorted_segment_sum(data, seg, length)

"""tensorflow kernels of the signal helpers (convolve, interp, i0)."""
from __future__ import annotations
import tensorflow as tf

from .fft import _signal

__all__ = ["convolve", "interp", "i0"]


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    n = v.shape[0]
    ap = tf.pad(a, [[n - 1, n - 1]])
    vr = tf.reverse(v, [0])
    if a.dtype in (tf.float32, tf.float64):
        # conv1d is a cross-correlation over NWC input: feed the flipped kernel.
        out = tf.nn.conv1d(ap[None, :, None], vr[:, None, None], stride=1, padding="VALID")
        return out[0, :, 0]
    # Other dtypes (integers, bool, complex, half types) have no conv1d kernel on CPU: sum the
    # products of each sliding window in the input dtype (wrapping as NumPy does for integers).
    win = _signal().frame(ap, n, 1, axis=0)
    if a.dtype == tf.bool:
        return tf.reduce_any(tf.logical_and(win, vr[None, :]), axis=1)
    return tf.reduce_sum(win * vr[None, :], axis=1)


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
    lo = fp[0] if left is None else left
    hi = fp[-1] if right is None else right
    r = tf.where(flat < xp[0], lo, r)
    r = tf.where(flat > xp[-1], hi, r)
    r = tf.where(tf.equal(flat, xp[-1]), fp[-1], r)
    return tf.reshape(r, shape)


def _isnan(r):
    if r.dtype.is_complex:
        return tf.math.is_nan(tf.math.real(r)) | tf.math.is_nan(tf.math.imag(r))
    return tf.math.is_nan(r)


def i0(x):
    return tf.math.bessel_i0(x)

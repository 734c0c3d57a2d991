"""tensorflow kernels for xops.numpy.fft and the signal helpers. Every kernel name is listed in
``__all__`` (the table imports exactly those).

tf.signal transforms only the innermost 1-3 axes, takes complex input for the complex
transforms, and always scales its inverse by 1/n; these kernels move the axes inward, cast real
input to complex, crop or zero-pad to the requested lengths, transform, move the axes back and
apply the requested ``norm`` themselves.
"""
from __future__ import annotations

import math

import tensorflow as tf

__all__ = ["fft_fftn", "fft_ifftn", "fft_rfftn", "fft_irfftn", "convolve", "interp", "i0"]

_COMPLEX_OF = {tf.float16: tf.complex64, tf.bfloat16: tf.complex64, tf.float32: tf.complex64,
               tf.float64: tf.complex128}


def _signal():
    # tensorflow loads tf.signal lazily.
    return tf.signal


def _to_complex(x):
    if x.dtype.is_complex:
        return x
    return tf.cast(x, _COMPLEX_OF[x.dtype])


def _resize(x, axis, n):
    """Crop or zero-pad ``x`` to ``n`` points along ``axis`` (NumPy's rule for ``n``/``s``)."""
    m = x.shape[axis]
    if m == n:
        return x
    if n < m:
        begin = [0] * x.shape.rank
        size = [-1] * x.shape.rank
        size[axis] = n
        return tf.slice(x, begin, size)
    pads = [[0, 0]] * x.shape.rank
    pads[axis] = [0, n - m]
    return tf.pad(x, pads)


def _transpose(x, perm):
    return x if list(perm) == list(range(len(perm))) else tf.transpose(x, perm)


def _c2c(x, axes, inverse):
    """Unscaled-forward / 1/n-scaled-inverse transform over ``axes`` (tf's own convention)."""
    sig = _signal()
    fns = ({1: sig.ifft, 2: sig.ifft2d, 3: sig.ifft3d} if inverse else
           {1: sig.fft, 2: sig.fft2d, 3: sig.fft3d})
    nd = x.shape.rank
    k = len(axes)
    cur = [i for i in range(nd) if i not in axes] + list(axes)
    x = _transpose(x, cur)
    done = 0
    while done < k:
        m = min(3, k - done)
        x = fns[m](x)
        done += m
        if done < k:  # bring the next untransformed axes of the block innermost
            rot = list(range(nd - k)) + list(range(nd - m, nd)) + list(range(nd - k, nd - m))
            x = tf.transpose(x, rot)
            cur = [cur[p] for p in rot]
    return _transpose(x, [cur.index(j) for j in range(nd)])


def _scale(x, norm, n, inverse):
    # tf's inverse transforms already divide by n ('backward'); forward ones do not scale.
    if norm == "backward":
        return x
    if inverse:
        f = math.sqrt(n) if norm == "ortho" else float(n)
    else:
        f = 1.0 / math.sqrt(n) if norm == "ortho" else 1.0 / n
    return x * tf.constant(f, dtype=x.dtype)  # not tf.cast(f): that rounds via float32


def _nd(x, s, axes, inverse, norm):
    x = _to_complex(x)
    for a, n in zip(axes, s):
        x = _resize(x, a, n)
    return _scale(_c2c(x, axes, inverse), norm, math.prod(s), inverse)


def fft_fftn(x, s, axes, norm):
    return _nd(x, s, axes, False, norm)


def fft_ifftn(x, s, axes, norm):
    return _nd(x, s, axes, True, norm)


def _innermost(nd, axis):
    """Permutation moving ``axis`` last, and its inverse."""
    perm = [i for i in range(nd) if i != axis] + [axis]
    return perm, [perm.index(j) for j in range(nd)]


def fft_rfftn(x, s, axes, norm):
    nd = x.shape.rank
    for a, n in zip(axes[:-1], s[:-1]):
        x = _resize(x, a, n)
    perm, back = _innermost(nd, axes[-1])
    # rfft crops or zero-pads the innermost axis to fft_length itself.
    x = _transpose(_signal().rfft(_transpose(x, perm), fft_length=[s[-1]]), back)
    if len(axes) > 1:
        x = _c2c(x, axes[:-1], False)
    return _scale(x, norm, math.prod(s), False)


def fft_irfftn(x, s, axes, norm):
    nd = x.shape.rank
    if len(axes) > 1:
        for a, n in zip(axes[:-1], s[:-1]):
            x = _resize(x, a, n)
        x = _c2c(x, axes[:-1], True)
    perm, back = _innermost(nd, axes[-1])
    # irfft crops or zero-pads its input to fft_length // 2 + 1 points and, like NumPy,
    # ignores the imaginary parts of the zero-frequency and Nyquist terms.
    x = _transpose(_signal().irfft(_transpose(x, perm), fft_length=[s[-1]]), back)
    return _scale(x, norm, math.prod(s), True)


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

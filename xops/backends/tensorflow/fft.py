"""tensorflow kernels for xops.numpy.fft (``tf.signal``).

tf.signal transforms only the innermost 1-3 axes, takes complex input for the complex
transforms, and always scales its inverse by 1/n; these kernels move the axes inward, cast real
input to complex, crop or zero-pad to the requested lengths, transform, move the axes back and
apply the requested ``norm`` themselves.
"""
from __future__ import annotations

import math

import tensorflow as tf

from .._common import FFT_NAMES

NAMESPACE = "fft"
__all__: list[str] = list(FFT_NAMES)

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


def fftn(x, s, axes, norm):
    return _nd(x, s, axes, False, norm)


def ifftn(x, s, axes, norm):
    return _nd(x, s, axes, True, norm)


def _innermost(nd, axis):
    """Permutation moving ``axis`` last, and its inverse."""
    perm = [i for i in range(nd) if i != axis] + [axis]
    return perm, [perm.index(j) for j in range(nd)]


def rfftn(x, s, axes, norm):
    nd = x.shape.rank
    for a, n in zip(axes[:-1], s[:-1]):
        x = _resize(x, a, n)
    perm, back = _innermost(nd, axes[-1])
    # rfft crops or zero-pads the innermost axis to fft_length itself.
    x = _transpose(_signal().rfft(_transpose(x, perm), fft_length=[s[-1]]), back)
    if len(axes) > 1:
        x = _c2c(x, axes[:-1], False)
    return _scale(x, norm, math.prod(s), False)


def irfftn(x, s, axes, norm):
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

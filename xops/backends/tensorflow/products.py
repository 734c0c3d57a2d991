"""tensorflow kernels of the tensor products: matmul, tensordot, einsum, and 1-d convolution."""
from __future__ import annotations

import tensorflow as tf

from . import from64, to64
from .fft import _signal

__all__ = ["matmul", "tensordot", "einsum", "convolve"]


_MATMUL_NATIVE = (tf.int32, tf.int64, tf.float16, tf.bfloat16, tf.float32, tf.float64,
                  tf.complex64, tf.complex128)


def _wide(fn, *args):
    """Run ``fn`` natively, or in int64 for integer dtypes tf's matmul lacks (wraps like NumPy)."""
    dt = args[0].dtype
    if dt in _MATMUL_NATIVE:
        return fn(*args)
    if dt == tf.bool:
        return tf.math.not_equal(fn(*[tf.cast(a, tf.int64) for a in args]),
                                 tf.zeros([], tf.int64))
    return from64(fn(*[to64(a) for a in args]), dt)


def _matmul(a, b):
    va, vb = len(a.shape) == 1, len(b.shape) == 1
    if va:
        a = a[None, :]
    if vb:
        b = b[:, None]
    out = tf.linalg.matmul(a, b)
    if va and vb:
        return tf.reshape(out, [])
    if va:
        return tf.squeeze(out, -2)
    if vb:
        return tf.squeeze(out, -1)
    return out


def matmul(x1, x2):
    return _wide(_matmul, x1, x2)


def tensordot(a, b, axes_a, axes_b):
    return _wide(lambda p, q: tf.tensordot(p, q, [list(axes_a), list(axes_b)]), a, b)


def _explicit(subscripts: str) -> str:
    """NumPy's implicit einsum output ('...' then the labels seen once, sorted); tf's einsum
    rejects implicit mode with an ellipsis."""
    s = subscripts.replace(" ", "")
    if "->" in s:
        return s
    letters = s.replace("...", "").replace(",", "")
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return s + "->" + ("..." if "..." in s else "") + "".join(once)


def einsum(subscripts, operands):
    eq = _explicit(subscripts)
    return _wide(lambda *ops: tf.einsum(eq, *ops), *operands)


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

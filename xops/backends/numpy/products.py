"""numpy kernels of the tensor products: matmul, tensordot, einsum, and 1-d convolution."""
from __future__ import annotations

import numpy as np

from .. import _numpy_like
from . import same_dtype

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "products", "tensordot", "einsum", "convolve")


# ml_dtypes' bfloat16 has no matmul/einsum loops: NumPy answers in float32, so cast back.
def matmul_bf16(a, b):
    return same_dtype(np.matmul(a, b), a)


def tensordot(a, b, axes_a, axes_b):
    return same_dtype(np.tensordot(a, b, axes=(axes_a, axes_b)), a)


def einsum(subscripts, operands):
    return same_dtype(np.asarray(np.einsum(subscripts, *operands)), operands[0])


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    out = np.convolve(a, v)
    return out if out.dtype == a.dtype else out.astype(a.dtype)

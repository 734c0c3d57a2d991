"""jax kernels of the tensor products: matmul, tensordot, einsum, and 1-d convolution."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "products", "convolve")


def _windows_convolve(a, v):
    # Integer/bool inputs: jnp.convolve computes them in floating point (inexact for large
    # values), so sum the products of each sliding window exactly in the input dtype.
    n = v.shape[0]
    ap = jnp.pad(a, (n - 1, n - 1))
    idx = jnp.arange(a.shape[0] + n - 1)[:, None] + jnp.arange(n)[None, :]
    prod = ap[idx] * v[::-1][None, :]
    if a.dtype == jnp.bool_:
        return jnp.any(prod, axis=1)
    return jnp.sum(prod, axis=1, dtype=a.dtype)


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    if jnp.issubdtype(a.dtype, jnp.integer) or a.dtype == jnp.bool_:
        return _windows_convolve(a, v)
    # HIGHEST: the default TPU/GPU precision would round float32 products to bfloat16.
    out = jnp.convolve(a, v, mode="full", precision=jax.lax.Precision.HIGHEST)
    return out.astype(a.dtype)

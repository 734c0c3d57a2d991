"""jax kernels of the signal helpers (convolve, interp, i0)."""
from __future__ import annotations
import jax
import jax.numpy as jnp

__all__ = ["convolve", "interp", "i0"]


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


def interp(x, xp, fp, left, right):
    return jnp.interp(x, xp, fp, left=left, right=right).astype(fp.dtype)


def i0(x):
    return jax.scipy.special.i0(x).astype(x.dtype)

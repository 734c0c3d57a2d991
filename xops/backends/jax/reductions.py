"""jax kernels of the reductions and scans (axes arrive as sorted tuples of non-negative ints)."""
from __future__ import annotations

import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "reductions", "bincount")


def bincount(x, weights, length):
    # Out-of-range values are sent past the end and dropped (jit-friendly, static length).
    x = jnp.where((x >= 0) & (x < length), x, length)
    w = jnp.ones(x.shape, x.dtype) if weights is None else weights
    return jnp.zeros((length,), w.dtype).at[x].add(w, mode="drop")

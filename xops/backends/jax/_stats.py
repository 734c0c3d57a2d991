"""jax kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see stats/numpy.py."""
from __future__ import annotations

import jax.numpy as jnp

__all__: list[str] = ["bincount"]


def bincount(x, weights, length):
    # Out-of-range values are sent past the end and dropped (jit-friendly, static length).
    x = jnp.where((x >= 0) & (x < length), x, length)
    w = jnp.ones(x.shape, x.dtype) if weights is None else weights
    return jnp.zeros((length,), w.dtype).at[x].add(w, mode="drop")

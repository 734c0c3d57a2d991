"""jax kernels that make arrays: zeros/ones/full/arange/linspace/eye, triangles, index grids,
copies."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "creation", "from_dlpack", "copy", "tril_indices",
                              "triu_indices")


def from_dlpack(x, device, copy):
    if isinstance(x, jax.Array):
        return jnp.array(x, copy=True) if copy else x
    return jnp.from_dlpack(x, device=device, copy=copy)


def copy(x, order):
    return jnp.array(x, copy=True)


def _on(a, idx, device):
    a = jnp.asarray(a, dtype=idx)
    return a if device is None else jax.device_put(a, device)


def tril_indices(n, k, m, idx, device):
    return tuple(_on(i, idx, device) for i in jnp.tril_indices(n, k, m))


def triu_indices(n, k, m, idx, device):
    return tuple(_on(i, idx, device) for i in jnp.triu_indices(n, k, m))

"""jax kernels that move data without computing: reshape, transpose, concatenate, split, pad, ..."""
from __future__ import annotations

import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "manipulation", "unstack")


def unstack(x, axis):
    return tuple(jnp.moveaxis(x, axis, 0)) if x.shape[axis] else ()

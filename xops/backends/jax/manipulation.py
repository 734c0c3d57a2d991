"""jax kernels that move data without computing: reshape, transpose, concatenate, split, pad, ..."""
from __future__ import annotations

import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
_SHARED = _numpy_like.section(jnp, "manipulation")
globals().update(_SHARED)
__all__ = list(dict.fromkeys([*_SHARED, "unstack"]))


def unstack(x, axis):
    return tuple(jnp.moveaxis(x, axis, 0)) if x.shape[axis] else ()

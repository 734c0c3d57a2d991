"""numpy kernels that move data without computing: reshape, transpose, concatenate, split, pad,
..."""
from __future__ import annotations

import numpy as np

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
_SHARED = _numpy_like.section(np, "manipulation")
globals().update(_SHARED)
__all__ = list(dict.fromkeys([*_SHARED, "unstack"]))


def unstack(x, axis):
    return tuple(np.moveaxis(x, axis, 0))

"""numpy kernels that move data without computing: reshape, transpose, concatenate, split, pad,
..."""
from __future__ import annotations

import numpy as np

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "manipulation", "unstack")


def unstack(x, axis):
    return tuple(np.moveaxis(x, axis, 0))

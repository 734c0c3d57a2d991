"""numpy kernels of the reductions and scans (axes arrive as sorted tuples of non-negative ints)."""
from __future__ import annotations

import numpy as np

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "reductions", "bincount")


def bincount(x, weights, length):
    keep = (x >= 0) & (x < length)
    if weights is None:
        return np.bincount(x[keep], minlength=length)[:length].astype(x.dtype, copy=False)
    # np.bincount sums weights in float64 (more precise than the weights' own dtype).
    out = np.bincount(x[keep], weights[keep].astype(np.float64), minlength=length)[:length]
    return out.astype(weights.dtype, copy=False)

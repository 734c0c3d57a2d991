"""numpy kernels of the signal helpers (convolve, interp, i0)."""
from __future__ import annotations
import numpy as np

__all__ = ["convolve", "interp", "i0"]


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    out = np.convolve(a, v)
    return out if out.dtype == a.dtype else out.astype(a.dtype)


def interp(x, xp, fp, left, right):
    """Piecewise-linear interpolation; ``left``/``right`` None or 0-d arrays of fp's dtype.
    np.interp computes in float64 (complex128); the result keeps the promoted dtype."""
    # np.interp's complex path rejects 0-d complex arrays for left/right: pass Python scalars.
    left = None if left is None else left.item()
    right = None if right is None else right.item()
    out = np.interp(x, xp, fp, left=left, right=right)
    return out.astype(fp.dtype, copy=False)


def i0(x):
    # np.i0 evaluates the Cephes Chebyshev series in float64 and keeps float32's dtype.
    return np.asarray(np.i0(x)).astype(x.dtype, copy=False)

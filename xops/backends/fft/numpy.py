"""numpy kernels for xops.numpy.fft and the signal helpers. Every kernel name is listed in
``__all__`` (the table imports exactly those).

The fft kernels take the input already in its compute dtype, a tuple of transform lengths and a
tuple of non-negative axes (in the caller's order), and ``norm`` in backward/ortho/forward.
"""
from __future__ import annotations

import numpy as np

__all__ = ["fft_fftn", "fft_ifftn", "fft_rfftn", "fft_irfftn", "convolve", "interp", "i0"]


def fft_fftn(x, s, axes, norm):
    return np.fft.fftn(x, s=s, axes=axes, norm=norm)


def fft_ifftn(x, s, axes, norm):
    return np.fft.ifftn(x, s=s, axes=axes, norm=norm)


def fft_rfftn(x, s, axes, norm):
    return np.fft.rfftn(x, s=s, axes=axes, norm=norm)


def fft_irfftn(x, s, axes, norm):
    return np.fft.irfftn(x, s=s, axes=axes, norm=norm)


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

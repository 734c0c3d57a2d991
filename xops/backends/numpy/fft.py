"""numpy kernels for xops.numpy.fft and the signal helpers. Every kernel name is listed in
``__all__`` (the table imports exactly those).

The fft kernels take the input already in its compute dtype, a tuple of transform lengths and a
tuple of non-negative axes (in the caller's order), and ``norm`` in backward/ortho/forward.
"""
from __future__ import annotations

import numpy as np

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


def fftn(x, s, axes, norm):
    return np.fft.fftn(x, s=s, axes=axes, norm=norm)


def ifftn(x, s, axes, norm):
    return np.fft.ifftn(x, s=s, axes=axes, norm=norm)


def rfftn(x, s, axes, norm):
    return np.fft.rfftn(x, s=s, axes=axes, norm=norm)


def irfftn(x, s, axes, norm):
    return np.fft.irfftn(x, s=s, axes=axes, norm=norm)

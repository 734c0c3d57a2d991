"""numpy kernels for xops.numpy.fft. Every kernel name is listed in
``__all__`` (the table imports exactly those).

The fft kernels take the input already in its compute dtype, a tuple of transform lengths and a
tuple of non-negative axes (in the caller's order), and ``norm`` in backward/ortho/forward.
"""
from __future__ import annotations

import numpy as np

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


# np.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn = np.fft.fftn
ifftn = np.fft.ifftn
rfftn = np.fft.rfftn
irfftn = np.fft.irfftn

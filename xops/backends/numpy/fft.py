"""numpy kernels for xops.numpy.fft: np.fft's own."""
from __future__ import annotations

import numpy as np

from .._common import FFT_NAMES

NAMESPACE = "fft"
__all__: list[str] = list(FFT_NAMES)

# np.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn, ifftn, rfftn, irfftn = np.fft.fftn, np.fft.ifftn, np.fft.rfftn, np.fft.irfftn

"""torch kernels for xops.numpy.fft: torch.fft's own."""
from __future__ import annotations

import torch

from .._common import FFT_NAMES

NAMESPACE = "fft"
__all__: list[str] = list(FFT_NAMES)

# torch.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn, ifftn, rfftn, irfftn = torch.fft.fftn, torch.fft.ifftn, torch.fft.rfftn, torch.fft.irfftn

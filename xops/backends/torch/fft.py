"""torch kernels for xops.numpy.fft. Every kernel name is listed in
``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import torch

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


# torch.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn = torch.fft.fftn
ifftn = torch.fft.ifftn
rfftn = torch.fft.rfftn
irfftn = torch.fft.irfftn

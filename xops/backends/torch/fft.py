"""torch kernels for xops.numpy.fft and the signal helpers. Every kernel name is listed in
``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import torch

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


def fftn(x, s, axes, norm):
    return torch.fft.fftn(x, s=s, dim=axes, norm=norm)


def ifftn(x, s, axes, norm):
    return torch.fft.ifftn(x, s=s, dim=axes, norm=norm)


def rfftn(x, s, axes, norm):
    return torch.fft.rfftn(x, s=s, dim=axes, norm=norm)


def irfftn(x, s, axes, norm):
    return torch.fft.irfftn(x, s=s, dim=axes, norm=norm)

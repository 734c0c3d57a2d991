"""torch kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see stats/numpy.py."""
from __future__ import annotations

import torch

__all__: list[str] = ["bincount"]

def bincount(x, weights, length):
    # index_add (out of place) instead of torch.bincount: static output length (works under
    # torch.compile), differentiable in the weights.
    if length == 0:  # index_add cannot address an empty target, even with nothing to add
        dt = x.dtype if weights is None else weights.dtype
        return torch.zeros((0,), dtype=dt, device=x.device)
    keep = (x >= 0) & (x < length)
    i = torch.where(keep, x, 0).to(torch.int64)
    if weights is None:
        src = keep.to(x.dtype)
    else:
        src = torch.where(keep, weights, torch.zeros((), dtype=weights.dtype, device=x.device))
    return torch.zeros((length,), dtype=src.dtype, device=x.device).index_add(0, i, src)

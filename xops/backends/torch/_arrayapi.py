"""torch kernels for the Array API functions in xops/numpy_api/arrayapi.py. Every kernel name is
listed in ``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import math

import torch

__all__ = ["nextafter", "nonzero", "searchsorted", "unstack", "from_dlpack"]

# torch.searchsorted has no kernel for these: compute on a value-preserving wider dtype.
_SIGNED_VIEW = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}
_SEARCH_AS = {torch.bool: torch.uint8, torch.uint16: torch.int64, torch.uint32: torch.int64}


def nextafter(x1, x2):
    return torch.nextafter(x1, x2)


def nonzero(x, idx, size, fill_value):
    signed = _SIGNED_VIEW.get(x.dtype)
    if signed is not None:  # no CPU nonzero for wide unsigned: the same bits signed say the same
        x = x.view(signed)
    out = tuple(a.to(idx) for a in torch.nonzero(x, as_tuple=True))
    if size is None:
        return out
    n = out[0].shape[0]
    if n >= size:
        return tuple(a[:size] for a in out)
    pad = torch.full((size - n,), 0 if fill_value is None else fill_value, dtype=idx,
                     device=x.device)
    return tuple(torch.cat([a, pad]) for a in out)


def searchsorted(x1, x2, side, idx):
    wide = _SEARCH_AS.get(x1.dtype)
    if wide is not None:
        x1, x2 = x1.to(wide), x2.to(wide)
    elif x1.dtype is torch.uint64:  # sign-flipped bits order as the unsigned values do
        x1 = x1.view(torch.int64).bitwise_xor(-(2 ** 63))
        x2 = x2.view(torch.int64).bitwise_xor(-(2 ** 63))
    v = x2.reshape(-1)
    if not x1.is_floating_point():
        r = torch.searchsorted(x1, v, side=side)
        return r.to(idx).reshape(x2.shape)
    # torch's binary search compares with '<', which NaN breaks; NumPy orders NaN after +inf.
    # Search with NaN read as +inf, then cap at the first NaN of x1 (x1 is sorted, NaN last).
    n = x1.shape[0]
    nan1 = torch.isnan(x1)
    first_nan = n - nan1.sum()
    inf = torch.tensor(math.inf, dtype=x1.dtype, device=x1.device)
    r = torch.searchsorted(torch.where(nan1, inf, x1), torch.where(torch.isnan(v), inf, v),
                           side=side)
    r = torch.minimum(r, first_nan)
    r = torch.where(torch.isnan(v), first_nan if side == "left" else torch.full_like(r, n), r)
    return r.to(idx).reshape(x2.shape)


def unstack(x, axis):
    return tuple(torch.unbind(x, axis))


def from_dlpack(x, device, copy):
    if isinstance(x, torch.Tensor):
        return x.clone() if copy else x
    return torch.from_dlpack(x, device=device, copy=copy)

"""torch kernels for the NumPy extras in xops/numpy_api/extras.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see extras/numpy.py."""
from __future__ import annotations

import torch

__all__: list[str] = ["diagonal", "copy", "argwhere", "put_along_axis", "tril_indices",
                      "triu_indices", "known_true"]

# torch has no scatter kernels for uint16/32/64: scatter their bits as the signed type.
_SIGNED = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}


def diagonal(x, offset, axis1, axis2):
    return torch.diagonal(x, offset, axis1, axis2)


def copy(x, order):
    return x.clone()


def argwhere(x, size, fill, idx):
    s = _SIGNED.get(x.dtype)
    out = torch.argwhere(x if s is None else x.view(s)).to(idx)
    if size is None:
        return out
    n = out.shape[0]
    if n >= size:
        return out[:size]
    pad = torch.full((size - n, out.shape[1]), fill, dtype=idx, device=out.device)
    return torch.cat([out, pad])


def put_along_axis(x, idx, values, axis):
    s = _SIGNED.get(x.dtype)
    if s is not None:
        return torch.scatter(x.view(s), axis, idx.to(torch.int64), values.view(s)).view(x.dtype)
    return torch.scatter(x, axis, idx.to(torch.int64), values)


def tril_indices(n, k, m, idx, device):
    t = torch.tril_indices(n, m, offset=k, dtype=idx, device=device)
    return t[0], t[1]


def triu_indices(n, k, m, idx, device):
    t = torch.triu_indices(n, m, offset=k, dtype=idx, device=device)
    return t[0], t[1]


def known_true(b):
    if torch.compiler.is_compiling():
        return False
    try:
        return bool(b)
    except RuntimeError:  # torch.func.vmap cannot read values
        return False

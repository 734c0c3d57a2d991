"""torch kernels that make arrays: zeros/ones/full/arange/linspace/eye, triangles, index grids,
copies."""
from __future__ import annotations

import builtins
import math

import torch

from . import check_same_device
from ._uint import I64, signed_view_op

__all__ = ["zeros", "ones", "empty", "full", "arange", "linspace", "eye", "tril", "triu",
           "meshgrid", "from_dlpack", "copy", "tril_indices", "triu_indices"]


# --- creation ----------------------------------------------------------------------------------
def zeros(shape, dtype, device):
    return torch.zeros(shape, dtype=dtype, device=device)


def ones(shape, dtype, device):
    return torch.ones(shape, dtype=dtype, device=device)


def empty(shape, dtype, device):
    return torch.empty(shape, dtype=dtype, device=device)


def full(shape, fill_value, dtype, device):
    if isinstance(fill_value, torch.Tensor):
        if device is not None:
            check_same_device(fill_value, device)
        return fill_value.to(dtype).expand(shape).clone()
    return torch.full(shape, fill_value, dtype=dtype, device=device)


_ARANGE_NATIVE = frozenset({torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
                            torch.float16, torch.bfloat16, torch.float32, torch.float64})


def arange(start, stop, step, dtype, device):
    floats = isinstance(start, float) or isinstance(stop, float) or isinstance(step, float)
    if not floats and dtype in _ARANGE_NATIVE:
        if (stop - start) * step < 0:  # empty: torch raises on an inconsistent step sign
            return torch.empty(0, dtype=dtype, device=device)
        return torch.arange(start, stop, step, dtype=dtype, device=device)
    # NumPy's rule: length ceil((stop - start) / step); the values are first + i * delta with
    # first = start and delta = (start + step) - start, both taken in the result dtype.
    n = builtins.max(0, math.ceil((stop - start) / step))
    if dtype.is_floating_point or dtype.is_complex:
        first = float(start)
        delta = float(start + step) - first
        i = torch.arange(n, dtype=torch.float64, device=device)
    else:
        first = int(start)
        delta = int(start + step) - first
        i = torch.arange(n, dtype=I64, device=device)
    return (i * delta + first).to(dtype)


def linspace(start, stop, num, endpoint, dtype, device):
    # NumPy's algorithm in float64 (complex128 for complex endpoints), then floor for integer
    # dtypes and a cast.
    cplx = isinstance(start, complex) or isinstance(stop, complex) or dtype.is_complex
    work = torch.complex128 if cplx else torch.float64
    div = (num - 1) if endpoint else num
    delta = stop - start
    y = torch.arange(num, dtype=torch.float64, device=device).to(work)
    if div > 0:
        step = delta / div
        y = y / div * delta if step == 0 else y * step
    else:
        y = y * delta
    y = y + start
    if endpoint and num > 1:
        y[-1] = stop
    if not (dtype.is_floating_point or dtype.is_complex) and not cplx:
        y = y.floor()
    return y.to(dtype)


def eye(n, m, k, dtype, device):
    rows = torch.arange(n, device=device).unsqueeze(1)
    cols = torch.arange(m, device=device)
    return (cols == rows + k).to(dtype)


def tril(x, k):
    try:
        return torch.tril(x, k)
    except NotImplementedError:
        return signed_view_op(torch.tril, x, k)


def triu(x, k):
    try:
        return torch.triu(x, k)
    except NotImplementedError:
        return signed_view_op(torch.triu, x, k)


def meshgrid(arrays, indexing):
    return list(torch.meshgrid(*arrays, indexing=indexing))


def from_dlpack(x, device, copy):
    if isinstance(x, torch.Tensor):
        return x.clone() if copy else x
    return torch.from_dlpack(x, device=device, copy=copy)


def copy(x, order):
    return x.clone()


def tril_indices(n, k, m, idx, device):
    t = torch.tril_indices(n, m, offset=k, dtype=idx, device=device)
    return t[0], t[1]


def triu_indices(n, k, m, idx, device):
    t = torch.triu_indices(n, m, offset=k, dtype=idx, device=device)
    return t[0], t[1]

"""torch kernels of the tensor products: matmul, tensordot, einsum, and 1-d convolution."""
from __future__ import annotations

import torch

from ._uint import int_product

__all__ = ["matmul", "tensordot", "einsum", "convolve"]


def matmul(x1, x2):
    try:
        return x1 @ x2  # no `torch` global on this hot path: see reductions.mean
    except NotImplementedError:
        return int_product(torch.matmul, x1, x2)


def tensordot(a, b, axes_a, axes_b):
    dims = (list(axes_a), list(axes_b))
    try:
        return torch.tensordot(a, b, dims=dims)
    except NotImplementedError:
        return int_product(lambda p, q: torch.tensordot(p, q, dims=dims), a, b)


def einsum(subscripts, operands):
    try:
        r = torch.einsum(subscripts, *operands)
    except NotImplementedError:
        return int_product(lambda *ops: torch.einsum(subscripts, *ops), *operands)
    dt = operands[0].dtype
    # A pure trace/sum ('ii', 'ij->') goes through torch.sum and widens small ints to int64.
    return r if r.dtype is dt else r.to(dt)


_CONV_DTYPES = frozenset({torch.float32, torch.float64, torch.complex64, torch.complex128,
                          torch.int64})


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    n = v.shape[0]
    if a.dtype in _CONV_DTYPES:
        # conv1d is a cross-correlation: flip the kernel, pad by n-1 on both sides.
        out = torch.nn.functional.conv1d(a[None, None], v.flip(0)[None, None], padding=n - 1)
        return out[0, 0]
    # Other dtypes (narrow ints, bool, half types on CPU) have no conv1d: sum the products of
    # each sliding window in the input dtype (wrapping as NumPy does for integers).
    ap = torch.nn.functional.pad(a, (n - 1, n - 1)) if a.dtype != torch.bool else \
        torch.cat([a.new_zeros(n - 1), a, a.new_zeros(n - 1)])
    win = ap.unfold(0, n, 1)
    prod = win * v.flip(0)
    if a.dtype == torch.bool:
        return prod.any(dim=1)
    return prod.sum(dim=1, dtype=a.dtype)

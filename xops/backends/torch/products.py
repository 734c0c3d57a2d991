"""torch kernels of the tensor products: matmul, tensordot, einsum, and 1-d convolution."""
from __future__ import annotations

import torch

from ._uint import _EXACT_FLOAT, int_einsum, int_matmul

__all__ = ["matmul", "tensordot", "einsum", "convolve"]

# Integer and bool products: cuBLAS has none, so they are computed the same way on every device
# (_uint.int_matmul / int_einsum), chosen by dtype.
_MM = frozenset(_EXACT_FLOAT)


def matmul(x1, x2):
    if x1.dtype in _MM:
        return x1 @ x2  # no `torch` global on this hot path: see reductions.mean
    return int_matmul(x1, x2)


def tensordot(a, b, axes_a, axes_b):
    dims = (list(axes_a), list(axes_b))
    if a.dtype in _MM:
        return torch.tensordot(a, b, dims=dims)
    # Free axes of a, then of b; contract the paired axes (as tensordot does).
    la = "".join(chr(97 + i) for i in range(a.ndim))
    lb = [chr(97 + a.ndim + i) for i in range(b.ndim)]
    for i, j in zip(axes_a, axes_b):
        lb[j] = la[i]
    lb = "".join(lb)
    out = "".join(c for i, c in enumerate(la) if i not in axes_a) + "".join(
        c for j, c in enumerate(lb) if j not in axes_b)
    return int_einsum(f"{la},{lb}->{out}", [a, b])


def einsum(subscripts, operands):
    if operands[0].dtype not in _MM:
        return int_einsum(subscripts, operands)
    r = torch.einsum(subscripts, *operands)
    dt = operands[0].dtype
    # A pure trace/sum ('ii', 'ij->') goes through torch.sum and widens small ints to int64.
    return r if r.dtype is dt else r.to(dt)


# conv1d's dtypes on every device (cuDNN has no integer convolution).
_CONV_DTYPES = frozenset({torch.float32, torch.float64, torch.complex64, torch.complex128})


def convolve(a, v):
    """Full 1-d convolution, ``len(a) >= len(v) >= 1``, one dtype."""
    n = v.shape[0]
    if a.dtype in _CONV_DTYPES:
        # conv1d is a cross-correlation: flip the kernel, pad by n-1 on both sides.
        out = torch.nn.functional.conv1d(a[None, None], v.flip(0)[None, None], padding=n - 1)
        return out[0, 0]
    # Other dtypes (ints, bool, half types) have no conv1d everywhere: sum the products of each
    # sliding window, integers in int64 (wrapping as NumPy does), cast back.
    dt = a.dtype
    if dt is torch.bool:
        a, v = a.to(torch.uint8), v.to(torch.uint8)
    elif not a.is_floating_point():
        a, v = a.to(torch.int64), v.to(torch.int64)
    z = a.new_zeros(n - 1)
    win = torch.cat([z, a, z]).unfold(0, n, 1)
    out = (win * v.flip(0)).sum(dim=1, dtype=a.dtype)
    if dt is torch.bool:
        return out != 0
    return out if out.dtype is dt else out.to(dt)

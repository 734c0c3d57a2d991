"""torch kernels of the signal helpers (convolve, interp, i0)."""
from __future__ import annotations
import torch

__all__ = ["convolve", "interp", "i0"]


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


def interp(x, xp, fp, left, right):
    """NumPy's interp: the segment [xp[j], xp[j+1]) holding x, slope * (x - xp[j]) + fp[j],
    retried from the right end when that is NaN (an infinite slope), exact at the nodes."""
    m = xp.shape[0]
    flat = x.reshape(-1).contiguous()
    xs = xp.contiguous()
    j = (torch.searchsorted(xs, flat, right=True) - 1).clamp(0, max(m - 2, 0))
    x0 = xs[j]
    y0 = fp[j]
    if m > 1:
        x1, y1 = xs[j + 1], fp[j + 1]
        slope = (y1 - y0) / (x1 - x0).to(fp.dtype)
        r = slope * (flat - x0).to(fp.dtype) + y0
        bad = torch.isnan(r)
        r = torch.where(bad, slope * (flat - x1).to(fp.dtype) + y1, r)
        r = torch.where(torch.isnan(r) & (y0 == y1), y0, r)
        r = torch.where(flat == x0, y0, r)
    else:
        r = y0
    lo = fp[0] if left is None else left
    hi = fp[-1] if right is None else right
    r = torch.where(flat < xs[0], lo, r)
    r = torch.where(flat > xs[-1], hi, r)
    r = torch.where(flat == xs[-1], fp[-1], r)
    return r.reshape(x.shape)


def i0(x):
    return torch.special.i0(x)

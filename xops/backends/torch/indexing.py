"""torch kernels that select or order elements: where, take, sort, nonzero, searchsorted, interp,
..."""
from __future__ import annotations

import math

import torch

from .. import _common
from . import reduce_partial
from ._uint import I64, SEARCH_AS, SIGNED_VIEW, order_key
from .manipulation import flip

__all__ = ["where", "take", "take_along_axis", "sort", "argsort", "nonzero", "searchsorted",
           "diagonal", "argwhere", "put_along_axis", "interp"]


# --- indexing, sorting, products ----------------------------------------------------------------
def where(condition, x1, x2):
    sv = SIGNED_VIEW.get(x1.dtype)
    if sv is None:
        return torch.where(condition, x1, x2)
    return torch.where(condition, x1.view(sv), x2.view(sv)).view(x1.dtype)


def _index(idx):
    # torch indexes with int64/int32 only (uint8 would be a mask).
    dt = idx.dtype
    return idx if dt is I64 or dt is torch.int32 else idx.to(I64)


def in_range(name, idx, n, negative=True):
    """``idx`` checked against ``[-n, n)`` (``[0, n)`` when not ``negative``) before any
    kernel reads with it. On CUDA an out-of-range gather is a device-side assert that
    poisons the whole process, so no kernel may see one: eagerly, an IndexError naming the
    op (one host sync, on every device alike); where values cannot be read (torch.compile,
    torch.func transforms), the indices are clamped into range (docs/semantics.md:
    unspecified under jit)."""
    if idx.numel() == 0:
        return idx
    if not torch.compiler.is_compiling():
        try:
            lo, hi = (int(reduce_partial(v)) for v in torch.aminmax(idx))
        except RuntimeError:  # a torch.func batched tensor: no values to read
            pass
        else:
            low = -n if negative else 0
            if lo < low or hi >= n:
                bad = lo if lo < low else hi
                raise IndexError(f"xops.numpy.{name}: index {bad} is out of bounds for an axis "
                                 f"of size {n} (torch backend, {idx.device})")
            return idx
    if n == 0:
        raise IndexError(f"xops.numpy.{name}: cannot index an axis of size 0 (torch backend)")
    return idx.clamp(-n if negative else 0, n - 1)


def take(x, indices, axis):
    # Advanced indexing: NumPy's take shape, negative indices, IndexError when out of range.
    idx = in_range("take", _index(indices), x.shape[axis])
    sv = SIGNED_VIEW.get(x.dtype)
    if sv is None:
        return x[(slice(None),) * axis + (idx,)]
    return x.view(sv)[(slice(None),) * axis + (idx,)].view(x.dtype)


def _bshape(s, t, axis):
    return [u if i == axis else (v if u == 1 else u) for i, (u, v) in enumerate(zip(s, t))]


def take_along_axis(x, indices, axis):
    n = x.shape[axis]
    idx = in_range("take_along_axis", _index(indices), n)
    idx = (idx + n).where(idx < 0, idx)  # tensor methods on this hot path: see reductions.mean
    xs, js = list(x.shape), list(idx.shape)
    x = x.expand(_bshape(xs, js, axis))
    idx = idx.expand(_bshape(js, xs, axis))
    sv = SIGNED_VIEW.get(x.dtype)  # gather has no uint16/32/64 kernel: gather the bits
    if sv is None:
        return x.gather(axis, idx)
    return x.view(sv).gather(axis, idx).view(x.dtype)


def sort(x, axis, descending):
    key, back = order_key(x)  # uint16/32/64: a signed key with the same order
    out = torch.sort(key, dim=axis, stable=True)[0]
    if back is not None:
        out = back(out)
    # NumPy reverses the ascending sort (NaN first, equal values in reverse order).
    return flip(out, (axis,)) if descending else out


def argsort(x, axis, descending, idx):
    # torch's stable descending sort keeps ties in index order and puts NaN first, as NumPy's
    # reversed-argsort construction does.
    r = torch.argsort(order_key(x)[0], dim=axis, descending=descending, stable=True)
    return r if idx is I64 else r.to(idx)


def nonzero(x, idx, size, fill_value):
    signed = SIGNED_VIEW.get(x.dtype)
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
    wide = SEARCH_AS.get(x1.dtype)
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


def diagonal(x, offset, axis1, axis2):
    return torch.diagonal(x, offset, axis1, axis2)


def argwhere(x, size, fill, idx):
    s = SIGNED_VIEW.get(x.dtype)
    out = torch.argwhere(x if s is None else x.view(s)).to(idx)
    if size is None:
        return out
    n = out.shape[0]
    if n >= size:
        return out[:size]
    pad = torch.full((size - n, out.shape[1]), fill, dtype=idx, device=out.device)
    return torch.cat([out, pad])


def put_along_axis(x, idx, values, axis):
    # indices arrive with negatives already wrapped (xops.numpy.put_along_axis)
    idx = in_range("put_along_axis", idx.to(torch.int64), x.shape[axis], negative=False)
    s = SIGNED_VIEW.get(x.dtype)
    if s is not None:
        return torch.scatter(x.view(s), axis, idx, values.view(s)).view(x.dtype)
    return torch.scatter(x, axis, idx, values)


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
    return _common.interp_ends(torch.where, torch.eq, flat, xs, fp, r, left, right).reshape(x.shape)

"""torch kernels that move data without computing: reshape, transpose, concatenate, split, pad,
..."""
from __future__ import annotations

import builtins

import torch

from .._common import MANIPULATION_NAMES
from ._uint import I64, SIGNED_VIEW, moves_bits

__all__: list[str] = list(MANIPULATION_NAMES)

_T = torch.Tensor


# --- shape -------------------------------------------------------------------------------------
reshape = _T.reshape
transpose = _T.permute
expand_dims = _T.unsqueeze
squeeze = _T.squeeze
concatenate = torch.cat  # cat, views and copies are what CUDA has for uint16/32/64
stack = moves_bits(torch.stack)
broadcast_to = torch.broadcast_to
roll = moves_bits(_T.roll)
tile = moves_bits(_T.tile)
flip = moves_bits(_T.flip)


def split(x, starts, sizes, axis):
    if builtins.sum(sizes) == x.shape[axis]:
        return list(torch.split(x, list(sizes), axis))
    return [x.narrow(axis, s, n) for s, n in zip(starts, sizes)]


def repeat(x, repeats, axis):
    if isinstance(repeats, tuple):
        repeats = torch.tensor(repeats, dtype=I64, device=x.device)
    return _repeat_interleave(x, repeats, dim=axis)


_repeat_interleave = moves_bits(torch.repeat_interleave)


def _pad_axis(x, ax, a, b, mode):
    n = x.shape[ax]
    if mode == "edge":
        shape = list(x.shape)
        parts = []
        if a:
            shape[ax] = a
            parts.append(x.narrow(ax, 0, 1).expand(shape))
        parts.append(x)
        if b:
            shape[ax] = b
            parts.append(x.narrow(ax, n - 1, 1).expand(shape))
        return torch.cat(parts, ax)
    if mode == "reflect":
        before = flip(x.narrow(ax, 1, a), (ax,)) if a else None
        after = flip(x.narrow(ax, n - 1 - b, b), (ax,)) if b else None
    elif mode == "symmetric":
        before = flip(x.narrow(ax, 0, a), (ax,)) if a else None
        after = flip(x.narrow(ax, n - b, b), (ax,)) if b else None
    else:  # wrap
        before = x.narrow(ax, n - a, a) if a else None
        after = x.narrow(ax, 0, b) if b else None
    parts = [p for p in (before, x, after) if p is not None]
    return torch.cat(parts, ax)


def pad(x, pad_width, mode, constant_values):
    sv = SIGNED_VIEW.get(x.dtype)
    if sv is not None:  # pad the bits; the fill value as the same bits, signed
        if mode == "constant":
            c = constant_values
            if isinstance(c, torch.Tensor):
                c = c.to(x.dtype).view(sv)
            elif c >= 2 ** (8 * x.element_size() - 1):
                c -= 2 ** (8 * x.element_size())
            return _pad(x.view(sv), pad_width, mode, c).view(x.dtype)
        return _pad(x.view(sv), pad_width, mode, constant_values).view(x.dtype)
    return _pad(x, pad_width, mode, constant_values)


def _pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        if x.is_complex() and not isinstance(constant_values, torch.Tensor):
            # F.pad takes a real fill value only.
            constant_values = torch.tensor(constant_values, dtype=x.dtype, device=x.device)
        if isinstance(constant_values, torch.Tensor):
            shape = tuple(s + a + b for s, (a, b) in zip(x.shape, pad_width))
            out = constant_values.to(x.dtype).expand(shape).clone()
            out[tuple(slice(a, a + s) for s, (a, _) in zip(x.shape, pad_width))] = x
            return out
        flat = []
        for a, b in reversed(pad_width):
            flat += [a, b]
        return torch.nn.functional.pad(x, flat, value=constant_values)
    # NumPy pads axis by axis, each axis seeing the already padded earlier axes (corners).
    for ax, (a, b) in enumerate(pad_width):
        if a or b:
            x = _pad_axis(x, ax, a, b, mode)
    return x.clone() if not builtins.any(a or b for a, b in pad_width) else x


def unstack(x, axis):
    return tuple(torch.unbind(x, axis))

"""torch kernels of the reductions and scans (axes arrive as sorted tuples of non-negative ints)."""
from __future__ import annotations

import builtins

import torch

from . import INT_DTYPES
from ._uint import I64, U64, WIDE_U, u64_extreme, u64_key, uint_reduce

__all__ = ["sum", "prod", "mean", "var", "std", "max", "min", "all", "any", "argmax", "argmin",
           "count_nonzero", "cumsum", "cumprod", "bincount"]


# --- reductions --------------------------------------------------------------------------------
def _n_reduced(shape, axis):
    n = 1
    for a in (range(len(shape)) if axis is None else axis):
        n *= shape[a]
    return n


def _keep_all(r, x):
    return r.reshape((1,) * x.dim())


def sum(x, axis, keepdims):
    if axis == ():
        return x.clone()
    try:
        return x.sum(axis, keepdims, dtype=x.dtype)
    except RuntimeError as e:
        return uint_reduce(lambda t: t.sum(axis, keepdims, dtype=I64), x, e)


def _prod(x, axis, keepdims, dt):
    if axis is None:
        r = x.prod(dtype=dt)
        return _keep_all(r, x) if keepdims else r
    for a in reversed(axis):
        x = x.prod(a, keepdims, dtype=dt)
    return x


def prod(x, axis, keepdims):
    if axis == ():
        return x.clone()
    try:
        return _prod(x, axis, keepdims, x.dtype)
    except RuntimeError as e:
        return uint_reduce(lambda t: _prod(t, axis, keepdims, I64), x, e)


# Under torch.compile every module whose `torch` global a traced kernel reads costs an aliasing
# guard per call (dynamo tracks module objects): hot kernels use constants and tensor methods.
_INT_OR_BOOL = INT_DTYPES | {torch.bool}
_AMAX, _AMIN = torch.Tensor.amax, torch.Tensor.amin  # descriptors: no guard (see above)


def mean(x, axis, keepdims):
    if axis == ():
        return x.clone()
    if x.dtype in _INT_OR_BOOL:
        # An integer accumulation dtype (mean(x, dtype=int32)): NumPy sums in it, divides and
        # casts back (truncating).
        s = sum(x, axis, keepdims)
        return (s.double() / _n_reduced(tuple(x.shape), axis)).to(x.dtype)
    return x.mean(axis, keepdims)


def _var_direct(x, axis, keepdims, ddof):
    # NumPy's formula: sum(|x - mean|**2) / max(n - ddof, 0).
    n = _n_reduced(tuple(x.shape), axis)
    dev = x - (x if axis == () else x.mean(axis, True))
    sq = (dev.real.square() + dev.imag.square()) if x.is_complex() else dev.square()
    s = sq if axis == () else sq.sum(axis, keepdims)
    return s / builtins.max(n - ddof, 0)


def var(x, axis, keepdims, ddof):
    if axis == () or _n_reduced(tuple(x.shape), axis) - ddof <= 0:
        return _var_direct(x, axis, keepdims, ddof)
    return x.var(axis, correction=ddof, keepdim=keepdims)


def std(x, axis, keepdims, ddof):
    if axis == () or _n_reduced(tuple(x.shape), axis) - ddof <= 0:
        return _var_direct(x, axis, keepdims, ddof).sqrt()
    return x.std(axis, correction=ddof, keepdim=keepdims)


def _extreme(fn, x, axis, keepdims):
    """amax/amin over ``axis``; torch has no uint16/32/64 kernels: uint64 compares through a
    sign-flipped int64 view, the narrower ones through int64."""
    if axis == ():
        return x.clone()
    dims = () if axis is None else axis
    try:
        return fn(x, dims, keepdims)
    except NotImplementedError:
        if x.dtype is U64:
            return u64_extreme(fn, x, axis, keepdims)
        return fn(x.to(I64), dims, keepdims).to(x.dtype)


def max(x, axis, keepdims):
    return _extreme(_AMAX, x, axis, keepdims)


def min(x, axis, keepdims):
    return _extreme(_AMIN, x, axis, keepdims)


def all(x, axis, keepdims):
    if axis == ():
        return x.clone()
    return x.all(axis, keepdims)


def any(x, axis, keepdims):
    if axis == ():
        return x.clone()
    return x.any(axis, keepdims)


def _arg_key(x):
    dt = x.dtype
    if dt is torch.bool:
        return x.to(torch.uint8)
    if dt is U64:
        return u64_key(x)
    if dt in WIDE_U:
        return x.to(I64)
    return x


def argmax(x, axis, keepdims, idx):
    try:
        r = x.argmax(axis, keepdims)
    except RuntimeError:  # bool, uint16/32/64
        r = _arg_key(x).argmax(axis, keepdims)
    return r if idx is I64 else r.to(idx)


def argmin(x, axis, keepdims, idx):
    try:
        r = x.argmin(axis, keepdims)
    except RuntimeError:
        r = _arg_key(x).argmin(axis, keepdims)
    return r if idx is I64 else r.to(idx)


def count_nonzero(x, axis, keepdims, idx):
    if x.dtype is not torch.bool:
        x = x != 0
    if axis == ():
        return x.to(idx)
    return x.sum(axis, keepdims, dtype=idx)


def _scan(name, x, axis):
    dt = x.dtype
    try:
        return getattr(torch, name)(x, axis, dtype=dt)
    except RuntimeError as e:
        if dt is torch.bool:  # NumPy's bool add is OR, bool multiply is AND
            return getattr(torch, name)(x.to(I64), axis) != 0
        return uint_reduce(lambda t: getattr(torch, name)(t, axis, dtype=I64), x, e)


def cumsum(x, axis):
    return _scan("cumsum", x, axis)


def cumprod(x, axis):
    return _scan("cumprod", x, axis)


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

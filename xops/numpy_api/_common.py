"""Argument helpers shared by the declaration modules: static shapes and index specs, dtype
casts and kind checks, the eager truth of a condition that may be traced, and the body of
``nonzero``. Imports only dtypes.py, so every declaration module above creation.py can use it."""
from __future__ import annotations

import operator
from typing import Any, Sequence

from .. import _dtypes
from .._dispatch import PY_SCALARS, call, check_kind, dtype_arg, opname_of, resolve
from .._dtypes import DType
from ..backends import Backend
from . import dtypes as _dt

Array = Any


# --- argument checks shared by the declaration modules -------------------------------------------


def _shape(x: Array) -> tuple[int, ...]:
    return tuple(x.shape)


def _along(ax: int, sl: slice) -> tuple:
    """An index selecting ``sl`` along axis ``ax`` (native basic slicing works on every
    backend, under jit too)."""
    return (slice(None),) * ax + (sl,)


def _prod(vals: Sequence[int]) -> int:
    p = 1
    for v in vals:
        p *= v
    return p


def _backend(name: str, x: Any) -> Backend:
    """The backend of the array ``x``; a Python scalar is a TypeError."""
    be = resolve(name, x)
    if type(x) in PY_SCALARS:
        raise TypeError(f"{opname_of(name)}: expected an array, got {type(x).__name__}")
    return be


def _dtype(x: Array) -> Any:
    return resolve("dtype", x).dtype_of(x)


def _cast(x: Array, dtype: Any, name: str) -> Array:
    d = dtype_arg(name, dtype)
    return x if d is None else _dt.astype(x, d, copy=False)


def _int_index(name: str, be: Backend, x: Array) -> Array:
    d = be.dtype_of(x)
    if d.kind not in "iu":
        raise TypeError(f"{opname_of(name)}: only integer indices are accepted, got {d.name}")
    di = be.default_int
    return x if d is di else _dt.astype(x, di)


def _known_true(be: Backend, cond: Array) -> bool:
    """True when ``cond`` (a 0-d bool) is concretely true; False when false or when its value is
    not known (jax tracing, torch.compile/vmap, tf.function graphs): such checks raise eagerly and
    are skipped under tracing, where the result is then unspecified."""
    return bool(call(be, "known_true", cond))


def _reduced(be: Backend, x: Array) -> Array:
    """``x`` with a distributed array's pending partial reduction done (torch DTensor
    ``Partial`` placements, the backend's ``reduce_partial``); any other array as it is."""
    reduce_partial = getattr(be.k, "reduce_partial", None)
    return x if reduce_partial is None else reduce_partial(x)


def _host_int(be: Backend, x: Array) -> int:
    """The Python int of 0-d ``x``, the same on every rank of a distributed array (a torch
    DTensor's ``int()`` reads this rank's partial part: reduced first)."""
    return int(_reduced(be, x))


def _err(name: str, msg: str) -> str:
    return f"{opname_of(name)}: {msg}"


def _is_float(d: DType) -> bool:
    return d.kind in "fc"


def _kind_check(name: str, be: Backend, x: Array, kinds: str) -> DType:
    d = be.dtype_of(x)
    check_kind(name, d, kinds)
    return d


def _to_float(name: str, be: Backend, x: Array, dtype: Any = None) -> tuple[Array, DType]:
    """``x`` cast to ``dtype`` or, by default, its float dtype (integers and bool: the
    backend's default float)."""
    d = be.dtype_of(x)
    f = dtype_arg(name, dtype) or _dtypes.to_float(d, be.default_float)
    be.check_dtype(f, name)
    return (x if f is d else _dt.astype(x, f)), f


def _no_out(name: str, out: Any, weights: Any = None) -> None:
    if out is not None:
        raise TypeError(_err(name, "out= is not supported (xops never writes in place)"))
    if weights is not None:
        raise NotImplementedError(_err(name, "weights= is not supported yet"))


def _nonzero(x: Any, size: int | None = None, fill_value: int | None = None) -> tuple:
    """The body of ``nonzero`` (declared in indexing.py), shared with the one-argument form of
    ``where`` (declared in elementwise.py, which sits below indexing.py)."""
    be = resolve("nonzero", x)
    if type(x) in PY_SCALARS or len(x.shape) == 0:
        raise ValueError("xops.numpy.nonzero: calling nonzero on a 0-d array is not allowed; "
                         "reshape it to 1-d first")
    if size is not None:
        size = operator.index(size)
        if size < 0:
            raise ValueError(f"xops.numpy.nonzero: size must be non-negative, got {size}")
    idx = be.check_dtype(be.default_int, "nonzero")
    return tuple(call(be, "nonzero", x, idx, size, fill_value))

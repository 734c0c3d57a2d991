"""Data type functions (the Array API section of that name): ``astype``, ``result_type``,
``can_cast`` and ``isdtype`` (``finfo``/``iinfo``, the classes of ``xops._dtypes``, are registered
in ``__init__``). Imports no other declaration module."""
from __future__ import annotations

import builtins
from typing import Any

from .. import _dtypes
from .._dispatch import PY_SCALARS, _scalar_only_dtype, backend_of, call, dtype_arg, resolve
from ._registry import declare

Array = Any


@declare("dtype")
def astype(x: Array, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Array:
    """``x`` cast to ``dtype`` (C-style casts; float to int truncates toward zero). With
    ``copy=False`` an array already of ``dtype`` is returned as is.

    Args:
        x: array.
        dtype: target dtype.
        copy: always copy when True.
        device: must be None or ``x``'s device (xops never moves data implicitly).

    Returns:
        An array of ``x``'s backend.
    """
    be = resolve("astype", x)
    d = dtype_arg("astype", dtype)
    if d is None:
        raise TypeError("xops.numpy.astype: dtype is required")
    native = be.check_dtype(d, "astype")
    here = be.k.device(x)  # None: no fixed device (a jax array not committed to one)
    if device is not None and here is not None and device != here:
        raise ValueError("xops.numpy.astype: device differs from the array's device; xops never "
                         "moves data implicitly")
    if be.dtype_of(x) is d and not copy:
        return x
    return call(be, "astype", x, native, bool(copy))


def _dt(name: str, v: Any) -> Any:
    if isinstance(v, _dtypes.DType):
        return v
    # an array (a NumPy dtype object also has .shape and .dtype: ask the backend registry)
    be = None if type(v) in PY_SCALARS else backend_of(v)
    if be is not None:
        return be.dtype_of(v)
    return dtype_arg(name, v)


@declare("dtype")
def result_type(*arrays_and_dtypes: Any) -> Any:
    """The dtype xops gives when these arrays/dtypes/Python scalars meet in a binary op.

    Args:
        *arrays_and_dtypes: arrays, dtypes, or Python scalars (weak).

    Returns:
        An xops dtype.

    >>> from xops import numpy as xnp
    >>> xnp.result_type(xnp.int32, xnp.float16)
    xops.float16
    """
    be = resolve("result_type", *[a for a in arrays_and_dtypes
                                  if type(a) not in PY_SCALARS and backend_of(a) is not None])
    dts = [_dt("result_type", a) for a in arrays_and_dtypes if type(a) not in PY_SCALARS]
    if not dts:
        if not arrays_and_dtypes:
            raise ValueError("xops.numpy.result_type: at least one array or dtype is required")
        return _scalar_only_dtype(arrays_and_dtypes, be)
    d = _dtypes.result_type_of(dts)
    for a in arrays_and_dtypes:
        if type(a) in PY_SCALARS:
            d = _dtypes.weak_scalar_dtype(a, d, be.default_int, be.default_float)
    return d


@declare("dtype")
def can_cast(from_: Any, to: Any, /) -> bool:
    """True when promoting ``from_`` with ``to`` gives ``to`` (the Array API definition).

    Args:
        from_: dtype or array.
        to: dtype.

    Returns:
        bool.
    """
    a = _dt("can_cast", from_)
    b = _dt("can_cast", to)
    return _dtypes.promote_types(a, b) is b


@declare("dtype")
def isdtype(dtype: Any, kind: Any) -> bool:
    """Whether ``dtype`` is of ``kind`` (a dtype, a kind name such as 'integral', 'real
    floating', 'numeric', or a tuple of those), as the Array API defines.

    Args:
        dtype: dtype.
        kind: dtype, kind name or tuple.

    Returns:
        bool.
    """
    d = _dt("isdtype", dtype)
    if isinstance(kind, tuple):
        return builtins.any(isdtype(d, k) for k in kind)
    if isinstance(kind, str) and kind in _KINDS:
        return d.kind in _KINDS[kind]
    return d is dtype_arg("isdtype", kind)


_KINDS = {"bool": "b", "signed integer": "i", "unsigned integer": "u", "integral": "iu",
          "real floating": "f", "complex floating": "c", "numeric": "iufc"}


# finfo and iinfo are registered as they are (classes, NumPy's names)
for _cls in (_dtypes.finfo, _dtypes.iinfo):
    declare("dtype", ref=_cls.__name__)(_cls)

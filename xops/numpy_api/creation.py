"""Array creation. With no array argument the backend is ``like``'s, else the scoped default
(``xops.default_backend``), else ``XOPS_BACKEND``, else numpy. ``device=`` is passed to the
backend as given; ``*_like`` and ``like=`` create on the device of their array.

This module imports no other declaration module: the others build on ``asarray``. Array-like
arguments that are not arrays (Python scalars, nested lists) are converted with ``asarray`` onto
the backend of the array arguments (``_arrays``), as NumPy converts them with ``asarray``: they
are *strong* (``append(int8_array, 5)`` is int64, as in NumPy), except where a docstring says
they are weak (``select``'s ``default``). Creation composed of other ops (array, logspace,
geomspace, tri, vander, indices) is in creation_composite.py.
"""
from __future__ import annotations

import builtins
import operator
from typing import Any

from .. import _dtypes
from .._dispatch import (
    PY_SCALARS,
    call,
    dtype_arg,
    is_tracing,
    normalize_shape,
    opname_of,
    promote_args,
    resolve,
)
from .._dtypes import DType, bool_
from ..backends import Backend, backend_of
from ._common import _backend
from ._registry import declare

Array = Any


def _native(be: Backend, name: str, d: DType) -> Any:
    return be.check_dtype(d, name)


def _device(be: Backend, like: Any, device: Any) -> Any:
    if device is not None or like is None:
        return device
    return be.k.device(like)


def _infer(name: str, be: Backend, obj: Any) -> DType | None:
    """dtype of nested Python data: NumPy's kinds with this backend's defaults."""
    kinds: set[str] = set()
    arr: list[DType] = []

    def walk(o: Any) -> None:
        if isinstance(o, bool):
            kinds.add("b")
        elif isinstance(o, int):
            kinds.add("i")
        elif isinstance(o, float):
            kinds.add("f")
        elif isinstance(o, complex):
            kinds.add("c")
        elif isinstance(o, (list, tuple)):
            for e in o:
                walk(e)
        else:
            ob = backend_of(o)
            if ob is None:
                raise TypeError(f"{opname_of(name)}: cannot make an array from "
                                f"{type(o).__name__}")
            if ob is not be:
                raise TypeError(f"{opname_of(name)}: input holds a {ob.name} array but the target "
                                f"backend is {be.name}; use xops.convert for explicit conversion")
            arr.append(be.dtype_of(o))

    walk(obj)
    d = _dtypes.result_type_of(arr) if arr else None
    for k, default in (("c", _dtypes.to_complex(be.default_float)), ("f", be.default_float),
                       ("i", be.default_int), ("b", bool_)):
        if k in kinds:
            if d is None:
                return default
            if k == "b":
                return d
            if k == "i" and d.kind == "b":
                return default
            if k == "f" and d.kind in "biu":
                return default
            if k == "c" and d.kind != "c":
                return _dtypes.to_complex(d if d.kind == "f" else be.default_float)
            return d
    return d


@declare("creation")
def asarray(obj: Any, /, dtype: Any = None, *, device: Any = None, copy: bool | None = None,
            like: Array | None = None) -> Array:
    """Make an array of ``like``'s (or the default) backend from nested Python data, or return
    an array of that backend (cast to ``dtype`` when given). Arrays of another backend raise
    TypeError: conversion between backends is explicit (``xops.convert``).

    Args:
        obj: Python scalar, nested sequence, or an array of the target backend.
        dtype: result dtype (default: inferred; Python floats take the backend's default float).
        device: backend device.
        copy: True always copies, False never does (error if needed).
        like: array whose backend (and device) to use.

    Returns:
        A native array.

    >>> import numpy as np
    >>> from xops import numpy as xnp
    >>> xnp.asarray([1.5, 2], dtype=xnp.float32)
    array([1.5, 2. ], dtype=float32)
    """
    ob = backend_of(obj)
    be = ob if (ob is not None and like is None) else resolve("asarray", like=like, dtype=dtype)
    if ob is not None and ob is not be:
        if ob.name != "numpy":
            raise TypeError(f"xops.numpy.asarray: got a {ob.name} array but the target backend "
                            f"is {be.name}; use xops.convert(x, {be.name!r}) for explicit "
                            "conversion")
        # NumPy data are host constants: they join like='s framework and device (the mixing
        # rule, docs/semantics.md)
        from .._convert import host_constant
        obj, ob = host_constant("asarray", obj, be, like), be
    d = dtype_arg("asarray", dtype)
    if ob is None:
        if d is None:
            d = _infer("asarray", be, obj)
            if d is None:
                d = be.default_float  # empty sequence: NumPy gives float64, we give the default
        if d.kind in "iu":
            _check_ints("asarray", obj, d)
        return call(be, "asarray", obj, _native(be, "asarray", d), _device(be, like, device),
                    copy)
    native = None if d is None else _native(be, "asarray", d)
    return call(be, "asarray", obj, native, device, copy)


def _check_ints(name: str, obj: Any, d: DType) -> None:
    info = _dtypes.iinfo(d)
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (list, tuple)):
            stack.extend(o)
        elif isinstance(o, int) and not isinstance(o, bool) and not info.min <= o <= info.max:
            raise OverflowError(f"{opname_of(name)}: Python int {o} is out of range for {d.name}")


def _filled(name: str, shape: Any, dtype: Any, device: Any, like: Any, default_kind: str) -> Array:
    be = resolve(name, like=like, dtype=dtype)
    shape = normalize_shape(name, shape)
    d = dtype_arg(name, dtype) or be.default_float
    return call(be, name, shape, _native(be, name, d), _device(be, like, device))


_FILLED_ARGS = """
    Args:
        shape: int or sequence of ints.
        dtype: result dtype.
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A native array.
"""


@declare("creation", doc_args=_FILLED_ARGS)
def zeros(shape: Any, dtype: Any = None, *, device: Any = None, like: Array | None = None) -> Array:
    """Array of zeros (default dtype: the backend's default float).

    >>> from xops import numpy as xnp
    >>> xnp.zeros((2,), dtype="int32")
    array([0, 0], dtype=int32)
    """
    return _filled("zeros", shape, dtype, device, like, "f")


@declare("creation", doc_args=_FILLED_ARGS)
def ones(shape: Any, dtype: Any = None, *, device: Any = None, like: Array | None = None) -> Array:
    """Array of ones (default dtype: the backend's default float)."""
    return _filled("ones", shape, dtype, device, like, "f")


@declare("creation", doc_args=_FILLED_ARGS)
def empty(shape: Any, dtype: Any = None, *, device: Any = None, like: Array | None = None) -> Array:
    """Uninitialised array (contents unspecified; jax and tensorflow give zeros)."""
    return _filled("empty", shape, dtype, device, like, "f")


def _scalar_dtype(be: Backend, v: Any) -> DType:
    if isinstance(v, bool):
        return bool_
    if isinstance(v, int):
        return be.default_int
    if isinstance(v, float):
        return be.default_float
    if isinstance(v, complex):
        return _dtypes.to_complex(be.default_float)
    return be.dtype_of(v)


@declare("creation")
def full(shape: Any, fill_value: Any, dtype: Any = None, *, device: Any = None,
         like: Array | None = None) -> Array:
    """Array filled with ``fill_value``; default dtype from the value's kind (bool, default int,
    default float, default complex).

    Args:
        shape: int or sequence of ints.
        fill_value: Python scalar or 0-d array.
        dtype: result dtype.
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A native array.
    """
    be = resolve("full", fill_value if type(fill_value) not in PY_SCALARS else None, like=like,
                 dtype=dtype)
    shape = normalize_shape("full", shape)
    d = dtype_arg("full", dtype) or _scalar_dtype(be, fill_value)
    if isinstance(fill_value, int) and not isinstance(fill_value, bool) and d.kind in "iu":
        _check_ints("full", fill_value, d)
    return call(be, "full", shape, fill_value, _native(be, "full", d), _device(be, like, device))


def _like(name: str, x: Array, dtype: Any, device: Any) -> tuple[Backend, DType, Any]:
    be = _backend(name, x)
    d = dtype_arg(name, dtype) or be.dtype_of(x)
    return be, d, device if device is not None else be.k.device(x)


_LIKE_ARGS = """
    Args:
        x: array.
        dtype: result dtype.
        device: backend device.

    Returns:
        A native array of ``x``'s backend.
"""


def _filled_like(name: str, x: Array, dtype: Any, device: Any) -> Array:
    """The body of zeros_like, ones_like and empty_like: the kernel ``name`` without ``_like``."""
    be, d, dev = _like(name, x, dtype, device)
    native = _native(be, name, d)
    return _placed_like(be, x, lambda shape: call(be, name[:-5], shape, native, dev))


def _placed_like(be: Backend, x: Array, make: Any) -> Array:
    """``make(x.shape)``; for a distributed ``x`` (torch DTensor) the backend places the result
    like ``x`` (``placed_like``: each rank makes its local part)."""
    placed = None if is_tracing() else getattr(be.k, "placed_like", None)
    return make(tuple(x.shape)) if placed is None else placed(x, make)


@declare("creation", kernels=("zeros",), doc_args=_LIKE_ARGS)
def zeros_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """Zeros with the shape, dtype and device of ``x`` (``dtype``/``device`` override)."""
    return _filled_like("zeros_like", x, dtype, device)


@declare("creation", kernels=("ones",), doc_args=_LIKE_ARGS)
def ones_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """Ones with the shape, dtype and device of ``x``."""
    return _filled_like("ones_like", x, dtype, device)


@declare("creation", kernels=("empty",), doc_args=_LIKE_ARGS)
def empty_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """Uninitialised array with the shape, dtype and device of ``x``."""
    return _filled_like("empty_like", x, dtype, device)


@declare("creation", kernels=("full",))
def full_like(x: Array, /, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Array:
    """``fill_value`` with the shape, dtype and device of ``x``.

    Args:
        x: array.
        fill_value: Python scalar.
        dtype: result dtype.
        device: backend device.

    Returns:
        A native array of ``x``'s backend.
    """
    be, d, dev = _like("full_like", x, dtype, device)
    native = _native(be, "full_like", d)
    return _placed_like(be, x, lambda shape: call(be, "full", shape, fill_value, native, dev))


@declare("creation")
def arange(start: Any, /, stop: Any = None, step: Any = 1, *, dtype: Any = None,
           device: Any = None, like: Array | None = None) -> Array:
    """Evenly spaced values in ``[start, stop)``; integer arguments give the default integer
    dtype, any float the default float.

    Args:
        start: first value (or ``stop`` when ``stop`` is None).
        stop: end (exclusive).
        step: spacing.
        dtype: result dtype.
        device: backend device.
        like: backend/device source.

    Returns:
        A 1-d native array.
    """
    be = resolve("arange", like=like, dtype=dtype)
    if stop is None:
        start, stop = 0, start
    for v in (start, stop, step):
        if type(v) not in PY_SCALARS or isinstance(v, complex):
            raise TypeError(f"xops.numpy.arange: start, stop and step must be real Python "
                            f"scalars, got {type(v).__name__}")
    if step == 0:
        raise ValueError("xops.numpy.arange: step must not be zero")
    d = dtype_arg("arange", dtype)
    if d is None:
        d = (be.default_float if builtins.any(isinstance(v, float) for v in (start, stop, step))
             else be.default_int)
    return call(be, "arange", start, stop, step, _native(be, "arange", d),
                _device(be, like, device))


@declare("creation")
def linspace(start: Any, stop: Any, /, num: int = 50, *, endpoint: bool = True,
             dtype: Any = None, device: Any = None, like: Array | None = None) -> Array:
    """``num`` evenly spaced values from ``start`` to ``stop`` (inclusive with ``endpoint``),
    computed in the default float dtype (or ``dtype``).

    Args:
        start: real Python scalars.
        stop: real Python scalars.
        num: number of samples.
        endpoint: include ``stop``.
        dtype: result dtype.
        device: backend device.
        like: backend/device source.

    Returns:
        A 1-d native array.
    """
    be = resolve("linspace", like=like, dtype=dtype)
    num = operator.index(num)
    if num < 0:
        raise ValueError(f"xops.numpy.linspace: num must be non-negative, got {num}")
    d = dtype_arg("linspace", dtype) or (
        _dtypes.to_complex(be.default_float) if builtins.any(isinstance(v, complex)
                                                              for v in (start, stop))
        else be.default_float)
    return call(be, "linspace", start, stop, num, bool(endpoint), _native(be, "linspace", d),
                _device(be, like, device))


@declare("creation")
def eye(N: int, M: int | None = None, /, *, k: int = 0, dtype: Any = None, device: Any = None,
        like: Array | None = None) -> Array:
    """2-d array with ones on the ``k``-th diagonal.

    Args:
        N: rows.
        M: columns (default ``N``).
        k: diagonal offset.
        dtype: result dtype (default float).
        device: backend device.
        like: backend/device source.

    Returns:
        A native array of shape ``(N, M)``.
    """
    be = resolve("eye", like=like, dtype=dtype)
    N = operator.index(N)
    M = N if M is None else operator.index(M)
    d = dtype_arg("eye", dtype) or be.default_float
    return call(be, "eye", N, M, operator.index(k), _native(be, "eye", d),
                _device(be, like, device))


@declare("creation", composite=True)
def identity(n: int, dtype: Any = None, *, device: Any = None, like: Array | None = None) -> Array:
    """Square identity matrix of size ``n``.

    Args:
        n: size.
        dtype: result dtype (default float).
        device: backend device.
        like: backend/device source.

    Returns:
        A native ``(n, n)`` array.
    """
    return eye(n, dtype=dtype, device=device, like=like)


def _tri(name: str, x: Array, k: int) -> Array:
    be = resolve(name, x)
    if len(x.shape) < 2:
        raise ValueError(f"{opname_of(name)}: input must be at least 2-d, got shape "
                         f"{tuple(x.shape)}")
    return call(be, name, x, operator.index(k))


_TRI_ARGS = """
    Args:
        x: array with ndim >= 2.
        k: diagonal offset.

    Returns:
        An array of ``x``'s backend, shape and dtype.
"""


@declare("creation", doc_args=_TRI_ARGS)
def tril(x: Array, /, k: int = 0) -> Array:
    """Lower triangle of the last two axes (elements above the ``k``-th diagonal zeroed)."""
    return _tri("tril", x, k)


@declare("creation", doc_args=_TRI_ARGS)
def triu(x: Array, /, k: int = 0) -> Array:
    """Upper triangle of the last two axes (elements below the ``k``-th diagonal zeroed)."""
    return _tri("triu", x, k)


@declare("creation")
def meshgrid(*xs: Array, indexing: str = "xy") -> list[Array]:
    """Coordinate matrices from 1-d coordinate vectors (``indexing`` 'xy' or 'ij'); inputs are
    promoted to one dtype.

    Args:
        *xs: 1-d arrays of one backend.
        indexing: 'xy' (Cartesian) or 'ij' (matrix).

    Returns:
        A list of native arrays.
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"xops.numpy.meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    if not xs:
        return []
    be = resolve("meshgrid", *xs)
    arrs, _ = promote_args("meshgrid", be, xs)
    for a in arrs:
        if len(a.shape) != 1:
            raise ValueError("xops.numpy.meshgrid: inputs must be 1-d arrays")
    return list(call(be, "meshgrid", arrs, indexing))


# --- array-likes (nested Python data, scalars) next to arrays ------------------------------------


def _is_array(v: Any) -> bool:
    return v is not None and type(v) not in PY_SCALARS and backend_of(v) is not None


def _arrays(name: str, *objs: Any) -> tuple[Backend, list[Any]]:
    """The backend of the array arguments, with the array-likes among ``objs`` converted to it
    (``asarray`` with that backend's defaults, on the first array's device)."""
    arrs = [o for o in objs if _is_array(o)]
    be = resolve(name, *arrs)
    like = arrs[0] if arrs else None
    out = []
    for o in objs:
        if o is None or _is_array(o):
            out.append(o)
        elif isinstance(o, (list, tuple)) or type(o) in PY_SCALARS:
            out.append(asarray(o, like=like))
        else:
            raise TypeError(f"{opname_of(name)}: unsupported argument type "
                            f"{type(o).__module__}.{type(o).__qualname__}; pass an array of "
                            "numpy, jax, torch or tensorflow, a Python scalar or a nested list")
    return be, out


def _one(name: str, x: Any) -> tuple[Backend, Array]:
    be, (a,) = _arrays(name, x)
    return be, a


def _array(name: str, x: Any, like: Any = None) -> tuple[Backend, Array]:
    """``x`` as a native array (Python scalars and nested lists become arrays of ``like``'s or
    the default backend)."""
    if type(x) in PY_SCALARS or isinstance(x, (list, tuple)):
        be = resolve(name, like=like)
        return be, asarray(x, like=like) if like is not None else asarray(x)
    return resolve(name, x), x


# --- copies and foreign memory -------------------------------------------------------------------


@declare("creation")
def copy(a: Array, order: str = "K") -> Array:
    """A copy of ``a`` (same backend, dtype and device; torch keeps autograd history, as
    ``clone`` does). ``order`` is accepted for NumPy compatibility; layouts are the backend's.

    Args:
        a: array.
        order: 'K', 'C', 'F' or 'A' (ignored outside numpy).

    Returns:
        A native array.
    """
    be, x = _one("copy", a)
    if order not in ("K", "C", "F", "A"):
        raise ValueError(f"xops.numpy.copy: order must be one of 'K', 'C', 'F', 'A', got "
                         f"{order!r}")
    return call(be, "copy", x, order)


@declare("creation")
def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None,
                like: Array | None = None) -> Array:
    """An array of ``like``'s (or the default) backend viewing the memory of any DLPack
    producer ``x`` (another framework's array included: this is the explicit, zero-copy
    conversion the standard defines). ``copy=True`` copies; the dtype is kept exactly.

    Args:
        x: an object with ``__dlpack__`` (numpy, jax, torch, tensorflow arrays...).
        device: target device (None: ``x``'s).
        copy: None (share when possible), True, False.
        like: array whose backend to produce.

    Returns:
        A native array of the target backend.
    """
    be = resolve("from_dlpack", like=like)
    if not hasattr(x, "__dlpack__"):
        t = type(x)
        raise TypeError(f"xops.numpy.from_dlpack: x must be a DLPack producer (an object with "
                        f"__dlpack__), got {t.__module__}.{t.__qualname__}")
    try:
        out = call(be, "from_dlpack", x, device, copy)
    except BufferError as e:  # a dtype DLPack cannot carry (object, str, datetime)
        raise TypeError(f"xops.numpy.from_dlpack: x's dtype {getattr(x, 'dtype', '?')} cannot "
                        f"travel through DLPack: {e}") from e
    src = getattr(x, "dtype", None)
    if src is not None:
        try:
            want = _dtypes.canonical(src)
        except TypeError:
            raise TypeError(f"xops.numpy.from_dlpack: x has dtype {src}, which xops does not "
                            "support (no object, string or datetime dtypes)") from None
        if be.dtype_of(out) is not want:
            raise TypeError(f"xops.numpy.from_dlpack: the {be.name} backend turned {want.name} "
                            f"into {be.dtype_of(out).name}; xops never changes a dtype silently")
    return out


# --- index arrays of static shape ----------------------------------------------------------------


def _ar(be: Backend, n: int, dtype: Any = None) -> Array:
    """arange(n) on backend ``be`` (for creation functions given no ``like``)."""
    return call(be, "arange", 0, n, 1, be.check_dtype(dtype_arg("arange", dtype) or
                                                     be.default_int, "arange"), None)


def _arange(be: Backend, n: int, dtype: Any, device: Any, like: Any) -> Array:
    if like is None and device is None:
        return _ar(be, n, dtype)
    return arange(n, dtype=dtype, device=device, like=like)


_TRI_INDICES_ARGS = """
    Args:
        n: rows.
        k: diagonal offset.
        m: columns (default ``n``).
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A tuple ``(rows, cols)`` of 1-d arrays of the default integer dtype{note}.
"""


@declare("creation", doc_args=_TRI_INDICES_ARGS.format(
    note=" (NumPy: intp, i.e.\n        int64; int32 on jax without x64)"))
def tril_indices(n: int, k: int = 0, m: int | None = None, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, Array]:
    """Row and column indices of the lower triangle (at and below the ``k``-th diagonal) of an
    ``(n, m)`` array, in row-major order. Static shapes: works under jit."""
    return _tri_indices("tril_indices", n, k, m, device, like)


@declare("creation", doc_args=_TRI_INDICES_ARGS.format(note=""))
def triu_indices(n: int, k: int = 0, m: int | None = None, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, Array]:
    """Row and column indices of the upper triangle (at and above the ``k``-th diagonal) of an
    ``(n, m)`` array, in row-major order. Static shapes: works under jit."""
    return _tri_indices("triu_indices", n, k, m, device, like)


def _tri_indices(name: str, n: Any, k: Any, m: Any, device: Any, like: Any) -> tuple:
    be = resolve(name, like=like)
    n = operator.index(n)
    m = n if m is None else operator.index(m)
    if n < 0 or m < 0:
        raise ValueError(f"{opname_of(name)}: n and m must be non-negative")
    k = builtins.max(-n - 1, builtins.min(operator.index(k), m + 1))
    native = be.check_dtype(be.default_int, name)
    dev = device if device is not None or like is None else be.k.device(like)
    return tuple(call(be, name, n, k, m, native, dev))


@declare("creation", composite=True)
def diag_indices(n: int, ndim: int = 2, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, ...]:
    """Indices of the main diagonal of an ``ndim``-dimensional array of side ``n``: ``ndim``
    times ``arange(n)``.

    Args:
        n: side length.
        ndim: number of dimensions.
        device: backend device.
        like: array whose backend and device to use.

    Returns:
        A tuple of ``ndim`` 1-d arrays of the default integer dtype.
    """
    be = resolve("diag_indices", like=like)
    idx = _arange(be, operator.index(n), None, device, like)
    return (idx,) * operator.index(ndim)

"""Backend-bound Array API 2025.12 namespaces (``xops.numpy.bind("torch")``) and the inspection
object ``__array_namespace_info__``.

``xops.numpy`` follows NumPy; a bound namespace follows the standard: its signatures (``/`` and
``*`` markers, names, defaults) are the standard's, its dtype attributes are the backend's native
dtypes (``xp.float32 is torch.float32``), its creation functions make that backend's arrays, and
where NumPy and the standard disagree it does what the standard says. The functions are thin
wrappers over the xops ops (the keyword mapping is written out once here, nothing is inspected
per call); arrays stay native. See docs/array_api.md for the deviations and the array-object gaps.
"""
from __future__ import annotations

import importlib
import math
import sys
import types
from typing import Any, Callable

from .. import _dtypes
from .._dispatch import is_tracing
from ..backends import _DEFAULT, Backend, backend_of, current_default_backend, get_backend
from ..numpy_api import load_all
from ..numpy_api._registry import REGISTRY
from ._bind_special import _special_value_functions

load_all()  # a bound namespace holds every op
__all__ = ["bind", "ArrayNamespaceInfo", "BoundNamespace", "API_VERSION", "STANDARD_NAMES",
           "LINALG_NAMES", "FFT_NAMES", "__array_namespace_info__"]

API_VERSION = "2025.12"

Array = Any

_STD_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128")


_SCALARS = (bool, int, float, complex)


def _op(name: str) -> Callable:
    return REGISTRY[name].fn


# --- __array_namespace_info__ ------------------------------------------------------------------

class ArrayNamespaceInfo:
    """Array API inspection object for one backend (``xp.__array_namespace_info__()``).

    Dtypes come back as xops dtypes from ``xops.numpy.__array_namespace_info__()`` and as the
    backend's native dtypes from a bound namespace's."""

    __slots__ = ("_be", "_native")

    def __init__(self, be: Backend, native: bool) -> None:
        self._be = be
        self._native = native

    def __repr__(self) -> str:
        return f"<array namespace info: xops on {self._be.name}>"

    def _dt(self, d: _dtypes.DType) -> Any:
        return self._be.native[d] if self._native else d

    def capabilities(self) -> dict[str, Any]:
        """Optional features: boolean indexing, data-dependent shapes, max dimensions."""
        return dict(self._be.k.CAPABILITIES)

    def default_device(self) -> Any:
        """The device arrays are created on when no device is given."""
        return self._be.k.default_device()

    def devices(self) -> tuple[Any, ...]:
        """The devices this backend can place arrays on, as its ``device=`` takes them (a tuple:
        2025.12)."""
        return tuple(self._be.k.devices())

    def default_dtypes(self, *, device: Any = None) -> dict[str, Any]:
        """Default real floating, complex floating, integral and indexing dtypes (jax's follow
        its x64 switch, torch's float follows ``torch.get_default_dtype()``)."""
        be = self._be
        f, i = be.default_float, be.default_int
        return {"real floating": self._dt(f), "complex floating": self._dt(_dtypes.to_complex(f)),
                "integral": self._dt(i), "indexing": self._dt(i)}

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, Any]:
        """The standard's dtypes this backend holds now (jax without x64: no 64-bit ones),
        optionally only those of ``kind`` (as in ``isdtype``)."""
        isdtype = _op("isdtype")
        out = {}
        for name in _STD_DTYPES:
            d = _dtypes.canonical(name)
            if self._be.k.unsupported_dtype(d):
                continue
            if kind is not None and not isdtype(d, kind):
                continue
            out[name] = self._dt(d)
        return out


def __array_namespace_info__() -> ArrayNamespaceInfo:
    """Array API inspection object for ``xops.numpy``: it describes the current default backend
    (``xops.default_backend`` / ``XOPS_BACKEND``, else numpy), with xops dtypes.

    Returns:
        An ``ArrayNamespaceInfo``.
    """
    return ArrayNamespaceInfo(current_default_backend(), native=False)


# --- functions whose standard form differs from xops.numpy's (backend-independent) -------------
# Each maps the standard's keywords onto the xops op; the op dispatches on its array input.

def sum(x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Array:
    return _SUM(x, axis, dtype, keepdims=keepdims)


def prod(x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Array:
    return _PROD(x, axis, dtype, keepdims=keepdims)


def mean(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _MEAN(x, axis, keepdims=keepdims)


def max(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _MAX(x, axis, keepdims=keepdims)


def min(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _MIN(x, axis, keepdims=keepdims)


def var(x: Array, /, *, axis: Any = None, correction: float = 0.0,
        keepdims: bool = False) -> Array:
    return _VAR(x, axis, correction=correction, keepdims=keepdims)


def std(x: Array, /, *, axis: Any = None, correction: float = 0.0,
        keepdims: bool = False) -> Array:
    return _STD(x, axis, correction=correction, keepdims=keepdims)


def all(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _ALL(x, axis, keepdims=keepdims)


def any(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _ANY(x, axis, keepdims=keepdims)


def argmax(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    return _ARGMAX(x, axis, keepdims=keepdims)


def argmin(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    return _ARGMIN(x, axis, keepdims=keepdims)


def count_nonzero(x: Array, /, *, axis: Any = None, keepdims: bool = False) -> Array:
    return _COUNT_NONZERO(x, axis, keepdims=keepdims)


def sort(x: Array, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Array:
    return _SORT(x, axis, descending=descending, stable=stable)


def argsort(x: Array, /, *, axis: int = -1, descending: bool = False,
            stable: bool = True) -> Array:
    return _ARGSORT(x, axis, descending=descending, stable=stable)


def concat(arrays: Any, /, *, axis: int | None = 0) -> Array:
    return _CONCAT(arrays, axis)


def stack(arrays: Any, /, *, axis: int = 0) -> Array:
    return _STACK(arrays, axis)


def expand_dims(x: Array, /, axis: Any) -> Array:
    return _EXPAND_DIMS(x, axis)


def flip(x: Array, /, *, axis: Any = None) -> Array:
    return _FLIP(x, axis)


def permute_dims(x: Array, /, axes: Any) -> Array:
    return _TRANSPOSE(x, axes)


def repeat(x: Array, repeats: Any, /, *, axis: int | None = None) -> Array:
    be = backend_of(repeats)
    if be is not None:
        repeats = _array_repeats(be, x, repeats, axis)
    return _REPEAT(x, repeats, axis)


def _array_repeats(be: Backend, x: Array, repeats: Array, axis: int | None) -> Array:
    """The standard's checks on an array ``repeats`` (an integer dtype; shape ``()``, ``(1,)`` or
    one count per element; no negative count), cast to the default integer dtype (torch's
    repeat_interleave takes int64 counts only)."""
    d = be.dtype_of(repeats)
    if d.kind not in "iu":
        raise TypeError(f"repeat: repeats must have an integer dtype, got {d.name}")
    shape = tuple(repeats.shape)
    n = math.prod(tuple(x.shape)) if axis is None else tuple(x.shape)[axis]
    if len(shape) > 1 or (shape and shape[0] not in (1, n)):
        raise ValueError(f"repeat: repeats of shape {shape} do not broadcast to the {n} "
                         "elements being repeated")
    if d is not be.default_int:
        repeats = _ASTYPE(repeats, be.native[be.default_int])
    if not is_tracing():
        # the output's length depends on the counts, so they are read on the host anyway
        try:
            negative = bool(_ANY(_LESS(repeats, 0)))
        except TypeError:  # a jax tracer or a tf graph tensor (both raise TypeErrors): no value
            negative = False
        if negative:
            raise ValueError("repeat: repeats must be non-negative")
    return repeats


def roll(x: Array, /, shift: Any, *, axis: Any = None) -> Array:
    return _ROLL(x, shift, axis)


def squeeze(x: Array, /, axis: Any) -> Array:
    return _SQUEEZE(x, axis)


def tile(x: Array, repetitions: Any, /) -> Array:
    return _TILE(x, repetitions)


def take(x: Array, indices: Array, /, *, axis: int | None = None) -> Array:
    # The standard makes axis optional only for 1-d x (NumPy would flatten).
    if axis is None and len(x.shape) != 1:
        raise ValueError("take: axis is required for arrays that are not 1-d (Array API)")
    return _TAKE(x, indices, axis)


def take_along_axis(x: Array, indices: Array, /, *, axis: int = -1) -> Array:
    return _TAKE_ALONG_AXIS(x, indices, axis)


def tensordot(x1: Array, x2: Array, /, *, axes: Any = 2) -> Array:
    return _TENSORDOT(x1, x2, axes)


def nonzero(x: Array, /) -> tuple[Array, ...]:
    return _NONZERO(x)


def unique_all(x: Array, /) -> Any:
    return _UNIQUE_ALL(x)


def unique_counts(x: Array, /) -> Any:
    return _UNIQUE_COUNTS(x)


def unique_inverse(x: Array, /) -> Any:
    return _UNIQUE_INVERSE(x)


def unique_values(x: Array, /) -> Array:
    return _UNIQUE_VALUES(x)


def round(x: Array, /) -> Array:
    return _ROUND(x)


def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:
    # The standard keeps x's dtype (bounds do not promote it); xops.numpy.clip promotes.
    out = _CLIP(x, min, max)
    if out.dtype != x.dtype:
        out = _ASTYPE(out, x.dtype, copy=False)
    return out


def isin(x1: Any, x2: Any, /, *, invert: bool = False) -> Array:
    info = REGISTRY.get("isin")
    if info is None:
        raise NotImplementedError("isin: xops.numpy.isin is not implemented yet")
    return info.fn(x1, x2, invert=invert)


def meshgrid(*arrays: Array, indexing: str = "xy") -> tuple[Array, ...]:
    return tuple(_MESHGRID(*arrays, indexing=indexing))  # a tuple (2025.12; NumPy: a list)


def broadcast_arrays(*arrays: Array) -> tuple[Array, ...]:
    return tuple(_BROADCAST_ARRAYS(*arrays))  # a tuple (2025.12; NumPy: a list)


def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    # The standard's result dtype is the promoted one; xops.numpy.vecdot sums integers in the
    # widened accumulator (as sum does). Casting the wide sum back wraps exactly as a sum in
    # the narrow dtype would (two's complement arithmetic is modular).
    out = _VECDOT(x1, x2, axis=axis)
    want = _RESULT_TYPE(x1, x2)
    if want.kind in "iu" and out.dtype != want:
        out = _ASTYPE(out, want, copy=False)
    return out


def tril(x: Array, /, *, k: int = 0) -> Array:
    return _TRIL(x, k)


def triu(x: Array, /, *, k: int = 0) -> Array:
    return _TRIU(x, k)


def where(condition: Array, x1: Any, x2: Any, /) -> Array:
    # the standard has no one-argument form (xops.numpy.where(c) is nonzero(c))
    return _WHERE(condition, x1, x2)


(_SUM, _PROD, _MEAN, _MAX, _MIN, _VAR, _STD, _ALL, _ANY, _ARGMAX, _ARGMIN, _COUNT_NONZERO,
 _SORT, _ARGSORT, _CONCAT, _STACK, _EXPAND_DIMS, _FLIP, _TRANSPOSE, _REPEAT, _ROLL, _SQUEEZE,
 _TILE, _TAKE, _TAKE_ALONG_AXIS, _TENSORDOT, _NONZERO, _UNIQUE_ALL, _UNIQUE_COUNTS,
 _UNIQUE_INVERSE, _UNIQUE_VALUES, _ROUND, _CLIP, _ASTYPE, _MESHGRID, _TRIL, _TRIU, _WHERE,
 _BROADCAST_ARRAYS, _VECDOT, _LESS) = (
    _op(n) for n in (
        "sum", "prod", "mean", "max", "min", "var", "std", "all", "any", "argmax", "argmin",
        "count_nonzero", "sort", "argsort", "concatenate", "stack", "expand_dims", "flip",
        "transpose", "repeat", "roll", "squeeze", "tile", "take", "take_along_axis",
        "tensordot", "nonzero", "unique_all", "unique_counts", "unique_inverse",
        "unique_values", "round", "clip", "astype", "meshgrid", "tril", "triu", "where",
        "broadcast_arrays", "vecdot", "less"))
_RESULT_TYPE = _op("result_type")

_WRAPPED = {f.__name__: f for f in (
    sum, prod, mean, max, min, var, std, all, any, argmax, argmin, count_nonzero, sort, argsort,
    concat, stack, expand_dims, flip, permute_dims, repeat, roll, squeeze, tile, take,
    take_along_axis, tensordot, nonzero, unique_all, unique_counts, unique_inverse,
    unique_values, round, clip, isin, meshgrid, broadcast_arrays, vecdot, tril, triu, where)}

# The standard's main-namespace functions that xops.numpy already has in the standard's form
# (signature included): re-exported as they are.
_SAME = (
    "abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "bitwise_and",
    "bitwise_invert", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "ceil", "conj", "copysign", "cos", "cosh", "divide", "equal", "exp", "expm1", "floor",
    "floor_divide", "greater", "greater_equal", "hypot", "imag", "isfinite", "isinf", "isnan",
    "less", "less_equal", "log", "log10", "log1p", "log2", "logaddexp", "logical_and",
    "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "negative",
    "nextafter", "not_equal", "positive", "pow", "real", "reciprocal", "remainder", "sign",
    "signbit", "sin", "sinh", "square", "sqrt", "subtract", "tan", "tanh", "trunc",
    "matmul", "matrix_transpose", "reshape", "moveaxis", "broadcast_to", "broadcast_shapes",
    "unstack", "astype", "can_cast", "isdtype",
    "cumulative_sum", "cumulative_prod", "diff", "searchsorted",
    "empty_like", "ones_like", "zeros_like", "full_like",
)
_CREATION = ("arange", "asarray", "empty", "eye", "from_dlpack", "full", "linspace", "ones",
             "zeros")
_DTYPE_FUNCS = ("finfo", "iinfo", "result_type")
_CONSTANTS = {"e": math.e, "inf": math.inf, "nan": math.nan, "newaxis": None, "pi": math.pi}

# Every name of the standard's main namespace (2025.12), for the tests and for __all__.
STANDARD_NAMES = tuple(sorted({*_SAME, *_WRAPPED, *_CREATION, *_DTYPE_FUNCS, *_CONSTANTS,
                               *_STD_DTYPES, "linalg", "fft", "__array_api_version__",
                               "__array_namespace_info__"}))


# --- linalg and fft: the standard's signatures over xops.numpy.linalg / xops.numpy.fft --------
# Looked up when called, so functions added to those namespaces later are picked up; keywords
# are passed only when they differ from the default, so a NumPy-style signature there still fits.

def _sub(ns: str, name: str) -> Callable:
    fn = getattr(importlib.import_module(f"xops.numpy.{ns}"), name, None)
    if fn is None:
        raise NotImplementedError(f"{ns}.{name}: xops.numpy.{ns}.{name} is not implemented yet")
    return fn


def _la_cholesky(x: Array, /, *, upper: bool = False) -> Array:
    return _sub("linalg", "cholesky")(x, **({"upper": True} if upper else {}))


def _la_cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    return _sub("linalg", "cross")(x1, x2, axis=axis)


def _la_det(x: Array, /) -> Array:
    return _sub("linalg", "det")(x)


def _la_diagonal(x: Array, /, *, offset: int = 0) -> Array:
    return _sub("linalg", "diagonal")(x, offset=offset)


def _la_eig(x: Array, /) -> Any:
    return _sub("linalg", "eig")(x)


def _la_eigvals(x: Array, /) -> Array:
    return _sub("linalg", "eigvals")(x)


def _la_eigh(x: Array, /) -> Any:
    return _sub("linalg", "eigh")(x)


def _la_eigvalsh(x: Array, /) -> Array:
    return _sub("linalg", "eigvalsh")(x)


def _la_inv(x: Array, /) -> Array:
    return _sub("linalg", "inv")(x)


def _la_matmul(x1: Array, x2: Array, /) -> Array:
    return _sub("linalg", "matmul")(x1, x2)


def _la_matrix_norm(x: Array, /, *, keepdims: bool = False, ord: Any = "fro") -> Array:
    return _sub("linalg", "matrix_norm")(x, keepdims=keepdims, ord=ord)


def _la_matrix_power(x: Array, n: int, /) -> Array:
    return _sub("linalg", "matrix_power")(x, n)


def _la_matrix_rank(x: Array, /, *, rtol: Any = None) -> Array:
    return _sub("linalg", "matrix_rank")(x, **({} if rtol is None else {"rtol": rtol}))


def _la_matrix_transpose(x: Array, /) -> Array:
    return _sub("linalg", "matrix_transpose")(x)


def _la_outer(x1: Array, x2: Array, /) -> Array:
    return _sub("linalg", "outer")(x1, x2)


def _la_pinv(x: Array, /, *, rtol: Any = None) -> Array:
    return _sub("linalg", "pinv")(x, **({} if rtol is None else {"rtol": rtol}))


def _la_qr(x: Array, /, *, mode: str = "reduced") -> Any:
    return _sub("linalg", "qr")(x, mode=mode)


def _la_slogdet(x: Array, /) -> Any:
    return _sub("linalg", "slogdet")(x)


def _la_solve(x1: Array, x2: Array, /) -> Array:
    return _sub("linalg", "solve")(x1, x2)


def _la_svd(x: Array, /, *, full_matrices: bool = True) -> Any:
    return _sub("linalg", "svd")(x, full_matrices=full_matrices)


def _la_svdvals(x: Array, /) -> Array:
    return _sub("linalg", "svdvals")(x)


def _la_tensordot(x1: Array, x2: Array, /, *, axes: Any = 2) -> Array:
    return _sub("linalg", "tensordot")(x1, x2, axes)


def _la_trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    return _sub("linalg", "trace")(x, offset=offset, **({} if dtype is None else {"dtype": dtype}))


def _la_vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    return vecdot(x1, x2, axis=axis)


def _la_vector_norm(x: Array, /, *, axis: Any = None, keepdims: bool = False,
                    ord: Any = 2) -> Array:
    return _sub("linalg", "vector_norm")(x, axis=axis, keepdims=keepdims, ord=ord)


def _fft1(name: str) -> Callable:
    def f(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
        return _sub("fft", name)(x, n=n, axis=axis, norm=norm)
    f.__name__ = f.__qualname__ = name
    return f


def _fftn(name: str) -> Callable:
    def f(x: Array, /, *, s: Any = None, axes: Any = None, norm: str = "backward") -> Array:
        return _sub("fft", name)(x, s=s, axes=axes, norm=norm)
    f.__name__ = f.__qualname__ = name
    return f


def _fftshift(name: str) -> Callable:
    def f(x: Array, /, *, axes: Any = None) -> Array:
        return _sub("fft", name)(x, axes=axes)
    f.__name__ = f.__qualname__ = name
    return f


_LINALG = {f.__name__[4:]: f for f in (
    _la_cholesky, _la_cross, _la_det, _la_diagonal, _la_eig, _la_eigvals, _la_eigh,
    _la_eigvalsh, _la_inv, _la_matmul,
    _la_matrix_norm, _la_matrix_power, _la_matrix_rank, _la_matrix_transpose, _la_outer,
    _la_pinv, _la_qr, _la_slogdet, _la_solve, _la_svd, _la_svdvals, _la_tensordot, _la_trace,
    _la_vecdot, _la_vector_norm)}
for _n, _f in _LINALG.items():
    _f.__name__ = _f.__qualname__ = _n
_FFT = {**{n: _fft1(n) for n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")},
        **{n: _fftn(n) for n in ("fftn", "ifftn", "rfftn", "irfftn")},
        **{n: _fftshift(n) for n in ("fftshift", "ifftshift")}}
LINALG_NAMES = tuple(sorted(_LINALG))
FFT_NAMES = tuple(sorted([*_FFT, "fftfreq", "rfftfreq"]))


# --- per-backend parts: creation functions, dtype functions, dtypes, info ----------------------

class _Info:
    """finfo/iinfo answers with the bound backend's native dtype; the repr shows ``_shown``."""

    __slots__: tuple[str, ...] = ()
    _kind = ""
    _shown: tuple[str, ...] = ()

    def __init__(self, src: Any, native: Any) -> None:
        for f in self.__slots__:
            setattr(self, f, native[src.dtype] if f == "dtype" else getattr(src, f))

    def __repr__(self) -> str:
        return f"{self._kind}({', '.join(f'{f}={getattr(self, f)}' for f in self._shown)})"


class _FInfo(_Info):
    __slots__ = ("bits", "eps", "max", "min", "smallest_normal", "dtype")
    _kind, _shown = "finfo", ("bits", "eps", "dtype")
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: Any


class _IInfo(_Info):
    __slots__ = ("bits", "max", "min", "dtype")
    _kind, _shown = "iinfo", ("bits", "min", "max", "dtype")
    bits: int
    max: int
    min: int
    dtype: Any


class _Scoped:
    """``with _Scoped(var, value):`` sets a context variable for the body and restores it."""

    __slots__ = ("var", "value", "token")

    def __init__(self, var: Any, value: Any) -> None:
        self.var = var
        self.value = value

    def __enter__(self) -> None:
        self.token = self.var.set(self.value)

    def __exit__(self, *exc: Any) -> None:
        self.var.reset(self.token)


def _per_backend(be: Backend) -> dict[str, Any]:
    bname = be.name
    native = be.native
    var = _DEFAULT
    arange_, asarray_, empty_, eye_, from_dlpack_, full_, linspace_, ones_, zeros_ = (
        _op(n) for n in _CREATION)
    result_type_ = _op("result_type")

    # Creation functions with no array input make this backend's arrays: they run with the
    # scoped default backend set to it (the contextvar xops.default_backend sets).
    def arange(start: Any, /, stop: Any = None, step: Any = 1, *, dtype: Any = None,
               device: Any = None) -> Array:
        with _Scoped(var, bname):
            return arange_(start, stop, step, dtype=dtype, device=device)

    def asarray(obj: Any, /, *, dtype: Any = None, device: Any = None,
                copy: bool | None = None) -> Array:
        ob = backend_of(obj)
        if ob is not None and ob is not be:
            raise TypeError(f"asarray: got a {ob.name} array but this namespace is bound to "
                            f"{bname}; convert explicitly with xops.convert(x, {bname!r}) or "
                            "from_dlpack (xops never converts between frameworks implicitly)")
        with _Scoped(var, bname):
            return asarray_(obj, dtype, device=device, copy=copy)

    def empty(shape: Any, *, dtype: Any = None, device: Any = None) -> Array:
        with _Scoped(var, bname):
            return empty_(shape, dtype, device=device)

    def eye(n_rows: int, n_cols: int | None = None, /, *, k: int = 0, dtype: Any = None,
            device: Any = None) -> Array:
        with _Scoped(var, bname):
            return eye_(n_rows, n_cols, k=k, dtype=dtype, device=device)

    def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None) -> Array:
        with _Scoped(var, bname):
            return from_dlpack_(x, device=device, copy=copy)

    def full(shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Array:
        with _Scoped(var, bname):
            return full_(shape, fill_value, dtype, device=device)

    def linspace(start: Any, stop: Any, /, num: int, *, dtype: Any = None, device: Any = None,
                 endpoint: bool = True) -> Array:
        with _Scoped(var, bname):
            return linspace_(start, stop, num, endpoint=endpoint, dtype=dtype, device=device)

    def ones(shape: Any, *, dtype: Any = None, device: Any = None) -> Array:
        with _Scoped(var, bname):
            return ones_(shape, dtype, device=device)

    def zeros(shape: Any, *, dtype: Any = None, device: Any = None) -> Array:
        with _Scoped(var, bname):
            return zeros_(shape, dtype, device=device)

    def _freq(name: str) -> Callable:
        def f(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
            with _Scoped(var, bname):
                return _sub("fft", name)(n, d, dtype=dtype, device=device)
        f.__name__ = f.__qualname__ = name
        return f

    # Dtype functions answer with this backend's native dtypes.
    def result_type(*arrays_and_dtypes: Any) -> Any:
        # dtypes go in canonical (a NumPy dtype has .shape/.ndim, which xops.numpy.result_type
        # would take for an array's)
        return native[result_type_(*[a if type(a) in _SCALARS or backend_of(a) is not None
                                     else _dtypes.canonical(a) for a in arrays_and_dtypes])]

    def finfo(type: Any, /) -> _FInfo:
        return _FInfo(_dtypes.finfo(type), native)

    def iinfo(type: Any, /) -> _IInfo:
        return _IInfo(_dtypes.iinfo(type), native)

    info = ArrayNamespaceInfo(be, native=True)

    def __array_namespace_info__() -> ArrayNamespaceInfo:
        return info

    fns = (arange, asarray, empty, eye, from_dlpack, full, linspace, ones, zeros, result_type,
           finfo, iinfo, __array_namespace_info__)
    ns: dict[str, Any] = {f.__name__: f for f in fns}
    ns.update(_special_value_functions(be))
    ns.update({n: native[_dtypes.canonical(n)] for n in _STD_DTYPES})
    ns["_freq"] = {n: _freq(n) for n in ("fftfreq", "rfftfreq")}
    return ns


class BoundNamespace(types.ModuleType):
    """An Array API 2025.12 namespace bound to one xops backend (see ``xops.numpy.bind``)."""

    def __repr__(self) -> str:
        return f"<xops Array API namespace bound to {self.backend}>"


_BOUND: dict[str, BoundNamespace] = {}


def bind(backend: str) -> BoundNamespace:
    """The Array API 2025.12 namespace of one backend: standard names and signatures over xops
    ops, that backend's native dtypes, creation functions that make its arrays, ``linalg`` and
    ``fft`` sub-namespaces, ``__array_namespace_info__``. Cached per backend.

    Args:
        backend: 'numpy', 'jax', 'torch' or 'tensorflow' (aliases 'np', 'jnp', 'tf', 'pytorch').

    Returns:
        A module-like namespace (``types.ModuleType`` subclass), the same object on every call.

    >>> from xops import numpy as xnp
    >>> xp = xnp.bind("numpy")
    >>> xp.sum(xp.asarray([1, 2], dtype=xp.int8)).dtype
    dtype('int64')
    """
    be = get_backend(backend)
    ns = _BOUND.get(be.name)
    if ns is not None:
        return ns
    per = _per_backend(be)
    freq = per.pop("_freq")
    mod = BoundNamespace(f"xops.numpy.bound.{be.name}",
                         f"Array API {API_VERSION} namespace over xops, bound to {be.name}.")
    mod.backend = be.name  # type: ignore[attr-defined]
    mod.__array_api_version__ = API_VERSION  # type: ignore[attr-defined]
    xnp = sys.modules["xops.numpy"]
    for n in _SAME:
        setattr(mod, n, getattr(xnp, n))
    for n, f in _WRAPPED.items():
        setattr(mod, n, f)
    for n, v in {**per, **_CONSTANTS}.items():
        setattr(mod, n, v)
    for sub, fns in (("linalg", _LINALG), ("fft", {**_FFT, **freq})):
        m = BoundNamespace(f"{mod.__name__}.{sub}", f"Array API {sub} extension over xops.")
        m.backend = be.name  # type: ignore[attr-defined]
        for n, f in fns.items():
            setattr(m, n, f)
        m.__all__ = sorted(fns)  # type: ignore[attr-defined]
        setattr(mod, sub, m)
    mod.__all__ = list(STANDARD_NAMES)  # type: ignore[attr-defined]
    _BOUND[be.name] = mod
    return mod


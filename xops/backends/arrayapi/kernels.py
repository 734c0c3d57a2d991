"""Kernels of the generic backend, parametrised by a standard namespace ``xp`` (the way
``_numpy_like.py`` is by numpy/jax.numpy). The Array API spelling of each op is data
(``SPELLING``); the few ops the standard lacks but a short composition of standard calls covers
exactly are defined below; every other op of xops either has a generic composition in the registry
or is unsupported here, with the reason in ``UNSUPPORTED_REASONS``.

Nothing here computes, converts to Python or branches on data: the same kernels serve lazy
libraries (dask), whose graphs they only extend.
"""
from __future__ import annotations

import math
from types import ModuleType
from typing import Any, Callable

from ... import _dtypes as d
from .._common import ELEMENTWISE_NAMES, LINALG_NAMES, adapt_common, int_cast_bounds
from .._numpy_like import creation_kernels

# xops op name -> the Array API name of the same function (same arguments).
SPELLING = {
    "arccos": "acos", "arcsin": "asin", "arctan": "atan", "arctan2": "atan2",
    "arccosh": "acosh", "arcsinh": "asinh", "arctanh": "atanh", "power": "pow",
    "bitwise_not": "bitwise_invert", "left_shift": "bitwise_left_shift",
    "right_shift": "bitwise_right_shift", "rint": "round", "concatenate": "concat",
    "transpose": "permute_dims",
}

# Why an op has no kernel here (the support table's reason; the error names op and library).
UNSUPPORTED_REASONS = {
    "fmod": "not in the Array API standard",
    "cbrt": "not in the Array API standard",
    "erf": "no special functions in the Array API standard",
    "erfc": "no special functions in the Array API standard",
    "erfinv": "no special functions in the Array API standard",
    "i0": "no special functions in the Array API standard",
    "frexp": "not in the Array API standard (needs bit casts)",
    "ldexp": "not in the Array API standard",
    "nextafter": "not in the Array API standard (2024.12)",
    "einsum": "not in the Array API standard",
    "eig": "not in the Array API standard's linalg extension",
    "eigvals": "not in the Array API standard's linalg extension",
    "nonzero": "data-dependent output shape",
    "argwhere": "data-dependent output shape",
    "pad": "not in the Array API standard",
    "interp": "not in the Array API standard",
    "bincount": "not in the Array API standard",
    "convolve": "not in the Array API standard",
}


# What dask.array (through array-api-compat) cannot do lazily or at all, measured with dask
# 2026.8: its linalg takes 2-d arrays only (tall-and-skinny QR/SVD, one chunk for solve/cholesky),
# its searchsorted fails on array-api-compat's call, and it has no DLPack import.
_DASK_LINALG = "dask.array.linalg handles 2-d (tall-and-skinny or one-chunk) matrices only"
DASK_LIMITS = {
    "linalg.cholesky": _DASK_LINALG, "linalg.qr": _DASK_LINALG, "linalg.svd": _DASK_LINALG,
    "linalg.svdvals": _DASK_LINALG, "linalg.solve": _DASK_LINALG, "linalg.inv": _DASK_LINALG,
    "linalg.det": _DASK_LINALG, "linalg.slogdet": _DASK_LINALG, "linalg.pinv": _DASK_LINALG,
    "linalg.eigh": _DASK_LINALG, "linalg.eigvalsh": _DASK_LINALG,
    "searchsorted": "dask.array's searchsorted fails through array-api-compat",
    "from_dlpack": "dask arrays neither produce nor import DLPack",
}


def _cast(xp: Any, x: Any, dtype: Any) -> Any:
    return xp.astype(x, dtype)


def astype_kernel(xp: Any) -> Callable:
    """``astype(x, native_dtype)`` with xops' float -> integer rule (truncate, NaN -> 0, saturate
    at the integer range, as every table does), written with selects only (lazy-safe)."""
    floats = {getattr(xp, n) for n in ("float16", "float32", "float64") if hasattr(xp, n)}
    ints = {getattr(xp, n): n for n in ("int8", "int16", "int32", "int64", "uint8", "uint16",
                                        "uint32", "uint64") if hasattr(xp, n)}

    def astype(x, dtype, copy=True):
        if dtype == xp.bool and x.dtype != xp.bool:  # the standard refuses complex -> bool
            return x != xp.zeros((), dtype=x.dtype)
        if dtype in ints and x.dtype in floats:
            lo, hi, top = int_cast_bounds(d.canonical(ints[dtype]))
            zero = xp.zeros((), dtype=x.dtype)
            big = x >= xp.asarray(hi, dtype=x.dtype)
            small = x < xp.asarray(lo, dtype=x.dtype)
            bad = big | small | xp.isnan(x)
            out = xp.astype(xp.where(bad, zero, x), dtype)
            out = xp.where(big, xp.asarray(top, dtype=dtype), out)
            return xp.where(small, xp.asarray(lo, dtype=dtype), out)
        return xp.astype(x, dtype, copy=copy)

    return astype


def adapter(xp: Any) -> Callable:
    power = _int_power(xp)
    floor_divide = _int_zero_safe(xp, xp.floor_divide)
    remainder = _int_zero_safe(xp, xp.remainder)

    def adapt(name: str, fn: Callable, dt: d.DType) -> Callable:
        if dt.kind in "biu" and name in _NON_FLOAT:
            return _NON_FLOAT[name]
        if dt.kind == "b" and name in _BOOL_AS_INT:
            return _via_uint8(xp, fn, name)
        if dt.kind != "c" and name == "imag":
            return _zeros_like
        if dt.kind == "i" and name == "power":
            return power
        if dt.kind in "iu" and name == "floor_divide":
            return floor_divide
        if dt.kind in "iu" and name == "remainder":
            return remainder
        return adapt_common(name, fn, dt)

    _NON_FLOAT = {  # the standard defines these for floating dtypes only
        "isnan": lambda x: x != x, "isinf": lambda x: x != x, "isfinite": lambda x: x == x,
        "signbit": lambda x: (x != x) if x.dtype == xp.bool else x < xp.zeros((), dtype=x.dtype),
    }

    def _zeros_like(x):
        return xp.zeros_like(x)

    return adapt


# Comparisons and orderings the standard defines for real numbers only, not bool: computed on
# uint8 (False < True).
_BOOL_AS_INT = frozenset({"less", "less_equal", "greater", "greater_equal", "maximum",
                          "minimum"})


def _via_uint8(xp: Any, fn: Callable, name: str) -> Callable:
    back = name in ("maximum", "minimum")

    def k(*args):
        out = fn(*(xp.astype(a, xp.uint8) for a in args))
        return xp.astype(out, xp.bool) if back else out

    k.__name__ = k.__qualname__ = name
    return k


def _int_power(xp: Any) -> Callable:
    """Signed integer ``x1 ** x2`` with negative exponents giving the truncated real result (1 for
    base 1, +-1 for base -1 by parity, else 0), as on every backend (docs/semantics.md)."""

    def power(x1, x2):
        dt = x1.dtype
        zero, one = xp.zeros((), dtype=dt), xp.ones((), dtype=dt)
        neg = x2 < zero
        r = xp.pow(x1, xp.where(neg, zero, x2))
        odd = xp.remainder(x2, xp.asarray(2, dtype=dt)) != zero
        fill = xp.where(x1 == one, one, xp.where(x1 == -one, xp.where(odd, -one, one), zero))
        return xp.where(neg, fill, r)

    return power


def _int_zero_safe(xp: Any, fn: Callable) -> Callable:
    """Integer ``x // 0`` and ``x % 0`` give 0 (NumPy's value, defined for every library)."""

    def k(x1, x2):
        zero = xp.zeros((), dtype=x1.dtype)
        z = x2 == zero
        return xp.where(z, zero, fn(x1, xp.where(z, xp.ones((), dtype=x1.dtype), x2)))

    k.__name__ = k.__qualname__ = fn.__name__
    return k


def _elementwise(xp: Any) -> dict[str, Callable]:
    out: dict[str, Callable] = {}
    for name in ELEMENTWISE_NAMES:
        fn = getattr(xp, SPELLING.get(name, name), None)
        if fn is not None:
            out[name] = fn

    # Standard compositions that are exact.
    def reciprocal(x):
        return xp.divide(xp.ones((), dtype=x.dtype), x)

    def deg2rad(x):
        return xp.multiply(x, xp.asarray(math.pi / 180, dtype=x.dtype))

    def rad2deg(x):
        return xp.multiply(x, xp.asarray(180 / math.pi, dtype=x.dtype))

    def exp2(x):
        return xp.pow(xp.asarray(2, dtype=x.dtype), x)

    for f in (reciprocal, deg2rad, rad2deg, exp2):
        out.setdefault(f.__name__, f)
    return out


def _creation(xp: Any) -> dict[str, Callable]:
    shared = creation_kernels(xp)

    def tril(x, k=0):
        return xp.tril(x, k=k)

    def triu(x, k=0):
        return xp.triu(x, k=k)

    def copy(x, order):
        return xp.asarray(x, copy=True)

    def from_dlpack(x, device, copy):
        return xp.from_dlpack(x, device=device, copy=copy)

    return {**shared, **{k: v for k, v in locals().items() if callable(v)}}


def _manipulation(xp: Any) -> dict[str, Callable]:
    def reshape(x, shape):
        if 0 in x.shape and -1 in shape and math.prod(s for s in shape if s != -1):
            # an empty array: -1 stands for 0 (dask's chunk regrouping fails on empty shapes)
            shape = tuple(0 if s == -1 else s for s in shape)
        if 0 in x.shape and math.prod(shape) == 0 and tuple(shape) != tuple(x.shape):
            return xp.zeros(tuple(shape), dtype=x.dtype, device=_device(x))
        try:
            return xp.reshape(x, tuple(shape))
        except NotImplementedError:
            # dask reshapes only by merging or splitting chunks evenly: other reshapes go
            # through one chunk (still lazy; the chunking of this result is then one block)
            if not hasattr(x, "rechunk"):
                raise
            return xp.reshape(x.rechunk(-1), tuple(shape))

    def transpose(x, axes):
        return xp.permute_dims(x, tuple(range(x.ndim))[::-1] if axes is None else tuple(axes))

    def expand_dims(x, axis):
        # The standard (2024.12) takes one axis: insert them in increasing order.
        for a in sorted(axis) if isinstance(axis, tuple) else (axis,):
            x = xp.expand_dims(x, axis=a)
        return x

    def squeeze(x, axis):
        return xp.squeeze(x, axis=axis)

    def concatenate(arrays, axis):
        return xp.concat(list(arrays), axis=axis)

    def stack(arrays, axis):
        return xp.stack(list(arrays), axis=axis)

    def broadcast_to(x, shape):
        return xp.broadcast_to(x, tuple(shape))

    def flip(x, axis):
        return xp.flip(x, axis=axis)

    def roll(x, shift, axis):
        return xp.roll(x, shift, axis=axis)

    def tile(x, reps):
        return xp.tile(x, tuple(reps))

    def split(x, starts, sizes, axis):
        # the standard wants every axis indexed (a trailing Ellipsis) and starts within the axis
        head, size = (slice(None),) * axis, x.shape[axis]
        return [x[head + (slice(min(s, size), min(s + n, size)), ...)]
                for s, n in zip(starts, sizes)]

    def repeat(x, repeats, axis):
        if isinstance(repeats, tuple):
            repeats = xp.asarray(repeats, device=_device(x))
        return xp.repeat(x, repeats, axis=axis)

    def unstack(x, axis):
        return tuple(xp.unstack(x, axis=axis))

    return {k: v for k, v in locals().items() if callable(v)}


def _device(x: Any) -> Any:
    import array_api_compat
    return array_api_compat.device(x)


def _reductions(xp: Any) -> dict[str, Callable]:
    # x arrives in the accumulation dtype, which the result keeps
    def sum(x, axis, keepdims):
        return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def prod(x, axis, keepdims):
        return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)

    def mean(x, axis, keepdims):
        return xp.mean(x, axis=axis, keepdims=keepdims)

    def var(x, axis, keepdims, ddof):
        return xp.var(x, axis=axis, keepdims=keepdims, correction=ddof)

    def std(x, axis, keepdims, ddof):
        return xp.std(x, axis=axis, keepdims=keepdims, correction=ddof)

    def max(x, axis, keepdims):
        if x.dtype == xp.bool:  # the standard orders real numbers only
            return xp.any(x, axis=axis, keepdims=keepdims)
        return xp.max(x, axis=axis, keepdims=keepdims)

    def min(x, axis, keepdims):
        if x.dtype == xp.bool:
            return xp.all(x, axis=axis, keepdims=keepdims)
        return xp.min(x, axis=axis, keepdims=keepdims)

    def all(x, axis, keepdims):
        return xp.all(x, axis=axis, keepdims=keepdims)

    def any(x, axis, keepdims):
        return xp.any(x, axis=axis, keepdims=keepdims)

    def _one_axis(axis):
        if isinstance(axis, tuple):
            return axis[0] if len(axis) == 1 else None
        return axis

    def argmax(x, axis, keepdims, idx):
        x = _real_order(xp, x)
        if axis is None or (isinstance(axis, tuple) and len(axis) != 1):
            x = xp.reshape(x, (-1,)) if not keepdims else x
        return xp.astype(xp.argmax(x, axis=_one_axis(axis), keepdims=keepdims), idx)

    def argmin(x, axis, keepdims, idx):
        x = _real_order(xp, x)
        if axis is None or (isinstance(axis, tuple) and len(axis) != 1):
            x = xp.reshape(x, (-1,)) if not keepdims else x
        return xp.astype(xp.argmin(x, axis=_one_axis(axis), keepdims=keepdims), idx)

    def cumsum(x, axis):
        return xp.cumulative_sum(x, axis=axis, dtype=x.dtype)

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")}
    if hasattr(xp, "count_nonzero"):
        def count_nonzero(x, axis, keepdims, idx):
            return xp.astype(xp.count_nonzero(x, axis=axis, keepdims=keepdims), idx)
        out["count_nonzero"] = count_nonzero
    if hasattr(xp, "cumulative_prod"):
        def cumprod(x, axis):
            return xp.cumulative_prod(x, axis=axis, dtype=x.dtype)
        out["cumprod"] = cumprod
    if not hasattr(xp, "cumulative_sum"):
        del out["cumsum"]
    return out


def _indexing(xp: Any) -> dict[str, Callable]:
    def where(condition, x1, x2):
        return xp.where(condition, x1, x2)

    def take(x, indices, axis):
        if axis is None:
            x, axis = xp.reshape(x, (-1,)), 0
        if indices.ndim == 1:
            return xp.take(x, indices, axis=axis)
        # the standard takes 1-d indices: flatten them, then restore their shape
        out = xp.take(x, xp.reshape(indices, (-1,)), axis=axis)
        return xp.reshape(out, x.shape[:axis] + indices.shape + x.shape[axis + 1:])

    def sort(x, axis, descending):
        if x.dtype == xp.bool:  # the standard sorts real numbers only
            return xp.astype(sort(xp.astype(x, xp.uint8), axis, descending), xp.bool)
        out = xp.sort(x, axis=axis, stable=True)
        return xp.flip(out, axis=axis) if descending else out

    def argsort(x, axis, descending, idx):
        x = _real_order(xp, x)
        if not descending:
            return xp.astype(xp.argsort(x, axis=axis, stable=True), idx)
        # Stable descending as on every backend: sort the reversed array, map indices back.
        n = x.shape[axis]
        r = xp.flip(xp.argsort(xp.flip(x, axis=axis), axis=axis, stable=True), axis=axis)
        return xp.astype(xp.asarray(n - 1, dtype=r.dtype) - r, idx)

    def searchsorted(x1, x2, side, idx):
        x1, x2 = _real_order(xp, x1), _real_order(xp, x2)
        return xp.astype(xp.searchsorted(x1, x2, side=side), idx)

    def diagonal(x, offset, axis1, axis2):
        if (axis1, axis2) != (x.ndim - 2, x.ndim - 1):
            x = xp.permute_dims(x, tuple(a for a in range(x.ndim) if a not in (axis1, axis2))
                                + (axis1, axis2))
        return xp.linalg.diagonal(x, offset=offset)

    out = {k: v for k, v in locals().items() if callable(v)}
    if hasattr(xp, "take_along_axis"):
        def take_along_axis(x, indices, axis):
            return xp.take_along_axis(x, indices, axis=axis)
        out["take_along_axis"] = take_along_axis
    if not hasattr(getattr(xp, "linalg", None), "diagonal"):
        del out["diagonal"]
    return out


def _real_order(xp: Any, x: Any) -> Any:
    """bool as uint8 for the standard's orderings (defined for real numbers only)."""
    return xp.astype(x, xp.uint8) if x.dtype == xp.bool else x


def _products(xp: Any) -> dict[str, Callable]:
    # dask's integer products come back in int64: keep the operands' (already promoted) dtype
    def matmul(a, b):
        out = xp.matmul(a, b)
        return out if out.dtype == a.dtype else xp.astype(out, a.dtype)

    def tensordot(a, b, axes_a, axes_b):
        out = xp.tensordot(a, b, axes=(tuple(axes_a), tuple(axes_b)))
        return out if out.dtype == a.dtype else xp.astype(out, a.dtype)

    return {"matmul": matmul, "tensordot": tensordot}


def _linalg(xp: Any) -> dict[str, Callable]:
    la = getattr(xp, "linalg", None)
    if la is None:
        return {}

    def late(name: str) -> Callable:
        # looked up at call time: a library may lack one (dask has no linalg.det)
        def f(*args: Any) -> Any:
            return getattr(la, name)(*args)
        f.__name__ = name
        return f

    inv, det, solve, svdvals = (late(n) for n in ("inv", "det", "solve", "svdvals"))

    def slogdet(x):
        sign, logabsdet = la.slogdet(x)
        return sign, logabsdet

    def cholesky(x, upper):
        return la.cholesky(x, upper=upper)

    def qr(x, mode):
        q, r = la.qr(x, mode=mode)
        return q, r

    def svd(x, full_matrices):
        u, s, vh = la.svd(x, full_matrices=full_matrices)
        return u, s, vh

    def eigh(x, UPLO):
        if UPLO != "L":  # the standard reads the lower triangle only
            x = xp.conj(xp.matrix_transpose(x)) if xp.isdtype(x.dtype, "complex floating") \
                else xp.matrix_transpose(x)
        w, v = la.eigh(x)
        return w, v

    def eigvalsh(x, UPLO):
        if UPLO != "L":
            x = xp.matrix_transpose(x)
        return la.eigvalsh(x)

    def pinv(x, rtol, hermitian):
        return la.pinv(x, rtol=rtol)

    def vector_norm(x, axis, keepdims, ord):
        return la.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)

    def diagonal(x, offset):
        return la.diagonal(x, offset=offset)

    return {k: v for k, v in locals().items()
            if k in LINALG_NAMES and hasattr(la, k if k != "diagonal" else "diagonal")}


def _fft(xp: Any) -> dict[str, Callable]:
    f = getattr(xp, "fft", None)
    if f is None:
        return {}
    out: dict[str, Callable] = {}
    for name in ("fftn", "ifftn", "rfftn", "irfftn"):
        fn = getattr(f, name, None)
        if fn is None:
            continue

        def k(x, s, axes, norm, fn=fn, cplx=name in ("fftn", "ifftn")):
            if hasattr(x, "rechunk"):  # dask transforms along axes held in one chunk
                x = x.rechunk({a: -1 for a in axes})
            if cplx and not xp.isdtype(x.dtype, "complex floating"):
                # the standard's fftn takes complex input only
                x = xp.astype(x, xp.complex64 if x.dtype == xp.float32 else xp.complex128)
            return fn(x, s=s, axes=axes, norm=norm)

        k.__name__ = k.__qualname__ = name
        out[name] = k
    return out


def table(xp: Any, name: str, lazy: bool) -> tuple[ModuleType, dict[str, str]]:
    """The flat kernel table of library ``name`` (keys as in every backend: ``linalg.inv``) and the
    reasons of the kernels it lacks."""
    k = ModuleType(f"xops.backends.arrayapi[{name}].kernels")
    entries: dict[str, Callable] = {}
    for part in (_elementwise, _creation, _manipulation, _reductions, _indexing, _products):
        entries.update(part(xp))
    entries.update({f"linalg.{n}": f for n, f in _linalg(xp).items()})
    entries.update({f"fft.{n}": f for n, f in _fft(xp).items()})
    reasons = dict(UNSUPPORTED_REASONS)
    if name == "dask.array":
        for n, why in DASK_LIMITS.items():
            entries.pop(n, None)
            reasons[n] = why
    k.__dict__.update(entries)
    for n, sp in SPELLING.items():
        if n not in entries:
            reasons.setdefault(n, f"{name} has no {sp}")
    # every other kernel the native tables hold: outside the standard
    from .. import get_backend
    for key in vars(get_backend("numpy").k):
        if key not in entries and not key[:1].isupper() and not key.startswith("_"):
            reasons.setdefault(key, "not in the Array API standard")
    return k, reasons

"""Selection, sorting, products and the remaining composite elementwise helpers."""
from __future__ import annotations

import builtins
import operator
from typing import Any, Callable, Sequence

from .. import _dispatch as _d
from .. import _dtypes
from .._dispatch import (PY_SCALARS, TYPE_CACHE, annotate, call, dtype_arg, normalize_axis,
                         opname_of, promote_args, resolve)
from .._dtypes import bool_
from ..backends import _compiling, backend_of
from . import elementwise as ew
from ._registry import declare

Array = Any

# where(cond, x, y) fast path: same array type everywhere, bool cond, equal x/y dtypes.
_WHERE_FAST: dict[type, tuple[Any, Callable]] = {}


@declare("indexing")
def where(condition: Array, x1: Array = None, x2: Array = None, /) -> Array:
    """Elements of ``x1`` where ``condition`` is true, else of ``x2`` (broadcast together;
    ``x1``/``x2`` promoted, Python scalars weak). ``condition`` must be bool. With only
    ``condition`` it is ``nonzero(condition)`` (NumPy's one-argument form: the indices of the
    true elements, a data-dependent shape; use ``nonzero(..., size=)`` under jit).

    Args:
        condition: bool array. x1, x2: arrays or Python scalars of the same backend (both or
            neither).

    Returns:
        An array of the inputs' backend (a tuple of index arrays in the one-argument form).

    >>> import numpy as np
    >>> from xops import numpy as xnp
    >>> xnp.where(np.array([True, False]), np.array([1., 2.]), 0.0)
    array([1., 0.])
    """
    if x2 is None:
        if x1 is None:
            from .arrayapi import nonzero
            return nonzero(condition)
        raise TypeError("xops.numpy.where: pass both x1 and x2, or neither")
    t = type(x1)
    # the eager cache is not read while dynamo traces (it would guard on it)
    f = None if _d.IS_DYNAMO() else _WHERE_FAST.get(t)
    if f is not None and type(condition) is t and type(x2) is t:
        if condition.dtype is f[0] and x1.dtype is x2.dtype:
            try:
                return f[1](condition, x1, x2)
            except Exception as e:
                annotate(e, "where", TYPE_CACHE.get(t))
                raise
    be = resolve("where", condition, x1, x2)
    if type(condition) in PY_SCALARS:
        raise TypeError("xops.numpy.where: condition must be a bool array")
    if be.dtype_of(condition) is not bool_:
        raise TypeError(f"xops.numpy.where: condition must be bool, got "
                        f"{be.dtype_of(condition).name}; compare explicitly (x != 0)")
    (a, b), _ = promote_args("where", be, (x1, x2), like=condition)
    out = call(be, "where", condition, a, b)
    if t not in _WHERE_FAST and not _compiling() and type(condition) is t and type(x2) is t:
        _WHERE_FAST[t] = (be.native[bool_], be.k.where)
    return out


def _index_array(name: str, be: Any, idx: Any) -> Any:
    if isinstance(idx, (list, tuple)) or type(idx) in PY_SCALARS:
        if isinstance(idx, (bool, float, complex)):
            raise TypeError(f"{opname_of(name)}: indices must be integers")
        return call(be, "asarray", idx, be.check_dtype(be.default_int, name), None, None)
    d = be.dtype_of(idx)
    if d.kind not in "iu":
        raise TypeError(f"{opname_of(name)}: indices must be integers, got {d.name}")
    return idx


@declare("indexing")
def take(x: Array, indices: Any, /, axis: int | None = None) -> Array:
    """Elements of ``x`` at integer ``indices`` along ``axis`` (None: of the flattened array).
    Negative indices count from the end; out-of-range indices raise on eager backends (their
    result is unspecified under jit).

    Args:
        x: array. indices: integer array of the same backend, int or list of ints.
        axis: int or None.

    Returns:
        An array of ``x``'s backend.
    """
    be = resolve("take", x, None if type(indices) in PY_SCALARS or isinstance(indices, (list, tuple))
                 else indices)
    idx = _index_array("take", be, indices)
    if axis is None:
        x = call(be, "reshape", x, (-1,))
        axis = 0
    ax = normalize_axis("take", axis, len(x.shape))
    return call(be, "take", x, idx, ax)


@declare("indexing")
def take_along_axis(x: Array, indices: Array, /, axis: int = -1) -> Array:
    """Pick values along ``axis`` using ``indices`` of the same rank (the output of argsort or
    argmax with keepdims); other axes broadcast. Negative indices count from the end.

    Args:
        x: array. indices: integer array of the same backend and ndim. axis: the axis.

    Returns:
        An array of ``x``'s backend.
    """
    be = resolve("take_along_axis", x, indices)
    idx = _index_array("take_along_axis", be, indices)
    nd = len(x.shape)
    if len(idx.shape) != nd:
        raise ValueError(f"xops.numpy.take_along_axis: indices need ndim {nd}, got "
                         f"{len(idx.shape)}")
    return call(be, "take_along_axis", x, idx, normalize_axis("take_along_axis", axis, nd))


def _sort(name: str, x: Array, axis: int, descending: bool, stable: bool) -> tuple[Any, Array, int]:
    be = resolve(name, x)
    d = be.dtype_of(x)
    if d.kind not in "biuf":
        raise TypeError(f"{opname_of(name)}: does not accept {d.name} input")
    if axis is None:
        x = call(be, "reshape", x, (-1,))
        axis = -1
    return be, x, normalize_axis(name, axis, len(x.shape))


@declare("sorting")
def sort(x: Array, /, axis: int | None = -1, *, descending: bool = False,
         stable: bool = True) -> Array:
    """Sorted copy along ``axis`` (None: flattened); NaN sorts last (first when descending).

    Args:
        x: real array. axis: int or None. descending: sort in descending order.
        stable: accepted for the Array API (xops sorts are always stable).

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be, x, ax = _sort("sort", x, axis, descending, stable)
    return call(be, "sort", x, ax, bool(descending))


@declare("sorting")
def argsort(x: Array, /, axis: int | None = -1, *, descending: bool = False,
            stable: bool = True) -> Array:
    """Indices that sort ``x`` along ``axis``; ties keep their order (stable), NaN last.

    Args:
        x: real array. axis: int or None. descending: descending order, ties still in index
        order. stable: accepted for the Array API (always stable).

    Returns:
        An array of the default integer dtype.
    """
    be, x, ax = _sort("argsort", x, axis, descending, stable)
    return call(be, "argsort", x, ax, bool(descending), be.check_dtype(be.default_int, "argsort"))


# --- products -----------------------------------------------------------------------------------

@declare("linalg")
def matmul(x1: Array, x2: Array, /) -> Array:
    """Matrix product with NumPy's rules (1-d operands promoted and the added axis removed,
    batch axes broadcast); dtypes promoted.

    Args:
        x1, x2: arrays of one backend with ndim >= 1.

    Returns:
        An array of the inputs' backend.
    """
    # Same fast path as the generated binary wrappers (_dispatch.make_binary), inlined on
    # purpose: a shared helper would add a Python call to every hot call.
    t = type(x1)
    ft = None if _d.IS_DYNAMO() else _MATMUL_FAST.get(t)  # no eager cache reads while tracing
    if ft is not None and type(x2) is t:
        d = x1.dtype
        if d is x2.dtype:
            k = ft.get(d)
            if k is not None:
                try:
                    return k(x1, x2)
                except Exception as e:
                    annotate(e, "matmul", TYPE_CACHE.get(t))
                    raise
    be = resolve("matmul", x1, x2)
    (a, b), d = promote_args("matmul", be, (x1, x2), kinds="iufc")
    sa, sb = tuple(a.shape), tuple(b.shape)
    if not sa or not sb:
        raise ValueError("xops.numpy.matmul: operands must be at least 1-d")
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        raise ValueError(f"xops.numpy.matmul: shapes {sa} and {sb} do not align")
    try:
        out = be.kernel("matmul", d)(a, b)
    except Exception as e:
        annotate(e, "matmul", be)
        raise
    if t not in _MATMUL_FAST and type(x2) is t and not _compiling():
        _MATMUL_FAST[t] = {native: be.kernel("matmul", dt) for dt, native in be.native.items()
                           if dt.kind in "iufc" and not be.k.unsupported_dtype(dt)}
    return out


# matmul fast path: same array type and dtype, both at least 1-d (shape errors come from the
# native call, annotated with the op and backend).
_MATMUL_FAST: dict[type, dict[Any, Callable]] = {}


@declare("linalg")
def tensordot(x1: Array, x2: Array, /, axes: Any = 2) -> Array:
    """Sum of products over the given axes (an int ``n``: last ``n`` of ``x1`` with first ``n``
    of ``x2``; or a pair of axis sequences).

    Args:
        x1, x2: arrays of one backend. axes: int or (axes1, axes2).

    Returns:
        An array of the inputs' backend.
    """
    be = resolve("tensordot", x1, x2)
    (a, b), _ = promote_args("tensordot", be, (x1, x2), kinds="iufc")
    na, nb = len(a.shape), len(b.shape)
    if isinstance(axes, int):
        if axes < 0 or axes > builtins.min(na, nb):
            raise ValueError(f"xops.numpy.tensordot: axes={axes} does not fit ndims {na}, {nb}")
        ax1, ax2 = tuple(range(na - axes, na)), tuple(range(axes))
    else:
        p, q = axes
        p = (p,) if isinstance(p, int) else tuple(p)
        q = (q,) if isinstance(q, int) else tuple(q)
        ax1 = tuple(normalize_axis("tensordot", i, na) for i in p)
        ax2 = tuple(normalize_axis("tensordot", i, nb) for i in q)
    if len(ax1) != len(ax2) or builtins.any(a.shape[i] != b.shape[j] for i, j in zip(ax1, ax2)):
        raise ValueError(f"xops.numpy.tensordot: shape mismatch for sum over axes {ax1} and {ax2}")
    return call(be, "tensordot", a, b, ax1, ax2)


@declare("linalg", composite=True)
def dot(a: Array, b: Array, /) -> Array:
    """NumPy ``dot``: scalar product for 0-d, inner product for 1-d, matmul for 2-d, and a sum
    over the last axis of ``a`` and second-to-last of ``b`` otherwise.

    Args:
        a, b: arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    na, nb = len(getattr(a, "shape", ())), len(getattr(b, "shape", ()))
    if na == 0 or nb == 0:
        return ew.multiply(a, b)
    if nb == 1 or (na <= 2 and nb == 2):
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 2]))


@declare("linalg", composite=True)
def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Vector dot product over ``axis`` (conjugating ``x1``), broadcasting the other axes.

    Args:
        x1, x2: arrays of one backend. axis: the contracted axis.

    Returns:
        An array of the inputs' backend.
    """
    from .reductions import sum as _sum
    return _sum(ew.multiply(ew.conj(x1), x2), axis=axis)


@declare("linalg")
def einsum(subscripts: str, /, *operands: Array) -> Array:
    """Einstein summation over ``operands`` (explicit or implicit mode, ``...`` broadcasting);
    operand dtypes are promoted.

    Args:
        subscripts: the einsum expression. *operands: arrays of one backend.

    Returns:
        An array of the operands' backend.
    """
    if not isinstance(subscripts, str):
        raise TypeError("xops.numpy.einsum: the first argument must be the subscripts string")
    be = resolve("einsum", *operands)
    arrs, _ = promote_args("einsum", be, operands)
    return call(be, "einsum", subscripts, arrs)


@declare("linalg", composite=True)
def outer(a: Array, b: Array, /) -> Array:
    """Outer product of two vectors (inputs are flattened).

    Args:
        a, b: arrays of one backend.

    Returns:
        A 2-d array of the inputs' backend.
    """
    from .manipulation import reshape
    return ew.multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


# --- composite elementwise helpers --------------------------------------------------------------

@declare("elementwise", composite=True)
def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:  # noqa: A002
    """Limit values to ``[min, max]`` (either may be None); NaN in ``x`` propagates. Bounds are
    promoted with ``x`` like any binary op (Python scalars weak).

    Args:
        x: array. min, max: arrays, Python scalars or None.

    Returns:
        An array of ``x``'s backend.
    """
    if min is not None:
        x = ew.maximum(x, min)
    if max is not None:
        x = ew.minimum(x, max)
    return x


@declare("elementwise", composite=True)
def nan_to_num(x: Array, /, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Array:
    """Replace NaN with ``nan`` and infinities with ``posinf``/``neginf`` (default: the dtype's
    largest/smallest finite value). Integer input is returned unchanged.

    Args:
        x: array. nan, posinf, neginf: replacement values.

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be = resolve("nan_to_num", x)
    d = be.dtype_of(x)
    if d.kind in "biu":
        return x
    if d.kind == "c":
        re = nan_to_num(ew.real(x), nan, posinf, neginf)
        im = nan_to_num(ew.imag(x), nan, posinf, neginf)
        return ew.add(re, ew.multiply(im, 1j))
    info = _dtypes.finfo(d)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    x = where(ew.isnan(x), nan, x)
    x = where(ew.greater(x, 0), where(ew.isinf(x), hi, x), where(ew.isinf(x), lo, x))
    return x


@declare("elementwise", composite=True, aliases=("around",))
def round(x: Array, /, decimals: int = 0) -> Array:  # noqa: A001
    """Round to ``decimals`` decimal places, halves to even (NumPy semantics; integers with
    ``decimals >= 0`` unchanged).

    Args:
        x: array. decimals: number of decimal places (may be negative).

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be = resolve("round", x)
    d = be.dtype_of(x)
    decimals = operator.index(decimals)
    if d.kind in "biu":
        if decimals >= 0:
            return x
        f = 10 ** (-decimals)
        if d.kind == "b" or f > _dtypes.iinfo(d).max:  # every value rounds to 0
            return ew.multiply(x, 0) if d.kind != "b" else ew.logical_and(x, False)
        # Exact integer rounding, half to even; no intermediate overflows (r = x mod f is
        # compared with f / 2, an integer as f = 10**k), so only a result outside the dtype
        # wraps around (NumPy's float round trip wraps there too: int8 -128 -> -130 -> 126).
        q = ew.floor_divide(x, f)
        r = ew.remainder(x, f)
        half = f // 2
        up = ew.logical_or(ew.greater(r, half),
                           ew.logical_and(ew.equal(r, half), ew.equal(ew.remainder(q, 2), 1)))
        return ew.multiply(where(up, ew.add(q, 1), q), f)
    if decimals == 0:
        return ew.rint(x)
    # NumPy's algorithm, operation for operation (so results agree to the bit): scale by a power
    # of ten (dividing for negative decimals, which keeps 10**-decimals exact), round half to
    # even, scale back.
    if decimals > 0:
        f = 10.0 ** decimals
        return ew.divide(ew.rint(ew.multiply(x, f)), f)
    f = 10.0 ** (-decimals)
    return ew.multiply(ew.rint(ew.divide(x, f)), f)



@declare("elementwise")
def ldexp(x1: Array, x2: Any, /) -> Array:
    """``x1 * 2**x2`` for an integer exponent ``x2``, exact unless the result over/underflows.

    The result has ``x1``'s float dtype (integer ``x1`` computes in the default float), as in
    NumPy; ``x2`` must be integer (or bool), it is not promoted with ``x1``. jax on CPU flushes
    subnormal results to zero (XLA runs with flush-to-zero).

    Args:
        x1: array or Python scalar (mantissa). x2: integer array or Python int (exponent).

    Returns:
        An array of the inputs' backend, broadcast together.
    """
    be = resolve("ldexp", x1, x2)
    if type(x1) in PY_SCALARS:
        if isinstance(x1, complex):
            raise TypeError("xops.numpy.ldexp: x1 must be real")
        d1 = be.default_float if isinstance(x1, float) else be.default_int
        x1 = call(be, "asarray", x1, be.check_dtype(d1, "ldexp"), None, None)
    d1 = be.dtype_of(x1)
    if d1.kind not in "biuf":
        raise TypeError(f"xops.numpy.ldexp: does not accept {d1.name} input for x1")
    d = _dtypes.to_float(d1, be.default_float)
    if d is not d1:
        x1 = be.k.astype(x1, be.check_dtype(d, "ldexp"))
    di = be.default_int
    if type(x2) in PY_SCALARS:
        if not isinstance(x2, int):
            raise TypeError("xops.numpy.ldexp: the exponent x2 must be an integer")
        x2 = call(be, "asarray", int(x2), be.check_dtype(di, "ldexp"), None, None)
    elif be.dtype_of(x2).kind not in "biu":
        raise TypeError(f"xops.numpy.ldexp: the exponent x2 must be an integer array, got "
                        f"{be.dtype_of(x2).name}")
    elif be.dtype_of(x2) is not di:
        x2 = be.k.astype(x2, be.check_dtype(di, "ldexp"))
    return call(be, "ldexp", x1, x2)


@declare("elementwise", composite=True)
def float_power(x1: Array, x2: Array, /) -> Array:
    """``x1 ** x2`` computed in float64 (complex128 for complex input), as NumPy. On jax without
    x64 mode, which has no 64-bit types, in float32 (complex64): the backend's widest.

    Args:
        x1, x2: arrays or Python scalars of one backend.

    Returns:
        An array of the inputs' backend, float64/complex128 (jax x32: float32/complex64).
    """
    be = resolve("float_power", x1, x2)
    (a, b), d = promote_args("float_power", be, (x1, x2), kinds="biufc")
    if d.kind == "c":
        want = _dtypes.complex128 if not be.k.unsupported_dtype(_dtypes.complex128) \
            else _dtypes.complex64
    else:
        want = _dtypes.float64 if not be.k.unsupported_dtype(_dtypes.float64) \
            else be.default_float
    native = be.check_dtype(want, "float_power")
    a = a if be.dtype_of(a) is want else be.k.astype(a, native)
    b = b if be.dtype_of(b) is want else be.k.astype(b, native)
    return ew.power(a, b)


@declare("elementwise", composite=True)
def angle(z: Array, /, deg: bool = False) -> Array:
    """Counterclockwise angle from the positive real axis, ``arctan2(imag(z), real(z))``; real
    input gives 0 or pi (pi for negative numbers and -0.0), NaN for NaN.

    Args:
        z: array (any numeric dtype). deg: return degrees instead of radians.

    Returns:
        A real float array of ``z``'s backend (integers give the default float).
    """
    be = resolve("angle", z)
    if type(z) in PY_SCALARS:
        z = call(be, "asarray", z, None, None, None)
    d = be.dtype_of(z)
    if d.kind == "b":
        z = be.k.astype(z, be.check_dtype(be.default_float, "angle"))
    out = ew.arctan2(ew.imag(z), ew.real(z))
    return ew.multiply(out, 57.29577951308232) if deg else out

# --- dtype functions ----------------------------------------------------------------------------

@declare("dtype")
def astype(x: Array, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Array:
    """``x`` cast to ``dtype`` (C-style casts; float to int truncates toward zero). With
    ``copy=False`` an array already of ``dtype`` is returned as is.

    Args:
        x: array. dtype: target dtype. copy: always copy when True.
        device: must be None or ``x``'s device (xops never moves data implicitly).

    Returns:
        An array of ``x``'s backend.
    """
    be = resolve("astype", x)
    d = dtype_arg("astype", dtype)
    if d is None:
        raise TypeError("xops.numpy.astype: dtype is required")
    native = be.check_dtype(d, "astype")
    if device is not None and device != be.k.device(x):
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
        from .._dispatch import _scalar_only_dtype
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
        from_: dtype or array. to: dtype.

    Returns:
        bool.
    """
    a = _dt("can_cast", from_)
    b = dtype_arg("can_cast", to)
    return _dtypes.promote_types(a, b) is b


@declare("dtype")
def isdtype(dtype: Any, kind: Any) -> bool:
    """Whether ``dtype`` is of ``kind`` (a dtype, a kind name such as 'integral', 'real
    floating', 'numeric', or a tuple of those), as the Array API defines.

    Args:
        dtype: dtype. kind: dtype, kind name or tuple.

    Returns:
        bool.
    """
    d = dtype_arg("isdtype", dtype)
    if isinstance(kind, tuple):
        return builtins.any(isdtype(d, k) for k in kind)
    if isinstance(kind, str) and kind in _KINDS:
        return d.kind in _KINDS[kind]
    return d is dtype_arg("isdtype", kind)


_KINDS = {"bool": "b", "signed integer": "i", "unsigned integer": "u", "integral": "iu",
          "real floating": "f", "complex floating": "c", "numeric": "iufc"}



"""Reductions and scans. Kernels receive ``(x, axis, keepdims)`` with ``axis`` None or a sorted
tuple of non-negative ints, and ``x`` already cast to the accumulation dtype.

Also the Array API's cumulative_sum/cumulative_prod and diff, and NumPy's whole-array
comparisons (allclose, array_equal, array_equiv, and isclose, the element test they reduce).
"""
from __future__ import annotations

import builtins
import functools
import math
import operator
from typing import Any, Callable

from .. import _dispatch as _d
from .. import _dtypes
from .. import _fast as _c
from .._dispatch import (
    PY_SCALARS,
    ComputeRule,
    annotate,
    backend_of,
    call,
    check_kind,
    compute_dtype,
    dtype_arg,
    normalize_axes,
    normalize_axis,
    opname_of,
    promote_args,
    resolve,
)
from .._dtypes import DType, bool_
from ..backends import Backend, _compiling
from . import creation as cr
from . import dtypes as dt
from . import elementwise as ew
from . import manipulation as mp
from ._common import _backend, _is_float
from ._registry import declare

Array = Any


def _acc_dtype(rule: ComputeRule, d: DType, be: Backend, dtype: DType | None) -> DType:
    """The accumulation dtype: ``dtype=`` when given, else the reduction's compute rule."""
    return dtype if dtype is not None else compute_dtype(rule, d, be)


class _Reduction:
    """A reduction with a cached fast path for the common ``f(x)`` call."""

    def __init__(self, name: str, kinds: str, rule: ComputeRule, empty_ok: bool = True) -> None:
        self.name = name
        self.kinds = kinds
        self.rule = rule
        self.empty_ok = empty_ok
        self.fast: dict[type, dict[Any, Callable]] = {}
        # type -> {(native dtype, ndim, axis, keepdims): (kernel(x), normalised axes)} for calls
        # with an axis (mean(x, axis=-1, keepdims=True) is the common one).
        self.axis_fast: dict[type, dict[tuple, tuple[Callable, tuple]]] = {}

    def prepare(self, x: Array, axis: Any, dtype: Any) -> tuple[Backend, Array, tuple | None]:
        name = self.name
        be = resolve(name, x)
        if type(x) in PY_SCALARS:
            x = call(be, "asarray", x, None, None, None)
        d = be.dtype_of(x)
        check_kind(name, d, self.kinds)
        acc = _acc_dtype(self.rule, d, be, dtype_arg(name, dtype))
        native = be.check_dtype(acc, name)
        if acc is not d:
            x = be.k.astype(x, native)
        shape = tuple(x.shape)
        axes = normalize_axes(name, axis, len(shape))
        if not self.empty_ok:
            reduced = shape if axes is None else [shape[a] for a in axes]
            if builtins.any(s == 0 for s in reduced):
                raise ValueError(f"xops.numpy.{name}: zero-size reduction has no identity "
                                 f"(shape {shape}, axis {axis})")
        return be, x, axes

    def __call__(self, x: Array, axis: Any, dtype: Any, keepdims: bool) -> Array:
        be, xc, axes = self.prepare(x, axis, dtype)
        out = call(be, self.name, xc, axes, bool(keepdims))
        if dtype is None and xc is x and not _compiling():
            if axis is None and not keepdims:
                if type(x) not in self.fast:
                    self.fast[type(x)] = self._build_fast(be)
            elif (isinstance(axis, (int, tuple)) and isinstance(keepdims, bool)
                  and hasattr(x, "ndim") and self._cacheable(be.dtype_of(x))):
                k = functools.partial(be.require(self.name, be.dtype_of(x)),
                                      axis=axes, keepdims=keepdims)
                self.axis_fast.setdefault(type(x), {})[(x.dtype, x.ndim, axis, keepdims)] = (
                    k, () if axes is None else axes)
        return out

    def _cacheable(self, d: DType) -> bool:
        # Accumulators that depend on the backend's default int (jax's follows the x64 switch,
        # which may change after a table is built) are never cached.
        return not (self.rule == "sum" and d.kind in "biu" and d.bits < 64)

    def _build_fast(self, be: Backend) -> dict[Any, Callable]:
        table: dict[Any, Callable] = {}
        k = getattr(be.k, self.name)
        # A table may name a native whole-array reduction for float/complex input (e.g.
        # torch.Tensor.sum): the common ``sum(x)`` call then skips the kernel's own wrapper.
        full = getattr(be.k, "FULL_REDUCTIONS", {}).get(self.name)
        for d, native in be.native.items():
            if not self._cacheable(d):
                continue
            if (d.kind in self.kinds and _acc_dtype(self.rule, d, be, None) is d
                    and not be.k.unsupported_dtype(d)):
                if full is not None and d.kind in "fc":
                    table[native] = full
                else:
                    table[native] = functools.partial(be.kernel(self.name, d) or k, axis=None,
                                                      keepdims=False)
        return table


def _fast(red: _Reduction) -> Callable:
    # the axis path; the whole-array path is the public op's own (_public)
    aget = red.axis_fast.get
    name = red.name
    check_empty = not red.empty_ok

    def run(x: Array, axis: Any, dtype: Any, keepdims: bool) -> Array:
        if _d.IS_DYNAMO():  # no eager cache reads while dynamo traces (it would guard on them)
            return red(x, axis, dtype, keepdims)
        if dtype is None and axis is not None and (type(axis) is int or type(axis) is tuple):
            at = aget(type(x))
            if at is not None:
                hit = at.get((x.dtype, x.ndim, axis, keepdims))
                if hit is not None:
                    k, axes = hit
                    if check_empty:
                        shape = x.shape
                        for a in axes:
                            if shape[a] == 0:
                                return red(x, axis, dtype, keepdims)  # raises the clear error
                    try:
                        return k(x)
                    except Exception as e:
                        annotate(e, name, None)
                        raise
        return red(x, axis, dtype, keepdims)

    return run


_SUM = _Reduction("sum", "biufc", "sum")
_sum = _fast(_SUM)
_PROD = _Reduction("prod", "biufc", "sum")
_prod = _fast(_PROD)
_MEAN = _Reduction("mean", "biufc", "float")
_mean = _fast(_MEAN)
_MAX = _Reduction("max", "biuf", "same", empty_ok=False)
_max = _fast(_MAX)
_MIN = _Reduction("min", "biuf", "same", empty_ok=False)
_min = _fast(_MIN)
_ALL = _Reduction("all", "biufc", "bool")
_all = _fast(_ALL)
_ANY = _Reduction("any", "biufc", "bool")
_any = _fast(_ANY)


def _public(red: _Reduction, with_dtype: bool) -> Callable[[Callable], Callable]:
    """``declare(fast=)`` for the hot reductions: the public op answers a whole-array reduction
    of a cached dtype itself (one Python frame: the generated wrapper and the body cost two
    more, +0.15-0.2 us on a 4-element torch sum); any other call goes to the declared op."""
    fget = red.fast.get
    name = red.name
    check_empty = not red.empty_ok
    cache = red.fast
    c_unary: Any = None if check_empty else _c.unary  # max/min check the shape first
    miss = _c.MISS

    def make(checked: Callable) -> Callable:
        def op_c(x: Array, /, axis: Any = None, dtype: Any = None, *,
                 keepdims: bool = False) -> Array:  # the C path (xops/_speedups.c) of op below
            if axis is None and dtype is None and keepdims is False and not _d.IS_DYNAMO():
                try:
                    out = c_unary(cache, x)
                except Exception as e:
                    annotate(e, name, None)
                    raise
                if out is not miss:
                    return out
            if with_dtype:
                return checked(x, axis, dtype, keepdims=keepdims)
            return checked(x, axis, keepdims=keepdims)

        def op(x: Array, /, axis: Any = None, dtype: Any = None, *,
               keepdims: bool = False) -> Array:
            if axis is None and dtype is None and keepdims is False and not _d.IS_DYNAMO():
                ft = fget(type(x))  # None for lists, scalars, NumPy data beside other arrays
                if ft is not None:
                    kf = ft.get(x.dtype)
                    if kf is not None and not (check_empty and 0 in x.shape):
                        try:
                            return kf(x)
                        except Exception as e:
                            annotate(e, name, None)
                            raise
            if with_dtype:
                return checked(x, axis, dtype, keepdims=keepdims)
            return checked(x, axis, keepdims=keepdims)

        public = op if c_unary is None else op_c
        if with_dtype:
            return public

        def op_no_dtype(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
            return public(x, axis, None, keepdims=keepdims)

        return op_no_dtype

    return make


@declare("reduction", fast=_public(_SUM, True))
def sum(x: Array, /, axis: Any = None, dtype: Any = None, *, keepdims: bool = False) -> Array:
    """Sum over ``axis`` (None: all axes). Bool and narrow integers accumulate in the default
    integer dtype (NumPy's rule), on every backend.

    Args:
        x: input array.
        axis: None, an int or a tuple of ints.
        dtype: accumulation and result dtype (default: see above).
        keepdims: keep reduced axes as size-1 dimensions.

    Returns:
        An array of ``x``'s backend.

    >>> import numpy as np
    >>> from xops import numpy as xnp
    >>> xnp.sum(np.array([[1, 2], [3, 4]], dtype=np.int8), axis=0)
    array([4, 6])
    """
    return _sum(x, axis, dtype, keepdims)


_DTYPE_ARGS = """
    Args:
        x: input array.
        axis: None, int or tuple.
        dtype: result dtype.
        keepdims: keep axes.

    Returns:
        An array of ``x``'s backend{note}.
"""


@declare("reduction", doc_args=_DTYPE_ARGS.format(note=""), fast=_public(_PROD, True))
def prod(x: Array, /, axis: Any = None, dtype: Any = None, *, keepdims: bool = False) -> Array:
    """Product over ``axis``; accumulation dtype as for :func:`sum`."""
    return _prod(x, axis, dtype, keepdims)


@declare("reduction", doc_args=_DTYPE_ARGS.format(note="; NaN for an empty reduction"),
         fast=_public(_MEAN, True))
def mean(x: Array, /, axis: Any = None, dtype: Any = None, *, keepdims: bool = False) -> Array:
    """Arithmetic mean over ``axis``; integers average in the default float dtype."""
    return _mean(x, axis, dtype, keepdims)


_AXIS_ARGS = """
    Args:
        x: input array.
        axis: None, int or tuple.
        keepdims: keep reduced axes.

    Returns:
        {returns}
"""
_EXTREME_ARGS = _AXIS_ARGS.format(returns="An array of ``x``'s backend and dtype.")


@declare("reduction", aliases=("amax",), doc_args=_EXTREME_ARGS, fast=_public(_MAX, False))
def max(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """Maximum over ``axis``; NaN propagates. An empty reduction raises ValueError."""
    return _max(x, axis, None, keepdims)


@declare("reduction", aliases=("amin",), doc_args=_EXTREME_ARGS, fast=_public(_MIN, False))
def min(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """Minimum over ``axis``; NaN propagates. An empty reduction raises ValueError."""
    return _min(x, axis, None, keepdims)


@declare("reduction", doc_args=_AXIS_ARGS.format(returns="A bool array of ``x``'s backend."),
         fast=_public(_ALL, False))
def all(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """True where every element along ``axis`` is truthy (NaN counts as true)."""
    return _all(x, axis, None, keepdims)


@declare("reduction", doc_args=_AXIS_ARGS.format(returns="A bool array of ``x``'s backend."),
         fast=_public(_ANY, False))
def any(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """True where some element along ``axis`` is truthy (NaN counts as true)."""
    return _any(x, axis, None, keepdims)


# Argument preparation (backend, dtype check, accumulator cast, axes) for the reductions that
# have no fast path of their own; built once, not per call.
_var_red = _Reduction("var", "biufc", "float")
_count_red = _Reduction("count_nonzero", "biufc", "bool")
_SCAN_RED = {"cumsum": _Reduction("cumsum", "biufc", "sum"),
             "cumprod": _Reduction("cumprod", "biufc", "sum")}


def _moment(name: str, x: Array, axis: Any, dtype: Any, ddof: Any, correction: Any,
            keepdims: bool) -> Array:
    if correction is not None:
        if ddof not in (0, None):
            raise ValueError(f"xops.numpy.{name}: pass ddof or correction, not both")
        ddof = correction
    be, xc, axes = _var_red.prepare(x, axis, dtype)
    return call(be, name, xc, axes, bool(keepdims), ddof or 0)


_MOMENT_ARGS = """
    Args:
        x: input array.
        axis: None, int or tuple.
        dtype: result dtype.
        ddof: delta degrees of freedom.
        keepdims: keep reduced axes.
        correction: delta degrees of freedom (the Array API name of ``ddof``).

    Returns:
        An array of ``x``'s backend (real dtype for complex input).
"""


@declare("reduction", doc_args=_MOMENT_ARGS)
def var(x: Array, /, axis: Any = None, dtype: Any = None, *, ddof: float = 0,
        keepdims: bool = False, correction: float | None = None) -> Array:
    """Variance over ``axis`` with ``ddof`` (alias ``correction``, Array API) degrees of freedom
    subtracted; integers compute in the default float dtype."""
    return _moment("var", x, axis, dtype, ddof, correction, keepdims)


@declare("reduction", doc_args=_MOMENT_ARGS)
def std(x: Array, /, axis: Any = None, dtype: Any = None, *, ddof: float = 0,
        keepdims: bool = False, correction: float | None = None) -> Array:
    """Standard deviation over ``axis``; see :func:`var`."""
    return _moment("std", x, axis, dtype, ddof, correction, keepdims)


def _arg(name: str, x: Array, axis: Any, keepdims: bool) -> Array:
    be = resolve(name, x)
    d = be.dtype_of(x)
    check_kind(name, d, "biuf")
    shape = tuple(x.shape)
    ax = None if axis is None else normalize_axis(name, axis, len(shape))
    if (math.prod(shape) if ax is None else shape[ax]) == 0:
        raise ValueError(f"xops.numpy.{name}: attempt to get {name} of an empty sequence")
    idx = be.check_dtype(be.default_int, name)
    return call(be, name, x, ax, bool(keepdims), idx)


_ARG_ARGS = """
    Args:
        x: input array.
        axis: None or an int.
        keepdims: keep the reduced axis.

    Returns:
        An integer array of ``x``'s backend.
"""


@declare("reduction", doc_args=_ARG_ARGS)
def argmax(x: Array, /, axis: int | None = None, *, keepdims: bool = False) -> Array:
    """Index of the first maximum along ``axis`` (None: of the flattened array); the first NaN
    counts as the maximum (NumPy semantics). Returns the default integer dtype."""
    return _arg("argmax", x, axis, keepdims)


@declare("reduction", doc_args=_ARG_ARGS)
def argmin(x: Array, /, axis: int | None = None, *, keepdims: bool = False) -> Array:
    """Index of the first minimum along ``axis`` (None: of the flattened array); the first NaN
    counts as the minimum (NumPy semantics). Returns the default integer dtype."""
    return _arg("argmin", x, axis, keepdims)


@declare("reduction", doc_args=_AXIS_ARGS.format(
    returns="An integer array of ``x``'s backend (a 0-d array when ``axis`` is None, unlike "
            "NumPy's\n        Python int)."))
def count_nonzero(x: Array, /, axis: Any = None, *, keepdims: bool = False) -> Array:
    """Number of non-zero (truthy) elements along ``axis``, in the default integer dtype."""
    be, xc, axes = _count_red.prepare(x, axis, None)
    return call(be, "count_nonzero", xc, axes, bool(keepdims),
                be.check_dtype(be.default_int, "count_nonzero"))


def _scan(name: str, x: Array, axis: Any, dtype: Any) -> Array:
    be, xc, _ = _SCAN_RED[name].prepare(x, None, dtype)
    if axis is None:
        xc = call(be, "reshape", xc, (-1,))
        ax = 0
    else:
        ax = normalize_axis(name, axis, len(xc.shape))
    return call(be, name, xc, ax)


_SCAN_ARGS = """
    Args:
        x: input array.
        axis: None or int.
        dtype: accumulation and result dtype.

    Returns:
        An array of ``x``'s backend.
"""


@declare("reduction", doc_args=_SCAN_ARGS)
def cumsum(x: Array, /, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative sum along ``axis`` (None: over the flattened array); accumulation dtype as for
    :func:`sum`."""
    return _scan("cumsum", x, axis, dtype)


@declare("reduction", doc_args=_SCAN_ARGS)
def cumprod(x: Array, /, axis: int | None = None, dtype: Any = None) -> Array:
    """Cumulative product along ``axis`` (None: over the flattened array)."""
    return _scan("cumprod", x, axis, dtype)


# --- cumulative sums and products, differences (Array API 2025.12) -------------------------------


def _cumulative(name: str, scan: Any, x: Array, axis: int | None, dtype: Any,
                include_initial: bool, initial: int) -> Array:
    be = _backend(name, x)
    nd = len(x.shape)
    if axis is None:
        if nd > 1:
            raise ValueError(f"{opname_of(name)}: axis is required for arrays with more than one "
                             "dimension")
        if nd == 0:
            x = mp.reshape(x, (1,))
        axis = 0
    ax = normalize_axis(name, axis, len(x.shape))
    out = scan(x, axis=ax, dtype=dtype)
    if include_initial:
        shp = list(out.shape)
        shp[ax] = 1
        init = cr.full(tuple(shp), initial, be.dtype_of(out), like=out)
        out = mp.concatenate([init, out], axis=ax)
    return out


_CUMULATIVE_ARGS = """
    Args:
        x: array.
        axis: int (None for 0-d/1-d input).
        dtype: accumulation and result dtype.
        include_initial: prepend the {what} of no elements ({v}) along ``axis``.

    Returns:
        An array of ``x``'s backend; ``axis`` has ``n + 1`` entries with ``include_initial``.
"""


@declare("reduction", composite=True, doc_args=_CUMULATIVE_ARGS.format(what="sum", v=0))
def cumulative_sum(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Array:
    """Cumulative sum along ``axis`` (required for ndim > 1), optionally starting with the
    initial 0; accumulation dtype as for :func:`sum` (narrow integers widen to the default int).
    """
    return _cumulative("cumulative_sum", cumsum, x, axis, dtype, include_initial, 0)


@declare("reduction", composite=True, doc_args=_CUMULATIVE_ARGS.format(what="product", v=1))
def cumulative_prod(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                    include_initial: bool = False) -> Array:
    """Cumulative product along ``axis`` (required for ndim > 1), optionally starting with the
    initial 1; accumulation dtype as for :func:`prod`."""
    return _cumulative("cumulative_prod", cumprod, x, axis, dtype, include_initial, 1)


def _edge(be: Any, x: Array, v: Any, ax: int) -> Array:
    """``prepend``/``append`` as an array: 0-d values broadcast to ``x``'s shape with size 1
    along ``ax`` (NumPy's rule); Python scalars are weak (they take ``x``'s dtype)."""
    if type(v) in PY_SCALARS or len(getattr(v, "shape", ())) == 0:
        shp = list(x.shape)
        shp[ax] = 1
        if type(v) in PY_SCALARS:
            d = _dtypes.weak_scalar_dtype(v, be.dtype_of(x), be.default_int, be.default_float)
            v = cr.asarray(v, dtype=d, like=x)
        return mp.broadcast_to(v, tuple(shp))
    return v


@declare("utility", composite=True)
def diff(x: Array, /, *, axis: int = -1, n: int = 1, prepend: Any = None,
         append: Any = None) -> Array:
    """The ``n``-th forward difference ``x[i+1] - x[i]`` along ``axis`` (bool input: ``!=``, as
    NumPy does); ``prepend``/``append`` are joined to ``x`` along ``axis`` first (dtypes
    promoted; Python scalars are weak, taking ``x``'s dtype where NumPy would widen to int64 or
    float64, and broadcast).

    Args:
        x: array with ndim >= 1.
        axis: the axis.
        n: number of times to difference (>= 0).
        prepend: array or scalar joined before ``x`` along ``axis``.
        append: array or scalar joined after ``x`` along ``axis``.

    Returns:
        An array of ``x``'s backend, ``n`` shorter along ``axis`` (plus the joined lengths).
    """
    be = resolve("diff", x)
    if type(x) in PY_SCALARS or len(x.shape) == 0:
        raise ValueError("xops.numpy.diff: input must be at least 1-d")
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"xops.numpy.diff: order must be non-negative, got {n}")
    nd = len(x.shape)
    ax = normalize_axis("diff", axis, nd)
    if n == 0:
        return x  # NumPy returns the input as is, without prepend/append
    if prepend is not None or append is not None:
        parts = [x]
        if prepend is not None:
            parts.insert(0, _edge(be, x, prepend, ax))
        if append is not None:
            parts.append(_edge(be, x, append, ax))
        x = mp.concatenate(parts, axis=ax)
    head = (slice(None),) * ax  # (the trailing Ellipsis: the Array API wants every axis named)
    hi, lo = head + (slice(1, None), ...), head + (slice(None, -1), ...)
    op = ew.not_equal if be.dtype_of(x) is bool_ else ew.subtract
    for _ in range(n):
        if x.shape[ax] == 0:
            break
        x = op(x[hi], x[lo])
    return x


# --- comparisons of whole arrays (NumPy's logic functions) ---------------------------------------


def _close(name: str, a: Any, b: Any, rtol: Any, atol: Any, equal_nan: bool) -> Array:
    be = resolve(name, a, b)
    (x, y), d = promote_args(name, be, (a, b))
    f = _dtypes.to_float(d, be.default_float)
    be.check_dtype(f, name)
    if f is not d:
        x, y = dt.astype(x, f), dt.astype(y, f)
    ay = ew.abs(y)
    tol = ew.add(ew.multiply(ay, rtol), atol)
    r = ew.logical_or(ew.logical_and(ew.less_equal(ew.abs(ew.subtract(x, y)), tol),
                                     ew.isfinite(y)),
                      ew.equal(x, y))
    if equal_nan:
        r = ew.logical_or(r, ew.logical_and(ew.isnan(x), ew.isnan(y)))
    return r


_CLOSE_ARGS = """
    Args:
        a: arrays of one backend or Python scalars{bc}.
        b: arrays of one backend or Python scalars{bc}.
        rtol: relative tolerance.
        atol: absolute tolerance.
        equal_nan: treat NaN as equal to NaN.

    Returns:
        {returns}
"""
_EXTREME_ARGS = _AXIS_ARGS.format(returns="An array of ``x``'s backend and dtype.")


@declare("statistics", composite=True, doc_args=_CLOSE_ARGS.format(
    bc=" (broadcast)", returns="A bool array of the inputs' backend."))
def isclose(a: Array, b: Array, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Array:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (not symmetric, as NumPy), with equal
    infinities close and NaN close to NaN only with ``equal_nan``. Integers compare in the
    default float; the inputs are promoted with xops' table first."""
    return _close("isclose", a, b, rtol, atol, equal_nan)


@declare("statistics", composite=True, doc_args=_CLOSE_ARGS.format(bc="", returns=(
    "A 0-d bool array of the inputs' backend (NumPy returns a Python bool; a native array\n"
    "        keeps the op usable under jit: ``bool(...)`` it when eager).")))
def allclose(a: Array, b: Array, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> Array:
    """True when :func:`isclose` holds everywhere."""
    return all(_close("allclose", a, b, rtol, atol, equal_nan))


def _false(like: Array) -> Array:
    return cr.asarray(False, like=like)


def _shapes(name: str, a1: Any, a2: Any) -> tuple[Backend, Array, tuple, tuple]:
    """The backend of ``a1``/``a2``, the one to build a result like, and their shapes."""
    be = resolve(name, a1, a2)
    like = a1 if backend_of(a1) is not None else a2
    return be, like, tuple(getattr(a1, "shape", ())), tuple(getattr(a2, "shape", ()))


@declare("statistics", composite=True)
def array_equal(a1: Array, a2: Array, equal_nan: bool = False) -> Array:
    """True when both arrays have the same shape and the same values (after promotion); with
    ``equal_nan`` NaN equals NaN.

    Args:
        a1: arrays of one backend.
        a2: arrays of one backend.
        equal_nan: treat NaN as equal to NaN.

    Returns:
        A 0-d bool array of the inputs' backend (NumPy returns a Python bool).
    """
    be, like, s1, s2 = _shapes("array_equal", a1, a2)
    if s1 != s2:
        return _false(like)
    (x, y), d = promote_args("array_equal", be, (a1, a2))
    eq = ew.equal(x, y)
    if equal_nan and _is_float(d):
        eq = ew.logical_or(eq, ew.logical_and(ew.isnan(x), ew.isnan(y)))
    return all(eq)


@declare("statistics", composite=True)
def array_equiv(a1: Array, a2: Array) -> Array:
    """True when the arrays broadcast together and are equal everywhere (after promotion).

    Args:
        a1: arrays of one backend.
        a2: arrays of one backend.

    Returns:
        A 0-d bool array of the inputs' backend (NumPy returns a Python bool).
    """
    be, like, s1, s2 = _shapes("array_equiv", a1, a2)
    for p, q in zip(reversed(s1), reversed(s2)):
        if p != q and p != 1 and q != 1:
            return _false(like)
    (x, y), _ = promote_args("array_equiv", be, (a1, a2))
    return all(ew.equal(x, y))

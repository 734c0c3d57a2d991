"""NumPy statistics and nan-aware reductions beyond the Array API standard.

Almost every op here is a composite of other xops ops (sort-based order statistics, masked
reductions), so it runs on every backend and under jax.jit / torch.compile / tf.function as
long as its output shape does not depend on the data. Two small kernels per backend
(``searchsorted``, ``bincount`` in each backend package) cover what cannot be
composed exactly and cheaply. Semantics and per-backend notes: docs/stats.md.
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any

from .. import _dtypes
from .._dispatch import (PY_SCALARS, backend_of, call, dtype_arg, normalize_axes,
                         normalize_axis, opname_of, promote_args, resolve)
from .._dtypes import DType, bool_
from ..backends import Backend
from . import creation as cr
from . import elementwise as ew
from . import indexing as ix
from . import manipulation as mp
from . import reductions as red
from ._registry import declare

Array = Any


# --------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------
def _err(name: str, msg: str) -> str:
    return f"{opname_of(name)}: {msg}"


def _array(name: str, x: Any, like: Any = None) -> tuple[Backend, Array]:
    """``x`` as a native array (Python scalars and nested lists become arrays of ``like``'s or
    the default backend)."""
    if type(x) in PY_SCALARS or isinstance(x, (list, tuple)):
        be = resolve(name, like=like)
        return be, cr.asarray(x, like=like) if like is not None else cr.asarray(x)
    return resolve(name, x), x


def _kind_check(name: str, be: Backend, x: Array, kinds: str) -> DType:
    d = be.dtype_of(x)
    if d.kind not in kinds:
        raise TypeError(_err(name, f"does not accept {d.name} input on the {be.name} backend"))
    return d


def _to_float(name: str, be: Backend, x: Array, dtype: Any = None) -> tuple[Array, DType]:
    """``x`` cast to ``dtype`` or, by default, its float dtype (integers and bool: the
    backend's default float)."""
    d = be.dtype_of(x)
    f = dtype_arg(name, dtype) or _dtypes.to_float(d, be.default_float)
    be.check_dtype(f, name)
    return (x if f is d else ix.astype(x, f)), f


def _index_float(be: Backend) -> DType:
    """The dtype quantile positions are computed in: float64 where the backend holds it (the
    positions then match NumPy's bit for bit), else float32."""
    return _dtypes.float32 if be.k.unsupported_dtype(_dtypes.float64) else _dtypes.float64


def _to_last(name: str, x: Array, axis: Any) -> tuple[Array, tuple, tuple, int]:
    """Move the reduced axes of ``x`` last and merge them: (array of shape batch + (n,),
    batch shape, keepdims shape, n)."""
    shape = tuple(x.shape)
    nd = len(shape)
    axes = normalize_axes(name, axis, nd)
    if axes is None:
        axes = tuple(range(nd))
    rest = [i for i in range(nd) if i not in axes]
    batch = tuple(shape[i] for i in rest)
    n = math.prod(shape[i] for i in axes)
    keep = tuple(1 if i in axes else shape[i] for i in range(nd))
    if axes != tuple(range(nd - len(axes), nd)):
        x = mp.moveaxis(x, list(axes), list(range(nd - len(axes), nd)))
    return mp.reshape(x, batch + (n,)), batch, keep, n


def _nan_like(be: Backend, shape: tuple, d: DType, like: Array) -> Array:
    return cr.full(shape, math.nan, dtype=d, like=like)


def _is_float(d: DType) -> bool:
    return d.kind in "fc"


def _half(d: DType) -> bool:
    return d in (_dtypes.float16, _dtypes.bfloat16)


def _midpoint(a: Array, b: Array, d: DType) -> Array:
    """(a + b) / 2 as NumPy's mean of two values computes it (float16 through float32)."""
    if _half(d):
        s = ew.add(ix.astype(a, _dtypes.float32), ix.astype(b, _dtypes.float32))
        return ix.astype(ew.divide(s, 2.0), d)
    return ew.divide(ew.add(a, b), 2.0)


def _lerp(a: Array, b: Array, t: Array) -> Array:
    """NumPy's quantile interpolation: a + (b - a) t, computed from b's side when t >= 0.5
    (exact at both ends)."""
    diff = ew.subtract(b, a)
    lo = ew.add(a, ew.multiply(diff, t))
    hi = ew.subtract(b, ew.multiply(diff, ew.subtract(1.0, t)))
    return ix.where(ew.greater_equal(t, 0.5), hi, lo)


def _zero_fill(x: Array, mask: Array, value: float) -> Array:
    return ix.where(mask, value, x)


# --------------------------------------------------------------------------------------------
# quantiles
# --------------------------------------------------------------------------------------------
# Hyndman & Fan (1996) continuous methods: virtual index n*q + alpha + q*(1 - alpha - beta) - 1.
_CONTINUOUS = {"interpolated_inverted_cdf": (0.0, 1.0), "hazen": (0.5, 0.5),
               "weibull": (0.0, 0.0), "median_unbiased": (1 / 3.0, 1 / 3.0),
               "normal_unbiased": (3 / 8.0, 3 / 8.0)}
# Methods that pick an order statistic (no interpolation): the result keeps the input dtype.
_DISCRETE = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest")
_INTERP = ("linear", "midpoint", "averaged_inverted_cdf") + tuple(_CONTINUOUS)
METHODS = _DISCRETE + _INTERP


def _q_array(name: str, be: Backend, q: Any, fd: DType, like: Array,
             scale: float) -> tuple[Array, tuple]:
    """q as a native 1-d array of dtype ``fd`` (divided by ``scale``) and q's own shape."""
    if type(q) in PY_SCALARS or isinstance(q, (list, tuple)):
        vals = [q] if type(q) in PY_SCALARS else list(q)
        if builtins.any(isinstance(v, (list, tuple)) for v in vals):
            raise ValueError(_err(name, "q must be a scalar or 1d"))
        vals = [float(v) / scale if scale != 1 else float(v) for v in vals]
        if not builtins.all(0.0 <= v <= 1.0 for v in vals):
            what = "Percentiles must be in the range [0, 100]" if scale == 100 else \
                "Quantiles must be in the range [0, 1]"
            raise ValueError(_err(name, what))
        shape = () if type(q) in PY_SCALARS else (len(vals),)
        return cr.asarray(vals, dtype=fd, like=like) if vals else \
            cr.zeros((0,), dtype=fd, like=like), shape
    qb = resolve(name, like, q)
    if qb is not be:  # pragma: no cover - resolve raises first
        raise TypeError(_err(name, "q and a belong to different backends"))
    qd = be.dtype_of(q)
    if qd.kind not in "iuf":
        raise TypeError(_err(name, f"q must be real, got {qd.name}"))
    shape = tuple(q.shape)
    if len(shape) > 1:
        raise ValueError(_err(name, "q must be a scalar or 1d"))
    qa = mp.reshape(q if qd is fd else ix.astype(q, fd), (-1,))
    if scale != 1:
        qa = ew.divide(qa, float(scale))
    return qa, shape


def _positions(method: str, n: Any, q: Array) -> tuple[Array, Array | None, Array | None]:
    """(lower index, upper index, weight) as floats for ``method`` with ``n`` values (a Python
    int or an array of counts); a discrete method gives (index, None, None)."""
    if method in ("lower", "higher", "nearest"):
        v = ew.multiply(q, n - 1) if isinstance(n, int) else ew.multiply(ew.subtract(n, 1), q)
        f = {"lower": ew.floor, "higher": ew.ceil, "nearest": ew.rint}[method]
        return f(v), None, None
    if method in ("inverted_cdf", "closest_observation"):
        v = ew.subtract(ew.multiply(q, n) if isinstance(n, int) else ew.multiply(n, q), 1.0)
        if method == "closest_observation":
            v = ew.subtract(v, 0.5)
        p = ew.floor(v)
        at = ew.equal(ew.subtract(v, p), 0.0)
        if method == "closest_observation":
            # the nearest even order statistic (1-based) at a tie
            at = ew.logical_and(at, ew.equal(ew.remainder(p, 2.0), 1.0))
        return ix.where(at, p, ew.add(p, 1.0)), None, None
    nq = ew.multiply(q, n) if isinstance(n, int) else ew.multiply(n, q)
    if method == "linear":
        v = ew.multiply(q, n - 1) if isinstance(n, int) else ew.multiply(ew.subtract(n, 1), q)
    elif method == "midpoint":
        v0 = ew.multiply(q, n - 1) if isinstance(n, int) else ew.multiply(ew.subtract(n, 1), q)
        v = ew.multiply(ew.add(ew.floor(v0), ew.ceil(v0)), 0.5)
    elif method == "averaged_inverted_cdf":
        v = ew.subtract(nq, 1.0)
    else:
        alpha, beta = _CONTINUOUS[method]
        v = ew.subtract(ew.add(nq, ew.add(alpha, ew.multiply(q, 1 - alpha - beta))), 1.0)
    p = ew.floor(v)
    g = ew.subtract(v, p)
    if method == "midpoint":
        g = ix.where(ew.equal(ew.remainder(v, 1.0), 0.0), 0.0, 0.5)
    elif method == "averaged_inverted_cdf":
        g = ix.where(ew.equal(g, 0.0), 0.5, 1.0)
    last = n - 1 if isinstance(n, int) else ew.subtract(n, 1.0)
    above = ew.greater_equal(v, last)
    below = ew.less(v, 0.0)
    p1 = ew.add(p, 1.0)
    p = ix.where(above, last, ix.where(below, 0.0, p))
    p1 = ix.where(above, last, ix.where(below, 0.0, p1))
    return p, p1, g


def _gather(s: Array, idx: Array, batch: tuple, n: int, be: Backend) -> Array:
    """s[..., idx] for float positions ``idx`` (shape (m,) or batch + (m,)), clipped into
    [0, n - 1]."""
    i = ix.astype(ix.clip(idx, 0.0, float(builtins.max(n - 1, 0))), be.default_int)
    m = tuple(i.shape)[-1]
    i = mp.broadcast_to(i, batch + (m,))
    return ix.take_along_axis(s, i, axis=-1)


def _finish(r: Array, qshape: tuple, out_shape: tuple) -> Array:
    """(batch..., m) -> q.shape + out_shape."""
    r = mp.moveaxis(r, -1, 0)
    return mp.reshape(r, qshape + out_shape)


def _quantile(name: str, a: Any, q: Any, axis: Any, method: str, keepdims: bool,
              nan: bool, scale: float) -> Array:
    if method not in METHODS:
        raise ValueError(_err(name, f"{method!r} is not a valid method; use one of "
                                    f"{', '.join(METHODS)}"))
    be, x = _array(name, a)
    d = _kind_check(name, be, x, "iuf")
    discrete = method in _DISCRETE
    if not discrete:
        x, d = _to_float(name, be, x)
    fd = _index_float(be)
    qa, qshape = _q_array(name, be, q, fd, x, scale)
    xl, batch, keep, n = _to_last(name, x, axis)
    out_shape = keep if keepdims else batch
    if n == 0:
        if not nan:
            raise ValueError(_err(name, "cannot take a quantile of an empty slice (NumPy "
                                        "raises IndexError)"))
        return _nan_like(be, qshape + out_shape, _dtypes.to_float(d, be.default_float), x)
    isnan = ew.isnan(xl) if _is_float(d) else None
    if nan and isnan is not None:
        # NaN as +inf: the first ``count`` sorted values are then the non-NaN ones, whatever
        # a backend's sort does with NaN.
        s = ix.sort(ix.where(isnan, math.inf, xl), axis=-1)
    else:
        s = ix.sort(xl, axis=-1)
    if nan and isnan is not None:
        valid = ew.logical_not(isnan)
        cnt = ix.astype(red.sum(valid, axis=-1, keepdims=True), fd)  # batch + (1,)
        count: Any = cnt
    else:
        cnt = None
        count = n
    lo, hi, g = _positions(method, count, qa)
    a_lo = _gather(s, lo, batch, n, be)
    if hi is None:
        r = a_lo
    else:
        a_hi = _gather(s, hi, batch, n, be)
        r = _lerp(a_lo, a_hi, ix.astype(g, d))
    if _is_float(d):
        if cnt is not None:
            r = ix.where(ew.equal(cnt, 0.0), math.nan, r)
        else:
            # a slice holding NaN has a NaN quantile (NumPy)
            r = ix.where(red.any(isnan, axis=-1, keepdims=True), math.nan, r)
    return _finish(r, qshape, out_shape)


_Q_ARGS = """
    Args:
        a: real array (bool is refused, as NumPy does).
        q: probability or sequence/1-d array of probabilities{rng}.
        axis: None (all axes), an int or a tuple of ints.
        method: {methods}.
        keepdims: keep the reduced axes as size-1 dimensions.
        out, overwrite_input: accepted for NumPy compatibility (``out`` must be None).
        weights: only None is supported.

    Returns:
        An array of ``a``'s backend of shape ``q.shape + reduced shape``. Interpolating methods
        give ``a``'s float dtype (integers: the default float); the methods that pick an order
        statistic (lower, higher, nearest, inverted_cdf, closest_observation) keep ``a``'s dtype.
        q takes no part in the result dtype (NumPy promotes with a float64 q array).
"""


def _no_out(name: str, out: Any, weights: Any = None) -> None:
    if out is not None:
        raise TypeError(_err(name, "out= is not supported (xops never writes in place)"))
    if weights is not None:
        raise NotImplementedError(_err(name, "weights= is not supported yet"))


def _qdoc(rng: str) -> Any:
    def deco(fn: Any) -> Any:
        fn.__doc__ = fn.__doc__ + _Q_ARGS.format(rng=rng, methods=", ".join(METHODS))
        return fn
    return deco


@declare("statistics", composite=True)
@_qdoc(" in [0, 1]")
def quantile(a: Array, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None) -> Array:
    """The ``q``-th quantiles of ``a`` along ``axis`` (NumPy's 13 methods, default "linear");
    a slice holding NaN gives NaN. Sort-based: works under jit.
"""
    _no_out("quantile", out, weights)
    return _quantile("quantile", a, q, axis, method, keepdims, False, 1)


@declare("statistics", composite=True)
@_qdoc(" in [0, 100]")
def percentile(a: Array, q: Any, axis: Any = None, out: Any = None,
               overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
               *, weights: Any = None) -> Array:
    """The ``q``-th percentiles of ``a`` along ``axis``: :func:`quantile` of ``q / 100``.
"""
    _no_out("percentile", out, weights)
    return _quantile("percentile", a, q, axis, method, keepdims, False, 100)


@declare("statistics", composite=True)
@_qdoc(" in [0, 1]")
def nanquantile(a: Array, q: Any, axis: Any = None, out: Any = None,
                overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
                *, weights: Any = None) -> Array:
    """:func:`quantile` ignoring NaN: each slice's positions use its count of non-NaN values;
    an all-NaN (or empty) slice gives NaN.
"""
    _no_out("nanquantile", out, weights)
    return _quantile("nanquantile", a, q, axis, method, keepdims, True, 1)


@declare("statistics", composite=True)
@_qdoc(" in [0, 100]")
def nanpercentile(a: Array, q: Any, axis: Any = None, out: Any = None,
                  overwrite_input: bool = False, method: str = "linear",
                  keepdims: bool = False, *, weights: Any = None) -> Array:
    """:func:`percentile` ignoring NaN (see :func:`nanquantile`).
"""
    _no_out("nanpercentile", out, weights)
    return _quantile("nanpercentile", a, q, axis, method, keepdims, True, 100)


def _median(name: str, a: Any, axis: Any, keepdims: bool, nan: bool) -> Array:
    be, x = _array(name, a)
    _kind_check(name, be, x, "biuf")
    x, d = _to_float(name, be, x)
    xl, batch, keep, n = _to_last(name, x, axis)
    out_shape = keep if keepdims else batch
    if n == 0:  # NumPy: the mean of an empty slice, NaN
        return _nan_like(be, out_shape, d, x)
    isnan = ew.isnan(xl)
    if nan:  # NaN as +inf: the first ``cnt`` sorted values are the non-NaN ones
        s = ix.sort(ix.where(isnan, math.inf, xl), axis=-1)
        cnt = red.sum(ew.logical_not(isnan), axis=-1, keepdims=True)
        lo = ix.clip(ew.floor_divide(ew.subtract(cnt, 1), 2), 0, n - 1)
        hi = ix.clip(ew.floor_divide(cnt, 2), 0, n - 1)
        lo, hi = (ix.astype(i, be.default_int) for i in (lo, hi))
        r = _midpoint(ix.take_along_axis(s, lo, axis=-1), ix.take_along_axis(s, hi, axis=-1), d)
        r = ix.where(ew.equal(cnt, 0), math.nan, r)
    else:
        s = ix.sort(xl, axis=-1)
        r = _midpoint(ix.take(s, [(n - 1) // 2], axis=-1), ix.take(s, [n // 2], axis=-1), d)
        r = ix.where(red.any(isnan, axis=-1, keepdims=True), math.nan, r)
    return mp.reshape(r, out_shape)


@declare("statistics", composite=True)
def median(a: Array, axis: Any = None, out: Any = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Array:
    """Median along ``axis``: the middle value, or the mean of the two middle values of an even
    count (NumPy); a slice holding NaN gives NaN, an empty slice NaN. Works under jit.

    Args:
        a: real or bool array. axis: None, int or tuple of ints. keepdims: keep reduced axes.
        out, overwrite_input: accepted for NumPy compatibility (``out`` must be None).

    Returns:
        An array of ``a``'s backend in ``a``'s float dtype (integers and bool: the backend's
        default float, float64 in NumPy, float32 on jax without x64 and on tensorflow).
    """
    _no_out("median", out)
    return _median("median", a, axis, keepdims, False)


@declare("statistics", composite=True)
def nanmedian(a: Array, axis: Any = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Array:
    """Median along ``axis`` ignoring NaN; an all-NaN or empty slice gives NaN (NumPy also
    warns). Works under jit.

    Args:
        a: real or bool array. axis: None, int or tuple of ints. keepdims: keep reduced axes.
        out, overwrite_input: accepted for NumPy compatibility (``out`` must be None).

    Returns:
        An array of ``a``'s backend in ``a``'s float dtype (integers: the default float).
    """
    _no_out("nanmedian", out)
    return _median("nanmedian", a, axis, keepdims, True)


# --------------------------------------------------------------------------------------------
# mean-like
# --------------------------------------------------------------------------------------------
@declare("statistics", composite=True)
def average(a: Array, axis: Any = None, weights: Any = None, returned: bool = False, *,
            keepdims: bool = False) -> Any:
    """Weighted average along ``axis``: ``sum(a * w) / sum(w)``; ``weights`` of ``a``'s shape, or
    1-d (a tuple of ints: the shape of those axes of ``a``) along ``axis``. Weights summing to
    zero give inf/NaN instead of NumPy's ZeroDivisionError (checking would need a device sync
    and would not work under jit).

    Args:
        a: array. axis: None, int or tuple. weights: array or None (plain mean).
        returned: also return the sum of the weights, broadcast to the result's shape.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend: the promoted dtype of ``a`` and ``weights`` as a float
        (integers: the default float); with ``returned``, a tuple (average, sum of weights).
    """
    name = "average"
    be, x = _array(name, a)
    _kind_check(name, be, x, "biufc")
    nd = len(x.shape)
    axes = normalize_axes(name, axis, nd)
    if weights is None:
        x, d = _to_float(name, be, x)
        avg = red.mean(x, axis=axes, keepdims=keepdims)
        if not returned:
            return avg
        n = math.prod(x.shape) if axes is None else math.prod(x.shape[i] for i in axes)
        return avg, cr.full(tuple(avg.shape), float(n), dtype=d, like=x)
    wb, w = _array(name, weights, like=x)
    resolve(name, x, w)
    _kind_check(name, be, w, "biufc")
    (x, w), d = promote_args(name, be, (x, w))
    f = _dtypes.to_float(d, be.default_float)
    be.check_dtype(f, name)
    if f is not d:
        x, w = ix.astype(x, f), ix.astype(w, f)
    ws, xs = tuple(w.shape), tuple(x.shape)
    if ws != xs:
        if axes is None:
            raise TypeError(_err(name, "axis must be specified when shapes of a and weights "
                                       "differ"))
        if ws != tuple(xs[i] for i in axes):
            raise ValueError(_err(name, f"shape of weights {ws} must match the shape of a "
                                        f"along axis {axis} ({tuple(xs[i] for i in axes)})"))
        # weights follow a's axes in order; every other axis gets length 1 to broadcast
        shape = [xs[i] if i in axes else 1 for i in range(nd)]
        w = mp.reshape(w, tuple(shape))
        w = mp.broadcast_to(w, xs)
    scl = red.sum(w, axis=axes, keepdims=keepdims)
    avg = ew.divide(red.sum(ew.multiply(x, w), axis=axes, keepdims=keepdims), scl)
    if returned:
        return avg, mp.broadcast_to(scl, tuple(avg.shape))
    return avg


def _nan_mask(be: Backend, x: Array) -> Array | None:
    """isnan(x) for float/complex input; None for integers and bool (no NaN to ignore)."""
    return ew.isnan(x) if _is_float(be.dtype_of(x)) else None


@declare("statistics", composite=True)
def nansum(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
           keepdims: bool = False) -> Array:
    """Sum along ``axis`` treating NaN as zero; dtypes as :func:`sum` (narrow integers and bool
    accumulate in the default integer).

    Args:
        a: array. axis: None, int or tuple. dtype: accumulation dtype. out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend; an all-NaN slice sums to 0.
    """
    _no_out("nansum", out)
    be, x = _array("nansum", a)
    m = _nan_mask(be, x)
    if m is not None:
        x = _zero_fill(x, m, 0)
    return red.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


@declare("statistics", composite=True)
def nanprod(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Array:
    """Product along ``axis`` treating NaN as one; dtypes as :func:`prod`.

    Args:
        a: array. axis: None, int or tuple. dtype: accumulation dtype. out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend; an all-NaN slice gives 1.
    """
    _no_out("nanprod", out)
    be, x = _array("nanprod", a)
    m = _nan_mask(be, x)
    if m is not None:
        x = _zero_fill(x, m, 1)
    return red.prod(x, axis=axis, dtype=dtype, keepdims=keepdims)


@declare("statistics", composite=True)
def nanmean(a: Array, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Array:
    """Mean along ``axis`` ignoring NaN; an all-NaN or empty slice gives NaN (NumPy also warns).

    Args:
        a: array. axis: None, int or tuple. dtype: float result dtype. out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend in ``a``'s float dtype (integers and bool: the backend's
        default float; float64 in NumPy, float32 on jax without x64 and on tensorflow).
    """
    name = "nanmean"
    _no_out(name, out)
    be, x = _array(name, a)
    _kind_check(name, be, x, "biufc")
    x, d = _to_float(name, be, x, dtype)
    m = ew.isnan(x)
    tot = red.sum(_zero_fill(x, m, 0), axis=axis, keepdims=keepdims)
    cnt = red.sum(ew.logical_not(m), axis=axis, keepdims=keepdims)
    return ew.divide(tot, ix.astype(cnt, _dtypes.REAL_OF.get(d, d)))


def _nanvar(name: str, a: Any, axis: Any, dtype: Any, ddof: Any, correction: Any,
            keepdims: bool) -> Array:
    if correction is not None:
        if ddof not in (0, None):
            raise ValueError(_err(name, "pass ddof or correction, not both"))
        ddof = correction
    ddof = ddof or 0
    be, x = _array(name, a)
    has_nan = _is_float(_kind_check(name, be, x, "biufc"))
    x, d = _to_float(name, be, x, dtype)
    rd = _dtypes.REAL_OF.get(d, d)
    m = ew.isnan(x)
    valid = ew.logical_not(m)
    x0 = _zero_fill(x, m, 0)
    cnt = ix.astype(red.sum(valid, axis=axis, keepdims=True), rd)
    avg = ew.divide(red.sum(x0, axis=axis, keepdims=True), cnt)
    dev = _zero_fill(ew.subtract(x0, avg), m, 0)
    sq = ew.real(ew.multiply(dev, ew.conj(dev))) if d.kind == "c" else ew.multiply(dev, dev)
    dof = ew.subtract(cnt, ddof)
    var = ew.divide(red.sum(sq, axis=axis, keepdims=True), dof)
    if has_nan:
        var = ix.where(ew.less_equal(dof, 0), math.nan, var)
    else:  # integer input: NumPy's var (a divisor of max(n - ddof, 0): inf or NaN)
        var = ew.divide(red.sum(sq, axis=axis, keepdims=True), ew.maximum(dof, 0.0))
    if not keepdims:
        axes = normalize_axes(name, axis, len(x.shape))
        var = mp.reshape(var, tuple(s for i, s in enumerate(var.shape)
                                    if axes is not None and i not in axes))
    return var


@declare("statistics", composite=True)
def nanvar(a: Array, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, correction: float | None = None) -> Array:
    """Variance along ``axis`` ignoring NaN, with ``ddof`` (alias ``correction``) delta degrees
    of freedom; a slice with no more than ``ddof`` non-NaN values gives NaN.

    Args:
        a: array. axis: None, int or tuple. dtype: float dtype to compute in. out: must be None.
        ddof/correction: delta degrees of freedom. keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend, ``a``'s float dtype (complex: its real dtype; integers:
        the default float).
    """
    _no_out("nanvar", out)
    return _nanvar("nanvar", a, axis, dtype, ddof, correction, keepdims)


@declare("statistics", composite=True)
def nanstd(a: Array, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, *, correction: float | None = None) -> Array:
    """Standard deviation along ``axis`` ignoring NaN: ``sqrt(nanvar(...))``.

    Args:
        a: array. axis: None, int or tuple. dtype: float dtype to compute in. out: must be None.
        ddof/correction: delta degrees of freedom. keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend, ``a``'s float dtype (complex: its real dtype; integers:
        the default float).
    """
    _no_out("nanstd", out)
    return ew.sqrt(_nanvar("nanstd", a, axis, dtype, ddof, correction, keepdims))


def _nanextreme(name: str, a: Any, axis: Any, keepdims: bool, is_max: bool) -> Array:
    be, x = _array(name, a)
    _kind_check(name, be, x, "biuf")
    f = red.max if is_max else red.min
    m = _nan_mask(be, x)
    if m is None:
        return f(x, axis=axis, keepdims=keepdims)
    r = f(_zero_fill(x, m, -math.inf if is_max else math.inf), axis=axis, keepdims=keepdims)
    return ix.where(red.all(m, axis=axis, keepdims=keepdims), math.nan, r)


@declare("statistics", composite=True)
def nanmax(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Maximum along ``axis`` ignoring NaN; an all-NaN slice gives NaN (NumPy also warns), an
    empty reduction raises ValueError.

    Args:
        a: real array. axis: None, int or tuple. out: must be None. keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _no_out("nanmax", out)
    return _nanextreme("nanmax", a, axis, keepdims, True)


@declare("statistics", composite=True)
def nanmin(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Minimum along ``axis`` ignoring NaN; an all-NaN slice gives NaN (NumPy also warns), an
    empty reduction raises ValueError.

    Args:
        a: real array. axis: None, int or tuple. out: must be None. keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _no_out("nanmin", out)
    return _nanextreme("nanmin", a, axis, keepdims, False)


def _nanarg(name: str, a: Any, axis: Any, keepdims: bool, is_max: bool) -> Array:
    be, x = _array(name, a)
    _kind_check(name, be, x, "biuf")
    f = red.argmax if is_max else red.argmin
    m = _nan_mask(be, x)
    if m is None:
        return f(x, axis=axis, keepdims=keepdims)
    nd0 = len(tuple(x.shape))
    if axis is None:
        x, m = mp.reshape(x, (-1,)), mp.reshape(m, (-1,))
        ax = 0
    else:
        ax = normalize_axis(name, axis, len(x.shape))
    if x.shape[ax] == 0:
        raise ValueError(_err(name, "attempt to get an arg-extremum of an empty sequence"))
    # NumPy's rule: NaN is replaced by -inf (+inf for nanargmin) before the arg-reduction, so
    # [nan, -inf] gives 0 for nanargmax, as in NumPy and jax.numpy.
    i = f(_zero_fill(x, m, -math.inf if is_max else math.inf), axis=ax, keepdims=True)
    i = ix.where(red.all(m, axis=ax, keepdims=True), -1, i)
    if axis is None:
        return mp.reshape(i, (1,) * nd0 if keepdims else ())
    return i if keepdims else mp.squeeze(i, axis=ax)


@declare("statistics", composite=True)
def nanargmax(a: Array, axis: int | None = None, out: Any = None, *,
              keepdims: bool = False) -> Array:
    """Index of the first maximum along ``axis`` ignoring NaN (None: of the flattened array).
    An all-NaN slice gives -1 (as jax.numpy; NumPy raises ValueError, which would need a device
    sync and cannot work under jit).

    Args:
        a: real array. axis: None or int. out: must be None. keepdims: keep the reduced axis.

    Returns:
        An array of the default integer dtype of ``a``'s backend.
    """
    _no_out("nanargmax", out)
    return _nanarg("nanargmax", a, axis, keepdims, True)


@declare("statistics", composite=True)
def nanargmin(a: Array, axis: int | None = None, out: Any = None, *,
              keepdims: bool = False) -> Array:
    """Index of the first minimum along ``axis`` ignoring NaN (None: of the flattened array).
    An all-NaN slice gives -1 (as jax.numpy; NumPy raises ValueError).

    Args:
        a: real array. axis: None or int. out: must be None. keepdims: keep the reduced axis.

    Returns:
        An array of the default integer dtype of ``a``'s backend.
    """
    _no_out("nanargmin", out)
    return _nanarg("nanargmin", a, axis, keepdims, False)


@declare("statistics", composite=True)
def nancumsum(a: Array, axis: int | None = None, dtype: Any = None, out: Any = None) -> Array:
    """Cumulative sum along ``axis`` (None: flattened) treating NaN as zero; dtypes as
    :func:`cumsum`.

    Args:
        a: array. axis: None or int. dtype: accumulation dtype. out: must be None.

    Returns:
        An array of ``a``'s backend.
    """
    _no_out("nancumsum", out)
    be, x = _array("nancumsum", a)
    m = _nan_mask(be, x)
    if m is not None:
        x = _zero_fill(x, m, 0)
    return red.cumsum(x, axis=axis, dtype=dtype)


@declare("statistics", composite=True)
def nancumprod(a: Array, axis: int | None = None, dtype: Any = None, out: Any = None) -> Array:
    """Cumulative product along ``axis`` (None: flattened) treating NaN as one; dtypes as
    :func:`cumprod`.

    Args:
        a: array. axis: None or int. dtype: accumulation dtype. out: must be None.

    Returns:
        An array of ``a``'s backend.
    """
    _no_out("nancumprod", out)
    be, x = _array("nancumprod", a)
    m = _nan_mask(be, x)
    if m is not None:
        x = _zero_fill(x, m, 1)
    return red.cumprod(x, axis=axis, dtype=dtype)


@declare("statistics", composite=True)
def ptp(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Range (maximum - minimum) along ``axis``, in ``a``'s dtype (integers wrap around, as in
    NumPy); NaN propagates; an empty reduction raises ValueError.

    Args:
        a: real (non-bool) array. axis: None, int or tuple. out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _no_out("ptp", out)
    be, x = _array("ptp", a)
    _kind_check("ptp", be, x, "iuf")
    return ew.subtract(red.max(x, axis=axis, keepdims=keepdims),
                       red.min(x, axis=axis, keepdims=keepdims))


# --------------------------------------------------------------------------------------------
# covariance
# --------------------------------------------------------------------------------------------
def _rows(name: str, be: Backend, m: Array, rowvar: bool) -> Array:
    nd = len(m.shape)
    if nd > 2:
        raise ValueError(_err(name, f"m has more than 2 dimensions ({nd})"))
    x = mp.reshape(m, (1,) * (2 - nd) + tuple(m.shape))
    if not rowvar and x.shape[0] != 1:
        x = mp.matrix_transpose(x)
    return x


def _weights_1d(name: str, be: Backend, w: Any, like: Array, n: int, what: str,
                integer: bool) -> Array:
    _, w = _array(name, w, like=like)
    resolve(name, like, w)
    wd = be.dtype_of(w)
    if integer and wd.kind not in "iu":
        raise TypeError(_err(name, f"{what} must be integer"))
    if len(w.shape) != 1:
        raise RuntimeError(_err(name, f"cannot handle multidimensional {what}"))
    if w.shape[0] != n:
        raise RuntimeError(_err(name, f"incompatible numbers of samples and {what}"))
    return w


def _cov(name: str, m: Any, y: Any, rowvar: bool, bias: bool, ddof: Any, fweights: Any,
         aweights: Any, dtype: Any) -> Array:
    be, m = _array(name, m)
    _kind_check(name, be, m, "biufc")
    arrs = [m]
    if y is not None:
        _, y = _array(name, y, like=m)
        resolve(name, m, y)
        _kind_check(name, be, y, "biufc")
        arrs.append(y)
    d = _dtypes.result_type_of([be.dtype_of(v) for v in arrs])
    # NumPy computes in result_type(m, y, float64): the default float here (float32 on jax
    # without x64 and on tensorflow).
    f = dtype_arg(name, dtype) or _dtypes.promote_types(d, be.default_float)
    be.check_dtype(f, name)
    x = _rows(name, be, ix.astype(m, f), rowvar)
    if y is not None:
        x = mp.concatenate([x, _rows(name, be, ix.astype(y, f), rowvar)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    nobs = x.shape[1]
    rf = _dtypes.REAL_OF.get(f, f)
    w = None
    aw = None
    if fweights is not None:
        w = ix.astype(_weights_1d(name, be, fweights, x, nobs, "fweights", False), rf)
    if aweights is not None:
        aw = ix.astype(_weights_1d(name, be, aweights, x, nobs, "aweights", False), rf)
        w = aw if w is None else ew.multiply(w, aw)
    if w is None:
        avg = red.mean(x, axis=1, keepdims=True)
        fact: Any = nobs - ddof
        xc = ew.subtract(x, avg)
        xt = mp.matrix_transpose(xc)
    else:
        w_sum = red.sum(w)
        avg = ew.divide(red.sum(ew.multiply(x, w), axis=1, keepdims=True), w_sum)
        if ddof == 0:
            fact = w_sum
        elif aw is None:
            fact = ew.subtract(w_sum, ddof)
        else:
            fact = ew.subtract(w_sum, ew.divide(ew.multiply(red.sum(ew.multiply(w, aw)), ddof),
                                                w_sum))
        xc = ew.subtract(x, avg)
        xt = mp.matrix_transpose(ew.multiply(xc, w))
    c = ix.matmul(xc, ew.conj(xt))
    if isinstance(fact, (int, float)):
        # NumPy clamps a non-positive divisor to 0 (and warns): the result is then inf/NaN.
        c = ew.multiply(c, math.inf if fact <= 0 else 1.0 / fact)
    else:
        fact = ix.where(ew.less_equal(fact, 0), 0.0, fact)
        c = ew.multiply(c, ew.divide(1.0, fact))
    return mp.squeeze(c) if 1 in tuple(c.shape) else c


@declare("statistics", composite=True)
def cov(m: Array, y: Array | None = None, rowvar: bool = True, bias: bool = False,
        ddof: int | None = None, fweights: Any = None, aweights: Any = None, *,
        dtype: Any = None) -> Array:
    """Covariance matrix of the variables in ``m`` (rows, or columns with ``rowvar=False``),
    with ``y`` as extra variables; frequency/analytic weights as NumPy.

    Args:
        m: 1-d or 2-d array. y: optional extra variables of the same layout.
        rowvar: variables are rows (True) or columns. bias: normalise by N (not N - 1).
        ddof: overrides ``bias``. fweights: 1-d integer repeat counts. aweights: 1-d
        observation weights. dtype: compute and result dtype.

    Returns:
        An array of ``m``'s backend, shape (n_vars, n_vars) (0-d for one variable), in the
        promoted dtype of the inputs and the default float (float64 in NumPy; float32 on jax
        without x64 and on tensorflow). Negative fweights are not checked (NumPy raises).
    """
    return _cov("cov", m, y, rowvar, bias, ddof, fweights, aweights, dtype)


@declare("statistics", composite=True)
def corrcoef(x: Array, y: Array | None = None, rowvar: bool = True, *,
             dtype: Any = None) -> Array:
    """Pearson correlation coefficients: :func:`cov` normalised by the standard deviations,
    clipped to [-1, 1] (real and imaginary parts) as NumPy does.

    Args:
        x: 1-d or 2-d array. y: optional extra variables. rowvar: variables are rows.
        dtype: compute and result dtype.

    Returns:
        An array of ``x``'s backend, dtype as :func:`cov`.
    """
    c = _cov("corrcoef", x, y, rowvar, False, None, None, None, dtype)
    shape = tuple(c.shape)
    if len(shape) == 0:
        return ew.divide(c, c)
    n = shape[0]
    diag = ix.take(mp.reshape(c, (-1,)), list(range(0, n * n, n + 1)))
    sd = ew.sqrt(ew.real(diag))
    c = ew.divide(c, mp.reshape(sd, (n, 1)))
    c = ew.divide(c, mp.reshape(sd, (1, n)))
    if _dtypes.canonical(c.dtype).kind == "c":
        re = ix.clip(ew.real(c), -1.0, 1.0)
        im = ix.clip(ew.imag(c), -1.0, 1.0)
        return ew.add(ix.astype(re, c.dtype), ew.multiply(ix.astype(im, c.dtype), 1j))
    return ix.clip(c, -1.0, 1.0)


# --------------------------------------------------------------------------------------------
# searching, counting, histograms
# --------------------------------------------------------------------------------------------
def _searchsorted(be: Backend, name: str, a: Array, v: Array, right: bool) -> Array:
    """Insertion points of ``v`` into the sorted 1-d ``a`` (same dtype); NaN in ``v`` goes after
    everything, as in NumPy (backends' binary searches disagree on NaN)."""
    idx = be.check_dtype(be.default_int, name)
    r = call(be, "searchsorted", a, v, "right" if right else "left", idx)
    if _is_float(be.dtype_of(v)):
        r = ix.where(ew.isnan(v), a.shape[0], r)
    return r


@declare("statistics", composite=True)
def digitize(x: Array, bins: Any, right: bool = False) -> Array:
    """Index of the bin each value of ``x`` falls in, for monotonically increasing or
    decreasing ``bins`` (NumPy semantics, ``right`` closes bins on the right). Monotonicity is
    not checked (NumPy raises ValueError; checking would need a device sync).

    Args:
        x: real array. bins: 1-d array or sequence of bin edges. right: which side is closed.

    Returns:
        An array of the default integer dtype of ``x``'s backend, shape of ``x``.
    """
    name = "digitize"
    be, x = _array(name, x)
    static = isinstance(bins, (list, tuple))
    _, b = _array(name, bins, like=x)
    resolve(name, x, b)
    _kind_check(name, be, x, "biuf")
    _kind_check(name, be, b, "biuf")
    if len(b.shape) != 1:
        raise ValueError(_err(name, "bins must be one-dimensional"))
    (xv, bv), _ = promote_args(name, be, (x, b), kinds="biuf")
    n = b.shape[0]
    up = _searchsorted(be, name, bv, xv, not right)
    if n < 2:
        return up
    if static:
        vals = list(bins)
        if builtins.all(p >= q for p, q in zip(vals, vals[1:])) and vals[0] != vals[-1]:
            return ew.subtract(n, _searchsorted(be, name, mp.flip(bv), xv, not right))
        return up
    dec = red.any(ew.less(bv[1:], bv[:-1]))
    down = ew.subtract(n, _searchsorted(be, name, mp.flip(bv), xv, not right))
    return ix.where(dec, down, up)


@declare("statistics", composite=True)
def bincount(x: Array, weights: Any = None, minlength: int = 0, *,
             length: int | None = None) -> Array:
    """Number of occurrences (or sum of ``weights``) of each value in the non-negative integer
    1-d ``x``. The output length ``max(x) + 1`` (at least ``minlength``) depends on the data,
    so that form is eager only; pass ``length=`` (as jax.numpy) for a static length that works
    under jit: values outside ``[0, length)`` are then dropped.

    Args:
        x: 1-d integer (or bool) array. weights: optional array of ``x``'s shape.
        minlength: minimum output length. length: exact output length (static).

    Returns:
        An array of ``x``'s backend: counts in the default integer dtype (int64 in NumPy, int32
        on jax without x64), or weight sums in the weights' dtype promoted with the default
        float (NumPy sums weights in float64).
    """
    name = "bincount"
    be, x = _array(name, x)
    d = _kind_check(name, be, x, "biu")
    if len(x.shape) != 1:
        raise ValueError(_err(name, f"x must be 1-d, got shape {tuple(x.shape)}"))
    minlength = operator.index(minlength)
    if minlength < 0:
        raise ValueError(_err(name, "minlength must be non-negative"))
    xi = ix.astype(x, be.default_int) if d is not be.default_int else x
    w = None
    if weights is not None:
        _, w = _array(name, weights, like=x)
        resolve(name, x, w)
        wd = _kind_check(name, be, w, "biuf")
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(_err(name, "the weights and list don't have the same length"))
        f = _dtypes.promote_types(_dtypes.to_float(wd, be.default_float), be.default_float)
        be.check_dtype(f, name)
        w = ix.astype(w, f) if f is not wd else w
    if length is None:
        n = x.shape[0]
        if n == 0:
            length = minlength
        else:
            try:
                lo = int(red.min(xi))
                hi = int(red.max(xi))
            except Exception as e:  # a tracer: the length would depend on the data
                raise TypeError(_err(name, "the output length depends on the data; pass "
                                           "length= to use bincount under jit")) from e
            if lo < 0:
                raise ValueError(_err(name, "x must hold non-negative integers"))
            length = builtins.max(hi + 1, minlength)
    else:
        length = operator.index(length)
        if length < 0:
            raise ValueError(_err(name, "length must be non-negative"))
    return call(be, "bincount", xi, w, length)


def _edges_uniform(name: str, be: Backend, a: Array, bins: int, range_: Any,
                   ed: DType) -> Array:
    """NumPy's equal-width edges: linspace(first, last, bins + 1) computed as
    ``i * step + first`` with the last edge set to ``last`` exactly."""
    if range_ is None and math.prod(a.shape) == 0:
        range_ = (0.0, 1.0)  # NumPy's range for no data (computed like a given range)
    if range_ is not None:
        first, last = (float(v) for v in range_)
        if first > last:
            raise ValueError(_err(name, "max must be larger than min in range parameter"))
        if not (math.isfinite(first) and math.isfinite(last)):
            raise ValueError(_err(name, f"supplied range of [{first}, {last}] is not finite"))
        if first == last:
            first, last = first - 0.5, last + 0.5
        # NumPy computes these edges in float64 (Python range values), then casts.
        cd = _dtypes.float64 if not be.k.unsupported_dtype(_dtypes.float64) else ed
        step = (last - first) / bins
        e = ew.add(ew.multiply(cr.arange(bins + 1, dtype=cd, like=a), step), first)
        e = mp.concatenate([e[:-1], cr.asarray([last], dtype=cd, like=a)])
        return ix.astype(e, ed)
    first_a = ix.astype(red.min(a), ed)
    last_a = ix.astype(red.max(a), ed)
    same = ew.equal(first_a, last_a)
    first_a = ix.where(same, ew.subtract(first_a, 0.5), first_a)
    last_a = ix.where(same, ew.add(last_a, 0.5), last_a)
    step = ew.divide(ew.subtract(last_a, first_a), float(bins))
    e = ew.add(ew.multiply(cr.arange(bins + 1, dtype=ed, like=a), step), first_a)
    return mp.concatenate([e[:-1], mp.reshape(last_a, (1,))])


def _bin_edges(name: str, a: Any, bins: Any, range_: Any) -> tuple[Backend, Array, Array]:
    be, x = _array(name, a)
    d = _kind_check(name, be, x, "biuf")
    x = mp.reshape(x, (-1,))
    if isinstance(bins, str):
        raise NotImplementedError(_err(name, f"bins={bins!r}: estimator names are not "
                                             "supported; pass a bin count or edges"))
    if not (isinstance(bins, (list, tuple))
            or (backend_of(bins) is not None and len(getattr(bins, "shape", ())) >= 1)):
        nb = operator.index(bins)
        if nb < 1:
            raise ValueError(_err(name, "bins must be a positive integer"))
        ed = _dtypes.to_float(d, be.default_float)
        be.check_dtype(ed, name)
        return be, x, _edges_uniform(name, be, x, nb, range_, ed)
    if isinstance(bins, (list, tuple)):
        vals = list(bins)
        if builtins.any(p > q for p, q in zip(vals, vals[1:])):
            raise ValueError(_err(name, "bins must increase monotonically"))
    _, e = _array(name, bins, like=x)
    resolve(name, x, e)
    _kind_check(name, be, e, "biuf")
    if len(e.shape) != 1 or e.shape[0] < 1:
        raise ValueError(_err(name, "bins must be a 1-d sequence of edges"))
    return be, x, e


@declare("statistics", composite=True)
def histogram_bin_edges(a: Array, bins: Any = 10, range: Any = None,  # noqa: A002
                        weights: Any = None) -> Array:
    """The bin edges :func:`histogram` uses: ``bins + 1`` equal-width edges over ``range``
    (default: the data's min and max, widened by 0.5 each way when they are equal), or the
    given edges.

    Args:
        a: real array (flattened). bins: number of bins, or a 1-d array/sequence of edges
        (estimator names such as "auto" are not supported). range: (lower, upper) or None.
        weights: unused (NumPy uses it only for estimator names).

    Returns:
        A 1-d array of ``a``'s backend: ``a``'s float dtype (integers: the default float) for a
        bin count, the edges' own dtype for given edges.
    """
    return _bin_edges("histogram_bin_edges", a, bins, range)[2]


@declare("statistics", composite=True)
def histogram(a: Array, bins: Any = 10, range: Any = None, density: bool | None = None,  # noqa: A002
              weights: Any = None) -> tuple[Array, Array]:
    """Histogram of ``a`` (flattened): bin ``i`` counts values in ``[edges[i], edges[i+1])``,
    the last bin also its right edge; values outside the edges (and NaN) are not counted.
    With ``range=None`` the data's NaN/inf make the edges NaN/inf instead of NumPy's
    ValueError (checking would need a device sync).

    Args:
        a: real array. bins: number of bins or 1-d edges (see :func:`histogram_bin_edges`).
        range: (lower, upper) or None. density: normalise to a probability density.
        weights: optional array of ``a``'s shape; each value counts its weight.

    Returns:
        A tuple (counts, edges) of ``a``'s backend. counts: the default integer dtype (int64 in
        NumPy; int32 on jax without x64), the weights' dtype with ``weights``, and a float
        (promoted with the default float) with ``density``.
    """
    name = "histogram"
    be, x, e = _bin_edges(name, a, bins, range)
    nb = e.shape[0] - 1
    cdt = _dtypes.promote_types(be.dtype_of(x), be.dtype_of(e))
    if be.k.unsupported_dtype(cdt):  # uint32 data with int32 edges on jax without x64
        cdt = be.default_float
    xc = x if be.dtype_of(x) is cdt else ix.astype(x, cdt)
    ec = e if be.dtype_of(e) is cdt else ix.astype(e, cdt)
    w = None
    if weights is not None:
        _, w = _array(name, weights, like=x)
        resolve(name, x, w)
        wd = _kind_check(name, be, w, "biuf")
        w = mp.reshape(w, (-1,))
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(_err(name, "weights should have the same shape as a"))
        if wd is bool_:
            w = ix.astype(w, be.default_int)
        if density:  # sum the weights in the density's float dtype (float16 sums drift)
            w = ix.astype(w, _dtypes.promote_types(_dtypes.to_float(be.dtype_of(w),
                                                                    be.default_float),
                                                   be.default_float))
    if nb == 0:
        idx = cr.zeros(tuple(xc.shape), dtype=be.default_int, like=xc)
    else:
        idx = ew.subtract(_searchsorted(be, name, ec, xc, True), 1)
        last = ec[-1]
        idx = ix.where(ew.equal(xc, last), nb - 1, idx)
        # below the first edge, above the last, or NaN: past the end, dropped by bincount
        out = ew.logical_or(ew.less(idx, 0), ew.logical_not(ew.less_equal(xc, last)))
        idx = ix.where(out, nb, idx)
    if nb == 0:
        idx = ew.add(idx, 1)
    counts = call(be, "bincount", ix.astype(idx, be.default_int), w, nb)
    if density:
        f = _dtypes.promote_types(_dtypes.to_float(be.dtype_of(counts), be.default_float),
                                  be.default_float)
        cf = ix.astype(counts, f)
        ef = ix.astype(e, f)
        width = ew.subtract(ef[1:], ef[:-1])
        counts = ew.divide(ew.divide(cf, width), red.sum(cf))
    return counts, e


@declare("statistics", composite=True)
def isin(element: Array, test_elements: Any, assume_unique: bool = False,
         invert: bool = False, *, kind: str | None = None) -> Array:
    """Whether each value of ``element`` occurs in ``test_elements`` (compared after promotion;
    NaN matches nothing). Sort + binary search (complex: a pairwise comparison).

    Args:
        element: array. test_elements: array or sequence of the same backend (flattened).
        assume_unique: accepted for NumPy compatibility. invert: return the negation.
        kind: accepted for NumPy compatibility (None, "sort" or "table").

    Returns:
        A bool array of ``element``'s backend and shape.
    """
    name = "isin"
    be, e = _array(name, element)
    _, t = _array(name, test_elements, like=e)
    resolve(name, e, t)
    (e, t), d = promote_args(name, be, (e, t))
    t = mp.reshape(t, (-1,))
    m = t.shape[0]
    if m == 0:
        found = cr.zeros(tuple(e.shape), dtype=bool_, like=e)
    elif d.kind == "c":
        found = red.any(ew.equal(mp.expand_dims(e, axis=-1), t), axis=-1)
    else:
        if d is bool_:
            e, t = ix.astype(e, _dtypes.uint8), ix.astype(t, _dtypes.uint8)
        if _is_float(d):
            # NaN matches nothing: search among its +inf stand-ins, and let +inf match only
            # when test_elements holds a real +inf.
            t_nan = ew.isnan(t)
            s = ix.sort(ix.where(t_nan, math.inf, t))
            has_inf = red.any(ew.equal(t, math.inf))
        else:
            s = ix.sort(t)
        i = ix.clip(_searchsorted(be, name, s, e, False), 0, m - 1)
        found = ew.equal(ix.take(s, i), e)
        if _is_float(d):
            found = ix.where(ew.equal(e, math.inf), has_inf, found)
    return ew.logical_not(found) if invert else found


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------
def _close(name: str, a: Any, b: Any, rtol: Any, atol: Any, equal_nan: bool) -> Array:
    be = resolve(name, a, b)
    (x, y), d = promote_args(name, be, (a, b))
    f = _dtypes.to_float(d, be.default_float)
    be.check_dtype(f, name)
    if f is not d:
        x, y = ix.astype(x, f), ix.astype(y, f)
    ay = ew.abs(y)
    tol = ew.add(ew.multiply(ay, rtol), atol)
    r = ew.logical_or(ew.logical_and(ew.less_equal(ew.abs(ew.subtract(x, y)), tol),
                                     ew.isfinite(y)),
                      ew.equal(x, y))
    if equal_nan:
        r = ew.logical_or(r, ew.logical_and(ew.isnan(x), ew.isnan(y)))
    return r


@declare("statistics", composite=True)
def isclose(a: Array, b: Array, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Array:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (not symmetric, as NumPy), with equal
    infinities close and NaN close to NaN only with ``equal_nan``. Integers compare in the
    default float; the inputs are promoted with xops' table first.

    Args:
        a, b: arrays of one backend or Python scalars (broadcast). rtol, atol: tolerances.
        equal_nan: treat NaN as equal to NaN.

    Returns:
        A bool array of the inputs' backend.
    """
    return _close("isclose", a, b, rtol, atol, equal_nan)


@declare("statistics", composite=True)
def allclose(a: Array, b: Array, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> Array:
    """True when :func:`isclose` holds everywhere.

    Args:
        a, b: arrays of one backend or Python scalars. rtol, atol: tolerances.
        equal_nan: treat NaN as equal to NaN.

    Returns:
        A 0-d bool array of the inputs' backend (NumPy returns a Python bool; a native array
        keeps the op usable under jit: ``bool(...)`` it when eager).
    """
    return red.all(_close("allclose", a, b, rtol, atol, equal_nan))


def _false(be: Backend, like: Array) -> Array:
    return cr.asarray(False, like=like)


@declare("statistics", composite=True)
def array_equal(a1: Array, a2: Array, equal_nan: bool = False) -> Array:
    """True when both arrays have the same shape and the same values (after promotion); with
    ``equal_nan`` NaN equals NaN.

    Args:
        a1, a2: arrays of one backend. equal_nan: treat NaN as equal to NaN.

    Returns:
        A 0-d bool array of the inputs' backend (NumPy returns a Python bool).
    """
    name = "array_equal"
    be = resolve(name, a1, a2)
    like = a1 if backend_of(a1) is not None else a2
    s1, s2 = tuple(getattr(a1, "shape", ())), tuple(getattr(a2, "shape", ()))
    if s1 != s2:
        return _false(be, like)
    (x, y), d = promote_args(name, be, (a1, a2))
    eq = ew.equal(x, y)
    if equal_nan and _is_float(d):
        eq = ew.logical_or(eq, ew.logical_and(ew.isnan(x), ew.isnan(y)))
    return red.all(eq)


@declare("statistics", composite=True)
def array_equiv(a1: Array, a2: Array) -> Array:
    """True when the arrays broadcast together and are equal everywhere (after promotion).

    Args:
        a1, a2: arrays of one backend.

    Returns:
        A 0-d bool array of the inputs' backend (NumPy returns a Python bool).
    """
    name = "array_equiv"
    be = resolve(name, a1, a2)
    like = a1 if backend_of(a1) is not None else a2
    s1, s2 = tuple(getattr(a1, "shape", ())), tuple(getattr(a2, "shape", ()))
    for p, q in zip(reversed(s1), reversed(s2)):
        if p != q and p != 1 and q != 1:
            return _false(be, like)
    (x, y), _ = promote_args(name, be, (a1, a2))
    return red.all(ew.equal(x, y))


# --------------------------------------------------------------------------------------------
# partition
# --------------------------------------------------------------------------------------------
def _kth(name: str, kth: Any, n: int) -> None:
    ks = [kth] if not isinstance(kth, (list, tuple)) else list(kth)
    if backend_of(kth) is not None:
        raise TypeError(_err(name, "kth must be an int or a sequence of ints (static)"))
    for k in ks:
        k = operator.index(k)
        if not -n <= k < n:
            raise ValueError(_err(name, f"kth(={k}) out of bounds ({n})"))


@declare("sorting", composite=True)
def partition(a: Array, kth: Any, axis: int | None = -1, kind: str = "introselect",
              order: Any = None) -> Array:
    """An array whose ``kth`` element(s) along ``axis`` are where a sort would put them, smaller
    ones before, larger ones after (NaN last). xops returns the fully sorted array, which has
    that property on every backend (NumPy's arrangement within the parts is unspecified).

    Args:
        a: real array. kth: int or sequence of ints. axis: int or None (flattened).
        kind, order: accepted for NumPy compatibility (order must be None).

    Returns:
        An array of ``a``'s backend and dtype.
    """
    be, x = _array("partition", a)
    if axis is None:
        x = mp.reshape(x, (-1,))
        axis = 0
    ax = normalize_axis("partition", axis, len(x.shape))
    _kth("partition", kth, x.shape[ax])
    return ix.sort(x, axis=ax)


@declare("sorting", composite=True)
def argpartition(a: Array, kth: Any, axis: int | None = -1, kind: str = "introselect",
                 order: Any = None) -> Array:
    """Indices that partition ``a`` along ``axis`` around ``kth`` (see :func:`partition`): xops
    returns the stable argsort, which has the partition property.

    Args:
        a: real array. kth: int or sequence of ints. axis: int or None (flattened).
        kind, order: accepted for NumPy compatibility.

    Returns:
        An array of the default integer dtype of ``a``'s backend.
    """
    be, x = _array("argpartition", a)
    if axis is None:
        x = mp.reshape(x, (-1,))
        axis = 0
    ax = normalize_axis("argpartition", axis, len(x.shape))
    _kth("argpartition", kth, x.shape[ax])
    return ix.argsort(x, axis=ax)

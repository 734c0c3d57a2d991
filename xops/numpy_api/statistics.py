"""Order statistics (quantile, percentile, median and their nan-aware forms), average, ptp, cov
and corrcoef.

Composites of other xops ops (sort-based order statistics, masked reductions), so they run on
every backend and under jax.jit / torch.compile / tf.function as long as the output shape does
not depend on the data. The nan-aware reductions are in nan_reductions.py, binning in
histograms.py. Semantics and per-backend notes: docs/stats.md.
"""
from __future__ import annotations

import builtins
import math
from typing import Any

from .. import _dtypes
from .._dispatch import PY_SCALARS, dtype_arg, is_tracing, normalize_axes, promote_args, resolve
from .._dtypes import DType
from ..backends import Backend
from . import creation as cr
from . import dtypes as dt
from . import elementwise as ew
from . import indexing as ix
from . import manipulation as mp
from . import products as pr
from . import reductions as red
from ._common import _err, _is_float, _kind_check, _no_out, _reduced, _to_float
from ._registry import declare
from .creation import _array

Array = Any


# --- shared helpers ------------------------------------------------------------------------------


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


def _half(d: DType) -> bool:
    return d in (_dtypes.float16, _dtypes.bfloat16)


def _midpoint(a: Array, b: Array, d: DType) -> Array:
    """(a + b) / 2 as NumPy's mean of two values computes it (float16 through float32)."""
    if _half(d):
        s = ew.add(dt.astype(a, _dtypes.float32), dt.astype(b, _dtypes.float32))
        return dt.astype(ew.divide(s, 2.0), d)
    return ew.divide(ew.add(a, b), 2.0)


def _lerp(a: Array, b: Array, t: Array) -> Array:
    """NumPy's quantile interpolation: a + (b - a) t, computed from b's side when t >= 0.5
    (exact at both ends)."""
    diff = ew.subtract(b, a)
    lo = ew.add(a, ew.multiply(diff, t))
    hi = ew.subtract(b, ew.multiply(diff, ew.subtract(1.0, t)))
    return ew.where(ew.greater_equal(t, 0.5), hi, lo)


# --- quantiles -----------------------------------------------------------------------------------


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
    qa = mp.reshape(q if qd is fd else dt.astype(q, fd), (-1,))
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
        return ew.where(at, p, ew.add(p, 1.0)), None, None
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
        g = ew.where(ew.equal(ew.remainder(v, 1.0), 0.0), 0.0, 0.5)
    elif method == "averaged_inverted_cdf":
        g = ew.where(ew.equal(g, 0.0), 0.5, 1.0)
    last = n - 1 if isinstance(n, int) else ew.subtract(n, 1.0)
    above = ew.greater_equal(v, last)
    below = ew.less(v, 0.0)
    p1 = ew.add(p, 1.0)
    p = ew.where(above, last, ew.where(below, 0.0, p))
    p1 = ew.where(above, last, ew.where(below, 0.0, p1))
    return p, p1, g


def _gather(s: Array, idx: Array, batch: tuple, n: int, be: Backend) -> Array:
    """s[..., idx] for float positions ``idx`` (shape (m,) or batch + (m,)), clipped into
    [0, n - 1]."""
    i = dt.astype(ew.clip(idx, 0.0, float(builtins.max(n - 1, 0))), be.default_int)
    m = tuple(i.shape)[-1]
    i = mp.broadcast_to(i, batch + (m,))
    return ix.take_along_axis(s, i, axis=-1)


def _finish(r: Array, qshape: tuple, out_shape: tuple) -> Array:
    """(batch..., m) -> q.shape + out_shape."""
    r = mp.moveaxis(r, -1, 0)
    return mp.reshape(r, qshape + out_shape)


def _quantile(name: str, a: Any, q: Any, out: Any, weights: Any, axis: Any, method: str,
              keepdims: bool, nan: bool, scale: float) -> Array:
    _no_out(name, out, weights)
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
        s = ix.sort(ew.where(isnan, math.inf, xl), axis=-1)
    else:
        s = ix.sort(xl, axis=-1)
    if nan and isnan is not None:
        valid = ew.logical_not(isnan)
        cnt = dt.astype(red.sum(valid, axis=-1, keepdims=True), fd)  # batch + (1,)
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
        r = _lerp(a_lo, a_hi, dt.astype(g, d))
    if _is_float(d):
        if cnt is not None:
            r = ew.where(ew.equal(cnt, 0.0), math.nan, r)
        else:
            # a slice holding NaN has a NaN quantile (NumPy)
            r = ew.where(red.any(isnan, axis=-1, keepdims=True), math.nan, r)
    return _finish(r, qshape, out_shape)


_Q_ARGS = """
    Args:
        a: real array (bool is refused, as NumPy does).
        q: probability or sequence/1-d array of probabilities{rng}.
        axis: None (all axes), an int or a tuple of ints.
        out: accepted for NumPy compatibility (must be None).
        overwrite_input: accepted for NumPy compatibility.
        method: {methods}.
        keepdims: keep the reduced axes as size-1 dimensions.
        weights: only None is supported.

    Returns:
        An array of ``a``'s backend of shape ``q.shape + reduced shape``. Interpolating methods
        give ``a``'s float dtype (integers: the default float); the methods that pick an order
        statistic (lower, higher, nearest, inverted_cdf, closest_observation) keep ``a``'s dtype.
        q takes no part in the result dtype (NumPy promotes with a float64 q array).
"""


def _qdoc(rng: str) -> str:
    return _Q_ARGS.format(rng=rng, methods=", ".join(METHODS))


@declare("statistics", needs=("take_along_axis",), composite=True, doc_args=_qdoc(" in [0, 1]"))
def quantile(a: Array, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None) -> Array:
    """The ``q``-th quantiles of ``a`` along ``axis`` (NumPy's 13 methods, default "linear");
    a slice holding NaN gives NaN. Sort-based: works under jit."""
    return _quantile("quantile", a, q, out, weights, axis, method, keepdims, False, 1)


@declare("statistics", needs=("quantile",), composite=True, doc_args=_qdoc(" in [0, 100]"))
def percentile(a: Array, q: Any, axis: Any = None, out: Any = None,
               overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
               *, weights: Any = None) -> Array:
    """The ``q``-th percentiles of ``a`` along ``axis``: :func:`quantile` of ``q / 100``."""
    return _quantile("percentile", a, q, out, weights, axis, method, keepdims, False, 100)


@declare("statistics", needs=("take_along_axis",), composite=True, doc_args=_qdoc(" in [0, 1]"))
def nanquantile(a: Array, q: Any, axis: Any = None, out: Any = None,
                overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
                *, weights: Any = None) -> Array:
    """:func:`quantile` ignoring NaN: each slice's positions use its count of non-NaN values;
    an all-NaN (or empty) slice gives NaN."""
    return _quantile("nanquantile", a, q, out, weights, axis, method, keepdims, True, 1)


@declare("statistics", needs=("nanquantile",), composite=True, doc_args=_qdoc(" in [0, 100]"))
def nanpercentile(a: Array, q: Any, axis: Any = None, out: Any = None,
                  overwrite_input: bool = False, method: str = "linear",
                  keepdims: bool = False, *, weights: Any = None) -> Array:
    """:func:`percentile` ignoring NaN (see :func:`nanquantile`)."""
    return _quantile("nanpercentile", a, q, out, weights, axis, method, keepdims, True, 100)


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
        s = ix.sort(ew.where(isnan, math.inf, xl), axis=-1)
        cnt = red.sum(ew.logical_not(isnan), axis=-1, keepdims=True)
        lo = ew.clip(ew.floor_divide(ew.subtract(cnt, 1), 2), 0, n - 1)
        hi = ew.clip(ew.floor_divide(cnt, 2), 0, n - 1)
        lo, hi = (dt.astype(i, be.default_int) for i in (lo, hi))
        r = _midpoint(ix.take_along_axis(s, lo, axis=-1), ix.take_along_axis(s, hi, axis=-1), d)
        r = ew.where(ew.equal(cnt, 0), math.nan, r)
    else:
        s = ix.sort(xl, axis=-1)
        r = _midpoint(ix.take(s, [(n - 1) // 2], axis=-1), ix.take(s, [n // 2], axis=-1), d)
        r = ew.where(red.any(isnan, axis=-1, keepdims=True), math.nan, r)
    return mp.reshape(r, out_shape)


_MEDIAN_ARGS = """
    Args:
        a: real or bool array.
        axis: None, int or tuple of ints.
        out: accepted for NumPy compatibility (``out`` must be None).
        overwrite_input: accepted for NumPy compatibility (``out`` must be None).
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend in ``a``'s float dtype{note}.
"""


@declare("statistics", needs=("take_along_axis",), composite=True, doc_args=_MEDIAN_ARGS.format(
    note=" (integers and bool: the backend's\n        default float, float64 in NumPy, float32 "
         "on jax without x64 and on tensorflow)"))
def median(a: Array, axis: Any = None, out: Any = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Array:
    """Median along ``axis``: the middle value, or the mean of the two middle values of an even
    count (NumPy); a slice holding NaN gives NaN, an empty slice NaN. Works under jit."""
    _no_out("median", out)
    return _median("median", a, axis, keepdims, False)


@declare("statistics", needs=("take_along_axis",), composite=True,
         doc_args=_MEDIAN_ARGS.format(note=" (integers: the default float)"))
def nanmedian(a: Array, axis: Any = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Array:
    """Median along ``axis`` ignoring NaN; an all-NaN or empty slice gives NaN (NumPy also
    warns). Works under jit."""
    _no_out("nanmedian", out)
    return _median("nanmedian", a, axis, keepdims, True)


# --- averages and spread -------------------------------------------------------------------------


@declare("statistics", composite=True)
def average(a: Array, axis: Any = None, weights: Any = None, returned: bool = False, *,
            keepdims: bool = False) -> Any:
    """Weighted average along ``axis``: ``sum(a * w) / sum(w)``; ``weights`` of ``a``'s shape, or
    1-d (a tuple of ints: the shape of those axes of ``a``) along ``axis``. Weights summing to
    zero give inf/NaN instead of NumPy's ZeroDivisionError (checking would need a device sync
    and would not work under jit).

    Args:
        a: array.
        axis: None, int or tuple.
        weights: array or None (plain mean).
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
        x, w = dt.astype(x, f), dt.astype(w, f)
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


@declare("statistics", composite=True)
def ptp(a: Array, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Range (maximum - minimum) along ``axis``, in ``a``'s dtype (integers wrap around, as in
    NumPy); NaN propagates; an empty reduction raises ValueError.

    Args:
        a: real (non-bool) array.
        axis: None, int or tuple.
        out: must be None.
        keepdims: keep reduced axes.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _no_out("ptp", out)
    be, x = _array("ptp", a)
    d = _kind_check("ptp", be, x, "iuf")
    hi, lo = red.max(x, axis=axis, keepdims=keepdims), red.min(x, axis=axis, keepdims=keepdims)
    if not _is_float(d) and not is_tracing():
        # integers wrap around: a torch DTensor's Partial(max) - min is then wrong (torch 2.13);
        # such partial results are reduced first (xops/backends/torch reduce_partial)
        hi, lo = _reduced(be, hi), _reduced(be, lo)
    return ew.subtract(hi, lo)


# --- covariance ----------------------------------------------------------------------------------


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
    x = _rows(name, be, dt.astype(m, f), rowvar)
    if y is not None:
        x = mp.concatenate([x, _rows(name, be, dt.astype(y, f), rowvar)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    nobs = x.shape[1]
    rf = _dtypes.REAL_OF.get(f, f)
    w = None
    aw = None
    if fweights is not None:
        w = dt.astype(_weights_1d(name, be, fweights, x, nobs, "fweights", False), rf)
    if aweights is not None:
        aw = dt.astype(_weights_1d(name, be, aweights, x, nobs, "aweights", False), rf)
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
    c = pr.matmul(xc, ew.conj(xt))
    if isinstance(fact, (int, float)):
        # NumPy clamps a non-positive divisor to 0 (and warns): the result is then inf/NaN.
        c = ew.multiply(c, math.inf if fact <= 0 else 1.0 / fact)
    else:
        fact = ew.where(ew.less_equal(fact, 0), 0.0, fact)
        c = ew.multiply(c, ew.divide(1.0, fact))
    return mp.squeeze(c) if 1 in tuple(c.shape) else c


@declare("statistics", composite=True)
def cov(m: Array, y: Array | None = None, rowvar: bool = True, bias: bool = False,
        ddof: int | None = None, fweights: Any = None, aweights: Any = None, *,
        dtype: Any = None) -> Array:
    """Covariance matrix of the variables in ``m`` (rows, or columns with ``rowvar=False``),
    with ``y`` as extra variables; frequency/analytic weights as NumPy.

    Args:
        m: 1-d or 2-d array.
        y: optional extra variables of the same layout.
        rowvar: variables are rows (True) or columns.
        bias: normalise by N (not N - 1).
        ddof: overrides ``bias``.
        fweights: 1-d integer repeat counts.
        aweights: 1-d observation weights.
        dtype: compute and result dtype.

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
        x: 1-d or 2-d array.
        y: optional extra variables.
        rowvar: variables are rows.
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
        re = ew.clip(ew.real(c), -1.0, 1.0)
        im = ew.clip(ew.imag(c), -1.0, 1.0)
        return ew.add(dt.astype(re, c.dtype), ew.multiply(dt.astype(im, c.dtype), 1j))
    return ew.clip(c, -1.0, 1.0)

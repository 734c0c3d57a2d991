"""Binning: digitize, bincount, histogram_bin_edges and histogram. The ``bincount`` and
``searchsorted`` kernels (one per backend) cover what cannot be composed exactly and cheaply;
the rest composes other xops ops. Semantics: docs/stats.md.
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any

from .. import _dtypes
from .._dispatch import backend_of, call, promote_args, resolve
from .._dtypes import DType, bool_
from ..backends import Backend
from . import creation as cr
from . import dtypes as dt
from . import elementwise as ew
from . import manipulation as mp
from . import reductions as red
from ._common import _err, _host_int, _kind_check
from ._registry import declare
from .creation import _array
from .indexing import _searchsorted

Array = Any


@declare("statistics", needs=("searchsorted",), composite=True)
def digitize(x: Array, bins: Any, right: bool = False) -> Array:
    """Index of the bin each value of ``x`` falls in, for monotonically increasing or
    decreasing ``bins`` (NumPy semantics, ``right`` closes bins on the right). Monotonicity is
    not checked (NumPy raises ValueError; checking would need a device sync).

    Args:
        x: real array.
        bins: 1-d array or sequence of bin edges.
        right: which side is closed.

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
    return ew.where(dec, down, up)


@declare("statistics", needs=("bincount",), composite=True)
def bincount(x: Array, weights: Any = None, minlength: int = 0, *,
             length: int | None = None) -> Array:
    """Number of occurrences (or sum of ``weights``) of each value in the non-negative integer
    1-d ``x``. The output length ``max(x) + 1`` (at least ``minlength``) depends on the data,
    so that form is eager only; pass ``length=`` (as jax.numpy) for a static length that works
    under jit: values outside ``[0, length)`` are then dropped.

    Args:
        x: 1-d integer (or bool) array.
        weights: optional array of ``x``'s shape.
        minlength: minimum output length.
        length: exact output length (static).

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
    xi = dt.astype(x, be.default_int) if d is not be.default_int else x
    w = None
    if weights is not None:
        _, w = _array(name, weights, like=x)
        resolve(name, x, w)
        wd = _kind_check(name, be, w, "biuf")
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(_err(name, "the weights and list don't have the same length"))
        f = _dtypes.promote_types(_dtypes.to_float(wd, be.default_float), be.default_float)
        be.check_dtype(f, name)
        w = dt.astype(w, f) if f is not wd else w
    if length is None:
        n = x.shape[0]
        if n == 0:
            length = minlength
        else:
            try:
                lo = _host_int(be, red.min(xi))
                hi = _host_int(be, red.max(xi))
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
        return dt.astype(e, ed)
    first_a = dt.astype(red.min(a), ed)
    last_a = dt.astype(red.max(a), ed)
    same = ew.equal(first_a, last_a)
    first_a = ew.where(same, ew.subtract(first_a, 0.5), first_a)
    last_a = ew.where(same, ew.add(last_a, 0.5), last_a)
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
def histogram_bin_edges(a: Array, bins: Any = 10, range: Any = None,
                        weights: Any = None) -> Array:
    """The bin edges :func:`histogram` uses: ``bins + 1`` equal-width edges over ``range``
    (default: the data's min and max, widened by 0.5 each way when they are equal), or the
    given edges.

    Args:
        a: real array (flattened).
        bins: number of bins, or a 1-d array/sequence of edges (estimator names such as "auto" are
            not supported).
        range: (lower, upper) or None.
        weights: unused (NumPy uses it only for estimator names).

    Returns:
        A 1-d array of ``a``'s backend: ``a``'s float dtype (integers: the default float) for a
        bin count, the edges' own dtype for given edges.
    """
    return _bin_edges("histogram_bin_edges", a, bins, range)[2]


@declare("statistics", needs=("searchsorted", "bincount"), composite=True)
def histogram(a: Array, bins: Any = 10, range: Any = None, density: bool | None = None,
              weights: Any = None) -> tuple[Array, Array]:
    """Histogram of ``a`` (flattened): bin ``i`` counts values in ``[edges[i], edges[i+1])``,
    the last bin also its right edge; values outside the edges (and NaN) are not counted.
    With ``range=None`` the data's NaN/inf make the edges NaN/inf instead of NumPy's
    ValueError (checking would need a device sync).

    Args:
        a: real array.
        bins: number of bins or 1-d edges (see :func:`histogram_bin_edges`).
        range: (lower, upper) or None.
        density: normalise to a probability density.
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
    xc = x if be.dtype_of(x) is cdt else dt.astype(x, cdt)
    ec = e if be.dtype_of(e) is cdt else dt.astype(e, cdt)
    w = None
    if weights is not None:
        _, w = _array(name, weights, like=x)
        resolve(name, x, w)
        wd = _kind_check(name, be, w, "biuf")
        w = mp.reshape(w, (-1,))
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(_err(name, "weights should have the same shape as a"))
        if wd is bool_:
            w = dt.astype(w, be.default_int)
        if density:  # sum the weights in the density's float dtype (float16 sums drift)
            w = dt.astype(w, _dtypes.promote_types(_dtypes.to_float(be.dtype_of(w),
                                                                    be.default_float),
                                                   be.default_float))
    if nb == 0:
        idx = cr.zeros(tuple(xc.shape), dtype=be.default_int, like=xc)
    else:
        idx = ew.subtract(_searchsorted(be, name, ec, xc, True), 1)
        last = ec[-1]
        idx = ew.where(ew.equal(xc, last), nb - 1, idx)
        # below the first edge, above the last, or NaN: past the end, dropped by bincount
        out = ew.logical_or(ew.less(idx, 0), ew.logical_not(ew.less_equal(xc, last)))
        idx = ew.where(out, nb, idx)
    if nb == 0:
        idx = ew.add(idx, 1)
    counts = call(be, "bincount", dt.astype(idx, be.default_int), w, nb)
    if density:
        f = _dtypes.promote_types(_dtypes.to_float(be.dtype_of(counts), be.default_float),
                                  be.default_float)
        cf = dt.astype(counts, f)
        ef = dt.astype(e, f)
        width = ew.subtract(ef[1:], ef[:-1])
        counts = ew.divide(ew.divide(cf, width), red.sum(cf))
    return counts, e

"""Input strategies and NumPy references for the statistics of xops/numpy_api/stats.py (merged
into tests/specs.py).

References compute in float64 (or the input's own integer dtype where the result keeps it) and
cast to the dtype xops promises: the input's float dtype, the backend's default float for integer
input, the default integer for counts and indices. Specials (NaN, +-inf, -0.0), ties (small value
ranges), all-NaN slices, empty arrays, keepdims and axis tuples are drawn. partition and
argpartition only promise the partition property: here shape and dtype are checked, the property
in tests/test_stats.py.
"""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import _axes, Case, array, held, np_dtype

HALF = (_dtypes.float16, _dtypes.bfloat16)
METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
           "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
           "weibull", "median_unbiased", "normal_unbiased")
DISCRETE = ("lower", "higher", "nearest", "inverted_cdf", "closest_observation")


def fl(h, d):
    """The float dtype xops computes ``d`` in (integers and bool: the default float)."""
    return _dtypes.to_float(d, h.be.default_float)


def idx(h):
    return h.be.default_int


def wide(a):
    """float64 copy of a float array (any width), the array itself otherwise."""
    a = np.asarray(a)
    if a.dtype.kind == "f" or a.dtype.name == "bfloat16":
        return a.astype(np.float64)
    if a.dtype.kind == "c":
        return a.astype(np.complex128)
    return a


def cast(r, d):
    if isinstance(r, tuple):
        return tuple(cast(e, d) for e in r)
    return np.asarray(r).astype(np_dtype(d))


def x64(h):
    """Whether the backend computes quantile positions in float64 (jax without x64 cannot)."""
    return h.holds(_dtypes.float64)


def _with_nan_slice(draw, x, d):
    """Sometimes make the first sub-array all NaN (all-NaN slices for nan-reductions)."""
    if d.kind == "f" and x.ndim >= 1 and x.shape[0] and draw(st.booleans()):
        x = x.copy()
        x[0] = np.nan
    return x


def _shape(draw, nonempty, min_dims=0):
    return draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1 if nonempty else 0,
                                 max_side=4))


# --- nan-reductions ---------------------------------------------------------------------------
def _nanred(name, kinds, out, nonempty=False, ddof=False, lo=-8, hi=8):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, kinds)))
            x = draw(array(d, _shape(draw, nonempty), lo=lo, hi=hi))
            x = _with_nan_slice(draw, x, d)
            axis = draw(_axes(x.ndim))
            kw = {"axis": axis, "keepdims": draw(st.booleans())}
            if ddof:
                kw["ddof"] = draw(st.sampled_from([0, 1, 2]))
            od = out(h, d)

            def ref(x):
                if od.kind in "iub":
                    return cast(getattr(np, name)(x.astype(np_dtype(od)), **kw), od)
                return cast(getattr(np, name)(wide(x), **kw), od)

            return Case([x], kw, ref, od, rtol_scale=max(4, x.size), exact=od.kind in "biu")
        return case()
    return spec


def _sum_out(h, d):
    return _dtypes.sum_dtype(d, h.be.default_int)


def _same(h, d):
    return d


def _nanarg(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, _shape(draw, True), lo=-3, hi=3))
            x = _with_nan_slice(draw, x, d)
            axis = draw(_axes(x.ndim, single=True))
            keep = draw(st.booleans())

            def ref(x):
                x = wide(x)
                f = getattr(np, name)
                if x.dtype.kind != "f":
                    return np.asarray(f(x, axis=axis, keepdims=keep)).astype(np_dtype(idx(h)))
                # xops: an all-NaN slice gives -1 (NumPy raises)
                bad = np.isnan(x).all(axis=axis, keepdims=True)
                r = f(np.where(bad, 0.0, x), axis=axis, keepdims=True)
                r = np.where(bad, -1, r)
                if not keep:
                    r = r.reshape(()) if axis is None else np.squeeze(r, axis=axis)
                return np.asarray(r).astype(np_dtype(idx(h)))

            return Case([x], {"axis": axis, "keepdims": keep}, ref, idx(h), exact=True)
        return case()
    return spec


def _nanscan(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, _shape(draw, False), lo=-3, hi=3))
            axis = draw(_axes(x.ndim, single=True))
            od = _sum_out(h, d)

            def ref(x):
                if od.kind in "iu":
                    return cast(getattr(np, name)(x.astype(np_dtype(od)), axis=axis), od)
                return cast(getattr(np, name)(wide(x), axis=axis), od)

            return Case([x], {"axis": axis}, ref, od, rtol_scale=16, exact=od.kind in "iu")
        return case()
    return spec


def _ptp(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        x = draw(array(d, _shape(draw, True), lo=-100, hi=100))
        axis = draw(_axes(x.ndim))
        keep = draw(st.booleans())

        def ref(x):
            if d.kind in "iu":
                return np.ptp(x, axis=axis, keepdims=keep)  # wraps around, as xops
            return cast(np.ptp(wide(x), axis=axis, keepdims=keep), d)

        return Case([x], {"axis": axis, "keepdims": keep}, ref, d, exact=d.kind in "iu")
    return case()


# --- order statistics -------------------------------------------------------------------------
def _median(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, _shape(draw, False), lo=-20, hi=20))
            if name == "nanmedian":
                x = _with_nan_slice(draw, x, d)
            axis = draw(_axes(x.ndim))
            if x.size == 0:
                axis = None  # NumPy's median fails on empty arrays with an axis
            keep = draw(st.booleans())
            od = fl(h, d)
            return Case([x], {"axis": axis, "keepdims": keep},
                        lambda x: cast(getattr(np, name)(wide(x), axis=axis, keepdims=keep), od),
                        od, rtol_scale=4)
        return case()
    return spec


def _qvalues(h, scale):
    """q values: any float where positions are computed in float64; dyadic ones (exact in
    float32) on jax without x64, whose float32 positions are documented to differ."""
    if x64(h):
        return st.floats(0, 1).map(lambda v: v * scale)
    return st.sampled_from([0.0, 0.0625, 0.125, 0.25, 0.375, 0.5, 0.6875, 0.75, 1.0]).map(
        lambda v: v * scale)


def _quantile(name):
    nan = name.startswith("nan")
    scale = 100.0 if "percentile" in name else 1.0

    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "iuf")))
            x = draw(array(d, _shape(draw, not nan), lo=-20, hi=20))
            if nan:
                x = _with_nan_slice(draw, x, d)
            axis = draw(_axes(x.ndim))
            keep = draw(st.booleans())
            method = draw(st.sampled_from(METHODS))
            form = draw(st.sampled_from(["scalar", "list", "array"]))
            qv = _qvalues(h, scale)
            if form == "scalar":
                q = draw(qv)
            else:
                q = draw(st.lists(qv, min_size=1, max_size=4))
                if form == "array":
                    q = np.asarray(q, np.float32 if not x64(h) else np.float64)
            od = d if method in DISCRETE else fl(h, d)
            red = range(x.ndim) if axis is None else ([axis] if isinstance(axis, int) else axis)
            if nan and x.size == 0:
                axis = None  # NumPy's shapes are off for empty arrays with an axis
            if nan and x.size == 0:
                # an empty slice: NaN in a float (NumPy's shape is off for a list q here)
                q = draw(qv)
                od = fl(h, d)

            def ref(x, q):
                qq = wide(q) if isinstance(q, np.ndarray) else q
                xx = x if od.kind in "iu" else wide(x)
                r = getattr(np, name)(xx, qq, axis=axis, method=method, keepdims=keep)
                return cast(r, od)

            return Case([x, q], {"axis": axis, "keepdims": keep, "method": method}, ref, od,
                        rtol_scale=16, exact=od.kind in "iu")
        return case()
    return spec


# --- average, covariance ----------------------------------------------------------------------
def _average(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        weighted = draw(st.booleans())
        x = draw(array(d, _shape(draw, True), lo=-8, hi=8))  # NumPy fails on empty output
        kw = {"returned": draw(st.booleans()), "keepdims": draw(st.booleans())}
        w = None
        if weighted:
            wd = draw(st.sampled_from(held(h, "iuf")))
            od = fl(h, _dtypes.promote_types(d, wd))
            if not h.holds(od):
                wd, od = d, fl(h, d)
            one_d = x.ndim >= 1 and draw(st.booleans())
            axis = draw(st.integers(-x.ndim, x.ndim - 1)) if one_d else draw(_axes(x.ndim))
            wshape = (x.shape[axis],) if one_d else x.shape
            # positive weights: NumPy raises on a zero sum
            w = draw(array(wd, wshape, lo=1, hi=4, special=False))
        else:
            axis = draw(_axes(x.ndim))
            od = fl(h, d)

        def ref(x, axis, w):
            return cast(np.average(wide(x), axis, None if w is None else wide(w), **kw), od)

        return Case([x, axis, w], kw, ref, od, rtol_scale=max(4, x.size))
    return case()


def _cov(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "iuf")))
            nvar = draw(st.integers(1, 3))
            nobs = draw(st.integers(2, 5))
            one = draw(st.booleans())
            rowvar = draw(st.booleans())
            shp = (nobs,) if one else ((nvar, nobs) if rowvar else (nobs, nvar))
            x = draw(array(d, shp, lo=-5, hi=5, special=False))
            y = draw(array(d, shp, lo=-5, hi=5, special=False)) if draw(st.booleans()) else None
            args = [x, y, rowvar]
            if name == "cov":
                ddof = draw(st.one_of(st.none(), st.integers(0, 2)))
                fw = draw(st.one_of(st.none(), array(_dtypes.int32, (nobs,), lo=1, hi=3,
                                                     special=False)))
                aw = draw(st.one_of(st.none(), array(_dtypes.float32, (nobs,), lo=0.5, hi=2,
                                                     special=False)))
                args += [draw(st.booleans()), ddof, fw, aw]
            od = _dtypes.promote_types(d, h.be.default_float)

            def ref(*a):
                a = [wide(v) if isinstance(v, np.ndarray) else v for v in a]
                return cast(getattr(np, name)(*a), od)

            return Case(args, {}, ref, od, rtol_scale=64)
        return case()
    return spec


# --- histograms, counting, searching ----------------------------------------------------------
@st.composite
def _hist_inputs(draw, h, with_weights):
    """(dtype, a, bins, range, weights): bins a count or integer-valued edges; values on the
    edges are likely (small integers)."""
    d = draw(st.sampled_from([t for t in held(h, "iuf") if t not in HALF]))
    form = draw(st.sampled_from(["count", "range", "edges"]))
    x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=6),
                   lo=-6, hi=6, special=form != "count"))
    rng = None
    if form == "edges":
        e = sorted(set(draw(st.lists(st.integers(-7, 7), min_size=1, max_size=6))))
        bins = np.asarray(e, np_dtype(d) if d.kind == "f" else np_dtype(h.be.default_int))
    else:
        bins = draw(st.integers(1, 7))
    if form == "range":
        lo = draw(st.integers(-6, 5))
        hi = draw(st.integers(lo, 6))
        rng = (float(lo), float(hi))
    w = None
    if with_weights and draw(st.booleans()):
        wd = draw(st.sampled_from(held(h, "f", small=True)))
        w = draw(array(wd, x.shape, lo=0, hi=3, special=False))
    return d, x, bins, rng, w


def _hist_ref_input(x, bins, rng, ed):
    """NumPy computes data-range edges in the data's float dtype: give it the dtype xops uses
    (the backend's default float for integers) so the edges, and the bin membership of values
    that fall on them, match bit for bit."""
    if isinstance(bins, np.ndarray) or rng is not None:
        return x
    return x.astype(np_dtype(ed))


def _histogram(h):
    @st.composite
    def case(draw):
        d, x, bins, rng, w = draw(_hist_inputs(h, True))
        density = draw(st.booleans())
        ed = fl(h, d)
        cd = idx(h) if w is None else _dtypes.canonical(w.dtype.name)
        if density:
            cd = _dtypes.promote_types(fl(h, cd), h.be.default_float)
        given = isinstance(bins, np.ndarray)

        def ref(x, bins, rng, density, w):
            if density and w is not None:
                w = wide(w)  # NumPy normalises float16 weight sums in float16
            n, e = np.histogram(_hist_ref_input(x, bins, rng, ed), bins, rng, False, w)
            e = e if given else cast(e, ed)
            if density:  # from the edges xops returns (the default float for integer data)
                n = n / np.diff(e.astype(np.float64)) / n.sum()
            return cast(n, cd), e

        # counts compare exactly (integers, or sums of small integers); float edges within
        # tolerance: jax without x64 computes the edges of an explicit range in float32
        return Case([x, bins, rng, density, w], {}, ref, None, rtol_scale=4)
    return case()


def _histogram_bin_edges(h):
    @st.composite
    def case(draw):
        d, x, bins, rng, _ = draw(_hist_inputs(h, False))
        ed = fl(h, d)
        given = isinstance(bins, np.ndarray)

        def ref(x, bins, rng):
            e = np.histogram_bin_edges(_hist_ref_input(x, bins, rng, ed), bins, rng)
            return e if given else cast(e, ed)

        return Case([x, bins, rng], {}, ref, None, exact=given or x64(h))
    return case()


def _bincount(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biu")))
        x = draw(array(d, st.tuples(st.integers(0, 8)), lo=0, hi=9))
        od = idx(h)
        w = None
        if draw(st.booleans()):
            wd = draw(st.sampled_from(held(h, "iuf")))
            w = draw(array(wd, x.shape, lo=-3, hi=3, special=False))
            od = _dtypes.promote_types(fl(h, wd), h.be.default_float)
        minlength = draw(st.integers(0, 12))
        length = draw(st.one_of(st.none(), st.integers(0, 12)))

        def ref(x, w, minlength):
            xi = x.astype(np.int64)
            ww = None if w is None else wide(w)
            if length is not None:
                keep = xi < length
                r = np.bincount(xi[keep], None if ww is None else ww[keep],
                                minlength=length)[:length]
            else:
                r = np.bincount(xi, ww, minlength=minlength)
            return cast(r, od)

        return Case([x, w, minlength], {"length": length}, ref, od, exact=od.kind in "iu",
                    rtol_scale=8)
    return case()


def _digitize(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        x = draw(array(d, _shape(draw, False), lo=-6, hi=6))
        b = sorted(draw(st.lists(st.integers(-6 if d.kind != "u" else 0, 6), min_size=0,
                                 max_size=6)))
        if draw(st.booleans()):
            b = b[::-1]
        as_list = draw(st.booleans())
        bins = b if as_list and b else np.asarray(b, np_dtype(d))
        right = draw(st.booleans())
        return Case([x, bins], {"right": right},
                    lambda x, bins: np.asarray(np.digitize(wide(x), wide(np.asarray(bins)),
                                                           right=right)).astype(
                        np_dtype(idx(h))), idx(h), exact=True)
    return case()


def _isin(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        d2 = draw(st.sampled_from([d] + held(h, "biuf" if d.kind != "c" else "c")))
        dd = _dtypes.promote_types(d, d2)
        if not h.holds(dd) or (h.name == "torch" and dd is _dtypes.uint64):
            d2 = d
        e = draw(array(d, _shape(draw, False), lo=-3, hi=3))
        t = draw(array(d2, hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5),
                       lo=-3, hi=3))
        invert = draw(st.booleans())
        return Case([e, t], {"invert": invert},
                    lambda e, t: np.isin(wide(e), wide(t), invert=invert), _dtypes.bool_,
                    exact=True)
    return case()


# --- comparison -------------------------------------------------------------------------------
def _close(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
            a = draw(array(d, shp.input_shapes[0], lo=-4, hi=4))
            b = draw(array(d, shp.input_shapes[1], lo=-4, hi=4))
            if d.kind == "f" and draw(st.booleans()):
                # nearly equal values: a perturbed copy of a, broadcast to the common shape
                b = np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape))
                b = (wide(b) * (1 + draw(st.sampled_from([0.0, 1e-7, 1e-6, 1e-4, 1e-2]))))
                b = b.astype(np_dtype(d))
            kw = {"rtol": draw(st.sampled_from([1e-5, 1e-3, 0.0, 0.1])),
                  "atol": draw(st.sampled_from([1e-8, 0.0, 1e-3, 0.5])),
                  "equal_nan": draw(st.booleans())}
            fd = np_dtype(fl(h, d))

            def ref(a, b):
                # NumPy's formula in the dtype xops computes in
                r = np.isclose(a.astype(fd), b.astype(fd), **kw)
                return np.asarray(np.all(r) if name == "allclose" else r)

            return Case([a, b], kw, ref, _dtypes.bool_, exact=True)
        return case()
    return spec


def _array_equal(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            a = draw(array(d, _shape(draw, False), lo=-1, hi=1))
            form = draw(st.sampled_from(["same", "copy", "other", "broadcast"]))
            if form == "copy":
                b = a.copy()
            elif form == "broadcast" and a.ndim and a.shape[0]:
                if draw(st.booleans()):  # equal rows: equivalent to one of them
                    a = np.broadcast_to(a[:1], a.shape).copy()
                b = np.array(a[0])
            else:
                b = draw(array(d, _shape(draw, False) if form == "other" else a.shape,
                               lo=-1, hi=1))
            kw = {}
            if name == "array_equal":
                kw["equal_nan"] = draw(st.booleans())
            return Case([a, b], kw,
                        lambda a, b: np.asarray(getattr(np, name)(wide(a), wide(b), **kw)),
                        _dtypes.bool_, exact=True)
        return case()
    return spec


def _partition(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, _shape(draw, True, min_dims=1), lo=-3, hi=3))
            axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
            n = x.size if axis is None else x.shape[axis]
            kth = draw(st.one_of(st.integers(-n, n - 1),
                                 st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
            od = d if name == "partition" else idx(h)
            return Case([x, kth], {"axis": axis},
                        lambda x, k: getattr(np, name)(x, k, axis=axis), od, values=False)
        return case()
    return spec


SPECS = {
    "nansum": _nanred("nansum", "biufc", _sum_out),
    "nanprod": _nanred("nanprod", "biuf", _sum_out, lo=-2, hi=2),
    "nanmean": _nanred("nanmean", "biuf", fl),
    "nanvar": _nanred("nanvar", "biuf", fl, ddof=True),
    "nanstd": _nanred("nanstd", "biuf", fl, ddof=True),
    "nanmax": _nanred("nanmax", "biuf", _same, nonempty=True),
    "nanmin": _nanred("nanmin", "biuf", _same, nonempty=True),
    "nanargmax": _nanarg("nanargmax"), "nanargmin": _nanarg("nanargmin"),
    "nancumsum": _nanscan("nancumsum"), "nancumprod": _nanscan("nancumprod"),
    "ptp": _ptp,
    "median": _median("median"), "nanmedian": _median("nanmedian"),
    "quantile": _quantile("quantile"), "percentile": _quantile("percentile"),
    "nanquantile": _quantile("nanquantile"), "nanpercentile": _quantile("nanpercentile"),
    "average": _average, "cov": _cov("cov"), "corrcoef": _cov("corrcoef"),
    "histogram": _histogram, "histogram_bin_edges": _histogram_bin_edges,
    "bincount": _bincount, "digitize": _digitize, "isin": _isin,
    "isclose": _close("isclose"), "allclose": _close("allclose"),
    "array_equal": _array_equal("array_equal"), "array_equiv": _array_equal("array_equiv"),
    "partition": _partition("partition"), "argpartition": _partition("argpartition"),
}

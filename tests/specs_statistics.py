"""Input strategies and NumPy references for the order statistics, average, ptp, cov and corrcoef
(ops declared in xops/numpy_api/statistics.py; merged into tests/specs.py).

References compute in float64 (or the input's own integer dtype where the result keeps it) and cast
to the dtype xops promises: the input's float dtype, the backend's default float for integer input,
the default integer for counts and indices. Specials (NaN, +-inf, -0.0), ties (small value ranges),
all-NaN slices, empty arrays, keepdims and axis tuples are drawn."""
from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _shape, _with_nan_slice, cast, fl, wide, x64
from .specs import Case, _axes, array, held

METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
           "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf", "hazen",
           "weibull", "median_unbiased", "normal_unbiased")


DISCRETE = ("lower", "higher", "nearest", "inverted_cdf", "closest_observation")


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


SPECS: dict[str, Callable] = {
    "median": _median("median"),
    "nanmedian": _median("nanmedian"),
    "quantile": _quantile("quantile"),
    "percentile": _quantile("percentile"),
    "nanquantile": _quantile("nanquantile"),
    "nanpercentile": _quantile("nanpercentile"),
    "average": _average,
    "ptp": _ptp,
    "cov": _cov("cov"),
    "corrcoef": _cov("corrcoef"),
}

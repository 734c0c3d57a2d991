"""Input strategies and NumPy references for the nan-aware reductions (ops declared in
xops/numpy_api/nan_reductions.py; merged into tests/specs.py).

References compute in float64 (or the input's own integer dtype where the result keeps it) and
cast to the dtype xops promises: the input's float dtype, the backend's default float for integer
input, the default integer for counts and indices. Specials (NaN, +-inf, -0.0), ties (small value
ranges), all-NaN slices, empty arrays, keepdims and axis tuples are drawn."""
from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _shape, _with_nan_slice, cast, fl, idx, wide
from .specs import Case, _axes, array, held, np_dtype


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


SPECS: dict[str, Callable] = {
    "nansum": _nanred("nansum", "biufc", _sum_out),
    "nanprod": _nanred("nanprod", "biuf", _sum_out, lo=-2, hi=2),
    "nanmean": _nanred("nanmean", "biuf", fl),
    "nanvar": _nanred("nanvar", "biuf", fl, ddof=True),
    "nanstd": _nanred("nanstd", "biuf", fl, ddof=True),
    "nanmax": _nanred("nanmax", "biuf", _same, nonempty=True),
    "nanmin": _nanred("nanmin", "biuf", _same, nonempty=True),
    "nanargmax": _nanarg("nanargmax"),
    "nanargmin": _nanarg("nanargmin"),
    "nancumsum": _nanscan("nancumsum"),
    "nancumprod": _nanscan("nancumprod"),
}

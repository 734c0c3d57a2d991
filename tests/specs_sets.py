"""Input strategies and NumPy references for the unique_* functions and isin (ops declared in
xops/numpy_api/sets.py; merged into tests/specs.py).

Specials: NaN, +-inf, -0.0, ties (small value ranges), empty."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _idx, _shape, wide
from .specs import Case, array, held


def _np_unique(x, h):
    """NumPy's array-API unique: sorted, every NaN distinct, inverse in x's shape."""
    xf = x.reshape(-1)
    wide = xf.astype(np.float32) if xf.dtype.name == "bfloat16" else xf
    _, idx, inv, cnt = np.unique(wide, return_index=True, return_inverse=True,
                                 return_counts=True, equal_nan=False)
    i = _idx(h)
    return xf[idx], idx.astype(i), inv.reshape(x.shape).astype(i), cnt.astype(i)


def _unique(name):
    def spec(h):
        @st.composite
        def case(draw):
            # numpy + bfloat16 excluded: xops.numpy.sort/argsort on ml_dtypes bfloat16 put NaN
            # first (a sort-kernel issue reported to the lead, not a unique one)
            d = draw(st.sampled_from([d for d in held(h, "biuf")
                                      if not (h.name == "numpy" and d is _dtypes.bfloat16)]))
            x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0,
                                               max_side=4), lo=-2, hi=2))
            kw = {}
            if x.size and draw(st.integers(0, 3)) == 0:
                kw["size"] = draw(st.integers(1, 6))
                if draw(st.booleans()):
                    kw["fill_value"] = 7 if d.kind != "b" else True

            def ref(x):
                v, i, inv, c = _np_unique(x, h)
                if "size" in kw:
                    size = kw["size"]
                    k = v.size
                    fill = kw.get("fill_value", v[0])

                    def fit(a, pad):
                        a = a[:size]
                        return np.concatenate([a, np.full(size - a.size, pad, a.dtype)])
                    v = fit(v, fill)
                    i = fit(i, i[0])
                    c = fit(c, 0)
                    del k
                return {"unique_all": (v, i, inv, c), "unique_counts": (v, c),
                        "unique_inverse": (v, inv), "unique_values": v}[name]
            return Case([x], kw, ref, None, exact=True)
        return case()
    return spec


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


SPECS: dict[str, Callable] = {
    "unique_all": _unique("unique_all"),
    "unique_counts": _unique("unique_counts"),
    "unique_inverse": _unique("unique_inverse"),
    "unique_values": _unique("unique_values"),
    "isin": _isin,
}

"""Input strategies and NumPy references for digitize, bincount, histogram_bin_edges and histogram
(ops declared in xops/numpy_api/histograms.py; merged into tests/specs.py).

References compute in float64 (or the input's own integer dtype where the result keeps it) and cast
to the dtype xops promises: the input's float dtype, the backend's default float for integer input,
the default integer for counts and indices. Specials (NaN, +-inf, -0.0), ties (small value ranges),
all-NaN slices, empty arrays, keepdims and axis tuples are drawn."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _shape, cast, fl, idx, wide, x64
from .specs import Case, array, held, np_dtype

HALF = (_dtypes.float16, _dtypes.bfloat16)


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
        # a list of ints takes the backend's default int: beside uint32 that promotes to
        # int64, which jax without x64 refuses (a documented TypeError, not this op's subject)
        as_list = draw(st.booleans()) and (h.holds(_dtypes.int64) or d.name != "uint32")
        bins = b if as_list and b else np.asarray(b, np_dtype(d))
        right = draw(st.booleans())
        return Case([x, bins], {"right": right},
                    lambda x, bins: np.asarray(np.digitize(wide(x), wide(np.asarray(bins)),
                                                           right=right)).astype(
                        np_dtype(idx(h))), idx(h), exact=True)
    return case()


SPECS: dict[str, Callable] = {
    "histogram": _histogram,
    "histogram_bin_edges": _histogram_bin_edges,
    "bincount": _bincount,
    "digitize": _digitize,
}

"""Input strategies and NumPy references for NumPy's joining and splitting helpers (ops declared in
xops/numpy_api/joining.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Any, Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from .spec_helpers import _arr_any, _dtype_pair, _spec
from .specs import Case, array, held, np_dtype, shapes


# --- shape ----------------------------------------------------------------------------------------
def _append(draw, h):
    d1, d2, want = _dtype_pair(draw, h, "biuf")
    if draw(st.booleans()):
        a = draw(array(d1, shapes, lo=-5, hi=5))
        b = draw(array(d2, shapes, lo=-5, hi=5))
        axis = None
    else:
        base = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
        axis = draw(st.integers(-len(base), len(base) - 1))
        sb = list(base)
        sb[axis] = draw(st.integers(0, 3))
        a = draw(array(d1, base, lo=-5, hi=5))
        b = draw(array(d2, tuple(sb), lo=-5, hi=5))
    w = np_dtype(want)
    return Case([a, b], {"axis": axis}, lambda a, b: np.append(a.astype(w), b.astype(w), axis),
                want, exact=True)


def _atleast(n):
    def fn(draw, h):
        d = draw(st.sampled_from(held(h, "biufc")))
        xs = [draw(array(d, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3),
                         lo=-5, hi=5)) for _ in range(draw(st.integers(1, 3)))]
        return Case(xs, {}, getattr(np, f"atleast_{n}d"), d, exact=True)
    return fn


def _join(kind):
    def fn(draw, h):
        d = draw(st.sampled_from(held(h, "biuf")))
        nd = draw(st.integers(0, 3))
        k = draw(st.integers(1, 3))
        rest = list(draw(hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0, max_side=3)))
        # which axis may differ between inputs
        vary = {"vstack": 0 if nd >= 2 else None, "hstack": 0 if nd == 1 else (1 if nd >= 2
                                                                             else None),
                "dstack": 2 if nd >= 3 else None, "column_stack": 1 if nd == 2 else None}[kind]
        if kind == "column_stack" and nd > 2:
            nd, rest = 2, rest[:2]
        xs = []
        for _ in range(k):
            s = list(rest)
            if vary is not None:
                s[vary] = draw(st.integers(0, 3))
            xs.append(draw(array(d, tuple(s), lo=-5, hi=5)))
        kw: dict = {}
        if kind in ("vstack", "hstack") and draw(st.booleans()):
            kw["dtype"] = draw(st.sampled_from(held(h, "f")))  # float->int casts: semantics.md
        want = kw.get("dtype", d)
        ref = getattr(np, kind)
        return Case([xs], kw, lambda xs: ref(xs).astype(np_dtype(want)), want, exact=True)
    return fn


def _array_split(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    if draw(st.booleans()):
        ios: Any = draw(st.integers(1, 5))
    else:
        ios = sorted(draw(st.lists(st.integers(0, x.shape[axis]), max_size=3)))
    return Case([x, ios], {"axis": axis}, lambda x, i: np.array_split(x, i, axis=axis), None,
                exact=True)


def _hvdsplit(name, min_nd, axis_of):
    def fn(draw, h):
        x = _arr_any(draw, h, hnp.array_shapes(min_dims=min_nd, max_dims=min_nd + 1,
                                               max_side=6))
        n = x.shape[axis_of(x.ndim)]
        if draw(st.booleans()):
            divs = [k for k in range(1, max(n, 1) + 1) if n % k == 0] or [1]
            ios: Any = draw(st.sampled_from(divs))
        else:
            ios = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
        return Case([x, ios], {}, getattr(np, name), None, exact=True)
    return fn


SPECS: dict[str, Callable] = {
    "append": _spec(_append),
    "atleast_1d": _spec(_atleast(1)),
    "atleast_2d": _spec(_atleast(2)),
    "atleast_3d": _spec(_atleast(3)),
    "vstack": _spec(_join("vstack")),
    "hstack": _spec(_join("hstack")),
    "dstack": _spec(_join("dstack")),
    "column_stack": _spec(_join("column_stack")),
    "array_split": _spec(_array_split),
    "hsplit": _spec(_hvdsplit("hsplit", 1, lambda nd: 1 if nd > 1 else 0)),
    "vsplit": _spec(_hvdsplit("vsplit", 2, lambda nd: 0)),
    "dsplit": _spec(_hvdsplit("dsplit", 3, lambda nd: 2)),
}

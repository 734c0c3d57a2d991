"""Input strategies and NumPy references for array, logspace, geomspace, tri, vander and indices
(ops declared in xops/numpy_api/creation_composite.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _arr_any, _canon, _ok, _spec
from .specs import _LIKE, Case, array, held, np_dtype, shapes

real_dtypes = ["bool", "int8", "int32", "uint8", "float16", "float32"]


def _tri(draw, h):
    n, m = draw(st.integers(0, 5)), draw(st.one_of(st.none(), st.integers(0, 5)))
    k = draw(st.integers(-7, 7))
    dt = draw(st.one_of(st.none(), st.sampled_from(real_dtypes)))
    want = _dtypes.canonical(dt) if dt else h.be.default_float
    return Case([n, m, k], {"dtype": dt, "like": _LIKE},
                lambda *_: np.tri(n, m, k, dtype=np_dtype(want)), want, exact=True)


def _vander(draw, h):
    d = draw(st.sampled_from(held(h, "biufc")))
    want = _dtypes.promote_types(d, h.be.default_int)
    if not _ok(h, want):
        d = want = h.be.default_int
    x = draw(array(d, st.tuples(st.integers(0, 4)), lo=-4, hi=4))
    N = draw(st.one_of(st.none(), st.integers(0, 5)))
    inc = draw(st.booleans())
    w = np_dtype(want)

    def ref(x):
        if want.kind in "iu":
            return np.vander(x.astype(np.int64), N, inc).astype(w)
        return np.vander(x.astype(np.complex128 if want.kind == "c" else np.float64), N,
                         inc).astype(w)
    return Case([x], {"N": N, "increasing": inc}, ref, want, rtol_scale=4)


def _indices(draw, h):
    dims = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    dt = draw(st.one_of(st.none(), st.sampled_from(["int32", "float32"])))
    sparse = draw(st.booleans())
    want = _dtypes.canonical(dt) if dt else h.be.default_int
    return Case([dims], {"dtype": dt, "sparse": sparse, "like": _LIKE},
                lambda *_: np.indices(dims, np_dtype(want), sparse), want, exact=True)


# --- creation -------------------------------------------------------------------------------------
def _logspace(draw, h):
    a, b = draw(st.floats(-3, 3, width=32)), draw(st.floats(-3, 3, width=32))
    n = draw(st.integers(0, 8))
    ep = draw(st.booleans())
    base = draw(st.sampled_from([10.0, 2.0, 0.5, 3]))
    dt = draw(st.one_of(st.none(), st.just("float32")))
    want = _dtypes.canonical(dt) if dt else h.be.default_float
    return Case([a, b, n], {"endpoint": ep, "base": base, "dtype": dt, "like": _LIKE},
                lambda *_: np.logspace(a, b, n, endpoint=ep, base=base).astype(np_dtype(want)),
                want, rtol_scale=16)


def _geomspace(draw, h):
    mag = st.floats(0.01, 1000)
    a, b = draw(mag), draw(mag)
    sa = draw(st.sampled_from([1, -1]))
    sb = sa if draw(st.integers(0, 4)) else -sa  # mostly one sign; mixed gives NaN inside
    a, b = a * sa, b * sb
    n = draw(st.integers(0, 8))
    ep = draw(st.booleans())
    dt = draw(st.one_of(st.none(), st.just("float32")))
    want = _dtypes.canonical(dt) if dt else h.be.default_float
    return Case([a, b, n], {"endpoint": ep, "dtype": dt, "like": _LIKE},
                lambda *_: np.geomspace(a, b, n, endpoint=ep).astype(np_dtype(want)), want,
                rtol_scale=16)


def _array(draw, h):
    ndmin = draw(st.integers(0, 4))
    if draw(st.booleans()):
        x = _arr_any(draw, h, shapes, "biufc")
        # float -> int casts of NaN/inf are the semantics issue's (docs/semantics.md)
        dt = draw(st.one_of(st.none(), st.sampled_from(held(h, "f")))) if x.dtype.kind != "c" \
            else None
        want = dt or _canon(x)
        kw = {"dtype": dt, "ndmin": ndmin}
        if dt is None:
            kw["copy"] = draw(st.sampled_from([True, None]))
        return Case([x], kw, lambda x: np.array(x, dtype=np_dtype(want), ndmin=ndmin), want,
                    exact=True)
    el = draw(st.sampled_from([st.booleans(), st.integers(-100, 100),
                               st.floats(-100, 100, width=32)]))
    data = draw(st.one_of(el, st.lists(el, min_size=1, max_size=4),
                          st.lists(st.lists(el, min_size=2, max_size=2), min_size=1,
                                   max_size=3)))
    probe = np.asarray(data)
    want = {"b": _dtypes.bool_, "i": h.be.default_int, "f": h.be.default_float}[probe.dtype.kind]
    return Case([data], {"ndmin": ndmin, "like": _LIKE},
                lambda *_: np.array(data, dtype=np_dtype(want), ndmin=ndmin), want, exact=True)


SPECS: dict[str, Callable] = {
    "tri": _spec(_tri),
    "vander": _spec(_vander),
    "indices": _spec(_indices),
    "logspace": _spec(_logspace),
    "geomspace": _spec(_geomspace),
    "array": _spec(_array),
}

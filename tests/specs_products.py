"""Input strategies and NumPy references for inner, vdot, kron, cross and trace (ops declared in
xops/numpy_api/products.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _dtype_pair, _spec
from .specs import Case, array, held, np_dtype


def _small(d):
    """float16/bfloat16 references computed in float32 and rounded back."""
    return d in (_dtypes.float16, _dtypes.bfloat16)


def _via32(fn, d):
    def ref(*xs):
        if _small(d):
            xs = [x.astype(np.float32) if isinstance(x, np.ndarray) else x for x in xs]
            out = fn(*xs)
            if isinstance(out, (list, tuple)):
                return type(out)(np.asarray(o).astype(np_dtype(d)) for o in out)
            return np.asarray(out).astype(np_dtype(d))
        return fn(*xs)
    return ref


def _trace(draw, h):
    d = draw(st.sampled_from(held(h, "biufc")))
    x = draw(array(d, hnp.array_shapes(min_dims=2, max_dims=3, max_side=4), lo=-5, hi=5))
    a1, a2 = draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2, unique=True))
    off = draw(st.integers(-4, 4))
    dt = draw(st.one_of(st.none(), st.sampled_from(held(h, "f"))))
    acc = dt or _dtypes.sum_dtype(d, h.be.default_int)
    kw = {"offset": off, "axis1": a1, "axis2": a2, "dtype": dt}

    def ref(x):
        return np.asarray(_via32(lambda x: np.trace(x, off, a1, a2), acc)(x.astype(np_dtype(acc))))
    return Case([x], kw, ref, acc, rtol_scale=8)


# --- products -------------------------------------------------------------------------------------
def _kron(draw, h):
    d1, d2, want = _dtype_pair(draw, h, "biufc")
    sh = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
    a = draw(array(d1, sh, lo=-4, hi=4))
    b = draw(array(d2, sh, lo=-4, hi=4))
    w = np_dtype(want)
    return Case([a, b], {}, _via32(lambda a, b: np.kron(a.astype(w) if not _small(want) else a,
                                                        b.astype(w) if not _small(want) else b),
                                   want), want)


def _inner(draw, h):
    d1, d2, want = _dtype_pair(draw, h, "iufc")
    k = draw(st.integers(1, 4))
    sa = draw(st.sampled_from([(), (k,), (2, k), (2, 1, k)]))
    sb = draw(st.sampled_from([(), (k,), (3, k)]))
    a = draw(array(d1, sa, lo=-3, hi=3, special=False))
    b = draw(array(d2, sb, lo=-3, hi=3, special=False))
    w = np_dtype(want)
    return Case([a, b], {}, _via32(lambda a, b: np.inner(a.astype(w) if not _small(want) else a,
                                                         b.astype(w) if not _small(want)
                                                         else b), want), want,
                rtol_scale=4 * k)


def _vdot(draw, h):
    d1, d2, want = _dtype_pair(draw, h, "iufc")
    n = draw(st.integers(0, 6))
    shp = draw(st.sampled_from([s for s in [(n,), (1, n), (n, 1)] + ([(2, n // 2)] if n % 2 == 0
                                                                       else [])]))
    a = draw(array(d1, shp, lo=-3, hi=3, special=False))
    b = draw(array(d2, (n,), lo=-3, hi=3, special=False))
    w = np_dtype(want)
    return Case([a, b], {}, _via32(lambda a, b: np.asarray(np.vdot(
        a.astype(w) if not _small(want) else a, b.astype(w) if not _small(want) else b)), want),
        want, rtol_scale=4 * max(n, 1))


def _cross(draw, h):
    d = draw(st.sampled_from(held(h, "iufc")))
    na, nb = draw(st.sampled_from([2, 3])), draw(st.sampled_from([2, 3]))
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    sa, sb = list(bs.input_shapes[0]), list(bs.input_shapes[1])
    ia = draw(st.integers(0, len(sa)))
    ib = draw(st.integers(0, len(sb)))
    sa.insert(ia, na)
    sb.insert(ib, nb)
    a = draw(array(d, tuple(sa), lo=-4, hi=4, special=False))
    b = draw(array(d, tuple(sb), lo=-4, hi=4, special=False))
    out_nd = len(bs.result_shape) + 1
    if draw(st.integers(0, 3)) == 0 and len(sa) == len(sb) and ia == ib:
        kw: dict = {"axis": ia - len(sa) if draw(st.booleans()) else ia}
    else:
        kw = {"axisa": ia - len(sa) if draw(st.booleans()) else ia, "axisb": ib,
              "axisc": draw(st.integers(-out_nd, out_nd - 1))}
    return Case([a, b], kw, _via32(lambda a, b: np.cross(a, b, **kw), d), d, rtol_scale=4)


SPECS: dict[str, Callable] = {
    "inner": _spec(_inner),
    "vdot": _spec(_vdot),
    "kron": _spec(_kron),
    "cross": _spec(_cross),
    "trace": _spec(_trace),
}

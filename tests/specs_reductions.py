"""Input strategies and NumPy references for the cumulative sums/products, diff and the whole-array
comparisons (ops declared in xops/numpy_api/reductions.py; merged into tests/specs.py)."""
from __future__ import annotations

from typing import Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _shape, fl, wide
from .specs import Case, array, held, np_dtype, shapes


def _cumulative(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, shapes, lo=-3, hi=3, special=False))
            axis = None if x.ndim <= 1 and draw(st.booleans()) else (
                draw(st.integers(-x.ndim, x.ndim - 1)) if x.ndim else None)
            init = draw(st.booleans())
            acc = _dtypes.sum_dtype(d, h.be.default_int)
            fn = getattr(np, name)

            def ref(x):
                xa = x.astype(np_dtype(acc))
                if acc in (_dtypes.bfloat16, _dtypes.float16):
                    return fn(xa.astype(np.float32), axis=axis,
                              include_initial=init).astype(np_dtype(acc))
                return fn(xa, axis=axis, include_initial=init)
            return Case([x], {"axis": axis, "include_initial": init}, ref, acc, rtol_scale=16)
        return case()
    return spec


def _diff(h):
    # Array prepend/append (keyword-only, which the harness does not make native) are covered
    # in tests/test_arrayapi.py; here scalars.
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf", small=True)))
        x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=5),
                       lo=-5, hi=5, special=d.kind == "f"))
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        kw = {"axis": axis, "n": draw(st.integers(0, 3))}
        for side in ("prepend", "append"):
            if d.kind in "if" and draw(st.booleans()):
                kw[side] = draw(st.integers(0, 3))

        def ref(x):
            e = {k: (np.asarray(v, x.dtype) if k in ("prepend", "append") else v)
                 for k, v in kw.items()}
            if d is _dtypes.float16:
                return np.diff(x.astype(np.float32), **e).astype(x.dtype)
            return np.diff(x, **e)
        return Case([x], kw, ref, d, exact=d.kind != "f", rtol_scale=8)
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


SPECS: dict[str, Callable] = {
    "cumulative_sum": _cumulative("cumulative_sum"),
    "cumulative_prod": _cumulative("cumulative_prod"),
    "diff": _diff,
    "isclose": _close("isclose"),
    "allclose": _close("allclose"),
    "array_equal": _array_equal("array_equal"),
    "array_equiv": _array_equal("array_equiv"),
}

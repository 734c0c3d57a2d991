"""Input strategies and NumPy references for the Array API ops of xops/numpy_api/arrayapi.py
(merged into tests/specs.py). Specials: NaN, +-inf, -0.0, ties (small value ranges), empty."""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import _LIKE, Case, array, held, np_dtype, shapes

# Pure shape function: no arrays of a backend to agree on; tests/test_arrayapi.py covers it.
DTYPE_ONLY = {"broadcast_shapes"}


def _idx(h):
    return np_dtype(h.be.default_int)


def _nextafter(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "f")))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
        # small values make x1 == x2 and 0 likely; specials cover NaN, +-inf, -0.0
        a = draw(array(d, shp.input_shapes[0], lo=-2, hi=2))
        b = draw(array(d, shp.input_shapes[1], lo=-2, hi=2))
        return Case([a, b], {}, np.nextafter, d, exact=True)
    return case()


def _unstack(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)))
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        return Case([x], {"axis": axis},
                    lambda x: tuple(np.moveaxis(x, axis, 0)), d, exact=True)
    return case()


def _nonzero(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4),
                       lo=-1, hi=1))
        kw = {}
        if draw(st.booleans()):
            kw["size"] = draw(st.integers(0, 6))
            if draw(st.booleans()):
                kw["fill_value"] = draw(st.integers(-1, 3))

        def ref(x):
            out = [a.astype(_idx(h)) for a in np.nonzero(x)]
            if "size" in kw:
                size, fill = kw["size"], kw.get("fill_value", 0)
                out = [np.concatenate([a[:size], np.full(max(size - a.size, 0), fill,
                                                         a.dtype)]) for a in out]
            return tuple(out)
        return Case([x], kw, ref, h.be.default_int, exact=True)
    return case()


def _searchsorted(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        x1 = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=1, min_side=0, max_side=6),
                        lo=-3, hi=3))
        # sorter= (a keyword array) is covered in tests/test_arrayapi.py
        use_sorter = False
        side = draw(st.sampled_from(["left", "right"]))
        if draw(st.booleans()) or d.kind == "b":
            x2 = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4), lo=-4,
                            hi=4))
        else:  # a Python scalar of the array's kind (2025.12)
            x2 = draw(st.integers(-4, 4) if d.kind == "i" else st.integers(0, 4)
                      if d.kind == "u" else st.sampled_from([-1.5, 0.0, 2.0, float("nan"),
                                                             float("inf")]))
        if use_sorter:
            sorter = np.argsort(x1, kind="stable").astype(_idx(h))
            args = [x1, x2]
            kw = {"side": side, "sorter": sorter}
        else:
            x1 = np.sort(x1)
            args = [x1, x2]
            kw = {"side": side}

        def ref(x1, x2, **_):
            if use_sorter:
                x1 = x1[np.argsort(x1, kind="stable")]
            v = np.asarray(x2, dtype=x1.dtype)
            if d is _dtypes.bfloat16:
                x1, v = x1.astype(np.float32), v.astype(np.float32)
            return np.asarray(np.searchsorted(x1, v, side=side)).astype(_idx(h))
        return Case(args, kw, lambda a, b: ref(a, b), h.be.default_int, exact=True)
    return case()


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


def _from_dlpack(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, shapes))
        return Case([x], {"like": _LIKE}, lambda x: x, d, exact=True)
    return case()


SPECS = {
    "nextafter": _nextafter, "unstack": _unstack, "nonzero": _nonzero,
    "searchsorted": _searchsorted,
    "unique_all": _unique("unique_all"), "unique_counts": _unique("unique_counts"),
    "unique_inverse": _unique("unique_inverse"), "unique_values": _unique("unique_values"),
    "cumulative_sum": _cumulative("cumulative_sum"),
    "cumulative_prod": _cumulative("cumulative_prod"),
    "diff": _diff, "from_dlpack": _from_dlpack,
}

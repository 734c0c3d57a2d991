"""Input strategies and NumPy references for the indexing, sorting and searching ops beyond
tests/specs.py (ops declared in xops/numpy_api/indexing.py; merged into tests/specs.py).

partition and argpartition only promise the partition property: here shape and dtype are checked,
the property in tests/test_stats.py."""
from __future__ import annotations

from typing import Any, Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .spec_helpers import _arr_any, _idx, _shape, _spec, idx
from .specs import Case, array, held, np_dtype


def _delete(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
    if x.ndim and draw(st.booleans()):
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        n = x.shape[axis]
    else:
        axis, n = None, x.size
    kind = draw(st.sampled_from(["int", "slice", "list", "mask"]))
    if kind == "int" and n:
        obj: Any = draw(st.integers(-n, n - 1))
    elif kind == "slice" or n == 0:
        step = draw(st.sampled_from([None, 1, 2, -1, -2]))
        obj = slice(draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))),
                    draw(st.one_of(st.none(), st.integers(-n - 1, n + 1))), step)
    elif kind == "list":
        obj = draw(st.lists(st.integers(-n, n - 1), max_size=4))
    else:
        obj = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return Case([x, obj], {"axis": axis}, lambda x, o: np.delete(x, o, axis=axis), None,
                exact=True)


def _insert(draw, h):
    d = draw(st.sampled_from(held(h, "biuf")))
    x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), lo=-5, hi=5))
    if x.ndim and draw(st.booleans()):
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        shp = list(x.shape)
        ax = axis % x.ndim
    else:
        axis, shp, ax = None, [x.size], 0
    n = shp[ax]
    kind = draw(st.sampled_from(["int", "slice", "list"]))
    scalar = (True if d.kind == "b" else 2) if draw(st.booleans()) else None
    if kind == "int":
        obj: Any = draw(st.integers(-n, n))
        k = draw(st.integers(1, 2))
        vshape = (k, *[s for i, s in enumerate(shp) if i != ax])  # NumPy moves axis 0 to ax
    else:
        if kind == "slice":
            obj = slice(draw(st.one_of(st.none(), st.integers(-n, n))),
                        draw(st.one_of(st.none(), st.integers(-n, n))),
                        draw(st.sampled_from([None, 1, 2, -1])))
            k = len(range(*obj.indices(n)))
        else:
            obj = draw(st.lists(st.integers(-n, n), min_size=0, max_size=3))
            k = len(obj)
        vshape = tuple(k if i == ax else s for i, s in enumerate(shp))
        if k == 1:
            scalar = scalar if scalar is not None else (True if d.kind == "b" else 3)
    values = scalar if scalar is not None else draw(array(d, vshape, lo=-5, hi=5))
    return Case([x, obj, values], {"axis": axis},
                lambda x, o, v: np.insert(x, o, v, axis=axis), d, exact=True)


# --- diagonals ------------------------------------------------------------------------------------
def _diagonal(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=2, max_dims=4, max_side=4), "biufc")
    a1, a2 = draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2, unique=True))
    a1 = a1 - x.ndim if draw(st.booleans()) else a1
    off = draw(st.integers(-5, 5))
    return Case([x], {"offset": off, "axis1": a1, "axis2": a2},
                lambda x: np.diagonal(x, off, a1, a2), None, exact=True)


def _diag(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4), "biufc")
    k = draw(st.integers(-5, 5))
    return Case([x], {"k": k}, lambda x: np.diag(x, k), None, exact=True)


def _diagflat(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=0, max_dims=3, max_side=3), "biufc")
    k = draw(st.integers(-3, 3))
    return Case([x], {"k": k}, lambda x: np.diagflat(x, k), None, exact=True)


# --- indices --------------------------------------------------------------------------------------
def _unravel_index(draw, h):
    dims = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    total = int(np.prod(dims))
    d = draw(st.sampled_from(held(h, "iu")))
    # NumPy refuses non-0-d indices for shape ()
    idx = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=0 if not dims else 2, max_side=3),
                     lo=0, hi=total - 1))
    order = draw(st.sampled_from(["C", "F"]))
    return Case([idx, dims], {"order": order},
                lambda i, s: np.unravel_index(i, s, order=order), h.be.default_int, exact=True)


def _ravel_multi_index(draw, h):
    dims = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    modes = draw(st.one_of(st.sampled_from(["raise", "wrap", "clip"]),
                           st.lists(st.sampled_from(["raise", "wrap", "clip"]),
                                    min_size=len(dims), max_size=len(dims)).map(tuple)))
    per = modes if isinstance(modes, tuple) else (modes,) * len(dims)
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=len(dims), max_dims=2, max_side=3))
    d = draw(st.sampled_from(held(h, "i")))
    idx = [draw(array(d, s, lo=0 if m == "raise" else -9, hi=n - 1 if m == "raise" else 9))
           for s, m, n in zip(bs.input_shapes, per, dims)]
    order = draw(st.sampled_from(["C", "F"]))
    return Case([idx, dims], {"mode": modes, "order": order},
                lambda i, s: np.asarray(np.ravel_multi_index(i, s, mode=modes, order=order)),
                h.be.default_int, exact=True)


def _put_along_axis(draw, h):
    d = draw(st.sampled_from(held(h, "biufc")))
    x = draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
                   lo=-5, hi=5))
    rnd = draw(st.randoms())
    if draw(st.integers(0, 4)) == 0:
        n = x.size
        k = draw(st.integers(0, n))
        idx = np.array(rnd.sample(range(n), k), dtype=np.int64)
        idx = np.where(np.array([rnd.random() < 0.3 for _ in range(k)], bool), idx - n, idx)
        vals = draw(array(d, (k,), lo=-5, hi=5))
        axis = None
    else:
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        ax = axis % x.ndim
        n = x.shape[ax]
        k = draw(st.integers(0, n))
        ishape = tuple(k if i == ax else (s if draw(st.booleans()) else 1)
                       for i, s in enumerate(x.shape))
        lines = np.moveaxis(np.zeros(ishape, np.int64), ax, -1)
        flat = lines.reshape(int(np.prod(lines.shape[:-1])), k)
        for r in range(flat.shape[0]):  # unique targets per line: no write order to depend on
            flat[r] = rnd.sample(range(n), k)
            flat[r] -= n * (np.array([rnd.random() < 0.3 for _ in range(k)], bool))
        idx = np.moveaxis(flat.reshape(lines.shape), -1, ax)
        vshape = draw(st.sampled_from([ishape, ()]))
        vals = draw(array(d, vshape, lo=-5, hi=5))
    idx = idx.astype(draw(st.sampled_from([np.int32, np.int64]))
                     if h.be.default_int.bits == 64 else np.int32)

    def ref(x, i, v):
        out = x.copy()
        np.put_along_axis(out, i, v, axis)
        return out
    return Case([x, idx, vals], {"axis": axis}, ref, d, exact=True)


def _select(draw, h):
    n = draw(st.integers(1, 3))
    bs = draw(hnp.mutually_broadcastable_shapes(num_shapes=2 * n + 1, max_dims=3, max_side=3))
    d = draw(st.sampled_from(held(h, "biufc")))
    conds = [draw(hnp.arrays(bool, bs.input_shapes[i])) for i in range(n)]
    choices = [draw(array(d, bs.input_shapes[n + i], lo=-5, hi=5)) for i in range(n)]
    default: Any = draw(st.one_of(st.just(False if d.kind == "b" else 0),
                                  array(d, bs.input_shapes[2 * n], lo=-5, hi=5)))
    w = np_dtype(d)
    return Case([conds, choices, default], {},
                lambda c, ch, df: np.select(c, ch, np.asarray(df, w)).astype(w), d, exact=True)


def _argwhere(name):
    def fn(draw, h):
        x = _arr_any(draw, h, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), "biufc",
                     lo=-1, hi=1)
        size = draw(st.one_of(st.none(), st.integers(0, 8)))
        fill = draw(st.one_of(st.none(), st.integers(-2, 2)))
        kw = {"size": size, "fill_value": fill}

        def ref(x):
            out = getattr(np, name)(x)
            if size is not None:
                out = out[:size]
                pad = np.full((size - out.shape[0],) + out.shape[1:], fill or 0, out.dtype)
                out = np.concatenate([out, pad])
            return out
        return Case([x], kw, ref, h.be.default_int, exact=True)
    return fn


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


SPECS: dict[str, Callable] = {
    "put_along_axis": _spec(_put_along_axis),
    "select": _spec(_select),
    "diagonal": _spec(_diagonal),
    "diag": _spec(_diag),
    "diagflat": _spec(_diagflat),
    "partition": _partition("partition"),
    "argpartition": _partition("argpartition"),
    "nonzero": _nonzero,
    "argwhere": _spec(_argwhere("argwhere")),
    "flatnonzero": _spec(_argwhere("flatnonzero")),
    "searchsorted": _searchsorted,
    "unravel_index": _spec(_unravel_index),
    "ravel_multi_index": _spec(_ravel_multi_index),
    "delete": _spec(_delete),
    "insert": _spec(_insert),
}

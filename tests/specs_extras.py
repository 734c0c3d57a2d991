"""Input strategies and NumPy references for the NumPy extras (xops/numpy_api/extras.py)."""
from __future__ import annotations

from typing import Any, Callable

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes

from .specs import _LIKE, Case, array, held, np_dtype, shapes

# shape/ndim/size return Python values, not arrays: tests/test_extras.py checks them against
# NumPy on every backend.
DTYPE_ONLY = {"shape", "ndim", "size"}

real_dtypes = ["bool", "int8", "int32", "uint8", "float16", "float32"]


def _spec(fn: Callable) -> Callable:
    """A spec from ``fn(draw, h) -> Case``."""
    def spec(h):
        @st.composite
        def case(draw):
            return fn(draw, h)
        return case()
    return spec


def _ok(h, d) -> bool:
    return h.holds(d) and not (h.name == "torch" and d is _dtypes.uint64)


def _dtype_pair(draw, h, kinds):
    """Two dtypes whose xops promotion the backend holds, and that promotion."""
    d1 = draw(st.sampled_from(held(h, kinds)))
    d2 = draw(st.sampled_from([d1] + held(h, kinds)))
    want = _dtypes.promote_types(d1, d2)
    if want.kind not in kinds or not _ok(h, want):
        return d1, d1, d1
    return d1, d2, want


def _arr(draw, h, shape, kinds="biuf", **kw):
    d = draw(st.sampled_from(held(h, kinds)))
    return draw(array(d, shape, **kw))


def _canon(a) -> Any:
    return _dtypes.bfloat16 if a.dtype.name == "bfloat16" else _dtypes.canonical(a.dtype.name)


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


def _arr_any(draw, h, shape, kinds="biuf", **kw):
    return _arr(draw, h, shape, kinds, lo=kw.get("lo", -5), hi=kw.get("hi", 5))


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


def _rot90(draw, h):
    x = _arr_any(draw, h, hnp.array_shapes(min_dims=2, max_dims=4, max_side=3))
    a0, a1 = draw(st.lists(st.integers(0, x.ndim - 1), min_size=2, max_size=2, unique=True))
    axes = (a0 - x.ndim if draw(st.booleans()) else a0, a1)
    k = draw(st.integers(-5, 5))
    return Case([x], {"k": k, "axes": axes}, lambda x: np.rot90(x, k, axes), None, exact=True)


def _flip_lr_ud(name, min_nd):
    def fn(draw, h):
        x = _arr_any(draw, h, hnp.array_shapes(min_dims=min_nd, max_dims=3, max_side=3),
                     "biufc")
        return Case([x], {}, getattr(np, name), None, exact=True)
    return fn


def _resize(draw, h):
    x = _arr_any(draw, h, shapes)
    new = draw(st.one_of(st.integers(0, 7), hnp.array_shapes(min_dims=0, max_dims=3,
                                                             min_side=0, max_side=4)))
    return Case([x, new], {}, lambda x, s: np.resize(x, s), None, exact=True)


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


def _tri_indices(name):
    def fn(draw, h):
        n = draw(st.integers(0, 5))
        k = draw(st.integers(-6, 6))
        m = draw(st.one_of(st.none(), st.integers(0, 5)))
        return Case([n, k, m], {"like": _LIKE}, lambda *_: getattr(np, name)(n, k, m),
                    h.be.default_int, exact=True)
    return fn


def _diag_indices(draw, h):
    n, nd = draw(st.integers(0, 5)), draw(st.integers(1, 3))
    return Case([n, nd], {"like": _LIKE}, lambda *_: np.diag_indices(n, nd), h.be.default_int,
                exact=True)


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


def _copy(draw, h):
    x = _arr_any(draw, h, shapes, "biufc")
    return Case([x], {}, lambda x: x.copy(), _canon(x), exact=True)


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


SPECS: dict[str, Callable] = {
    "append": _spec(_append),
    "atleast_1d": _spec(_atleast(1)), "atleast_2d": _spec(_atleast(2)),
    "atleast_3d": _spec(_atleast(3)),
    "vstack": _spec(_join("vstack")), "hstack": _spec(_join("hstack")),
    "dstack": _spec(_join("dstack")), "column_stack": _spec(_join("column_stack")),
    "array_split": _spec(_array_split),
    "hsplit": _spec(_hvdsplit("hsplit", 1, lambda nd: 1 if nd > 1 else 0)),
    "vsplit": _spec(_hvdsplit("vsplit", 2, lambda nd: 0)),
    "dsplit": _spec(_hvdsplit("dsplit", 3, lambda nd: 2)),
    "rot90": _spec(_rot90), "fliplr": _spec(_flip_lr_ud("fliplr", 2)),
    "flipud": _spec(_flip_lr_ud("flipud", 1)), "resize": _spec(_resize),
    "delete": _spec(_delete), "insert": _spec(_insert),
    "diagonal": _spec(_diagonal), "diag": _spec(_diag), "diagflat": _spec(_diagflat),
    "trace": _spec(_trace), "tri": _spec(_tri), "vander": _spec(_vander),
    "tril_indices": _spec(_tri_indices("tril_indices")),
    "triu_indices": _spec(_tri_indices("triu_indices")),
    "diag_indices": _spec(_diag_indices), "indices": _spec(_indices),
    "logspace": _spec(_logspace), "geomspace": _spec(_geomspace),
    "array": _spec(_array), "copy": _spec(_copy),
    "kron": _spec(_kron), "inner": _spec(_inner), "vdot": _spec(_vdot), "cross": _spec(_cross),
    "unravel_index": _spec(_unravel_index), "ravel_multi_index": _spec(_ravel_multi_index),
    "put_along_axis": _spec(_put_along_axis), "select": _spec(_select),
    "argwhere": _spec(_argwhere("argwhere")), "flatnonzero": _spec(_argwhere("flatnonzero")),
}

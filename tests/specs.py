"""Input strategies and NumPy references for every registered op.

``SPECS[name](h)`` returns a hypothesis strategy drawing a ``Case``: positional/keyword arguments
(NumPy arrays become native arrays of the backend under test), and the NumPy reference. Elementwise
ops get theirs from their declaration (accepted kinds, dtype rule); the rest are written out here.
A registered op with no entry fails the manifest test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import hypothesis.extra.numpy as hnp
import ml_dtypes
import numpy as np
from hypothesis import strategies as st

from xops import _dtypes
from xops.numpy_api import REGISTRY


@dataclass
class Case:
    args: list
    kwargs: dict = field(default_factory=dict)
    ref: Callable[..., Any] | None = None
    # expected canonical dtype of the result (None: the reference's dtype)
    dtype: Any = None
    # 'values' compares values; 'sorted' compares per-item; 'list' for list results
    rtol_scale: float = 1.0
    exact: bool = False
    # False for ops whose values are unspecified (empty, empty_like): shape and dtype only
    values: bool = True


def np_dtype(d):
    return np.dtype(ml_dtypes.bfloat16) if d is _dtypes.bfloat16 else np.dtype(d.name)


def held(h, kinds, small=False):
    """Canonical dtypes of these kinds that backend ``h`` holds and that have a NumPy reference."""
    out = []
    for d in _dtypes.ALL_DTYPES:
        if d.kind not in kinds or not h.holds(d):
            continue
        if h.name == "torch" and d is _dtypes.uint64:
            continue  # torch has no sign-aware uint64 arithmetic (documented)
        if d is _dtypes.bfloat16 and small:
            continue
        out.append(d)
    return out


SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0]


def elements(d, lo=-20, hi=20, special=True, nonzero=False):
    if d.kind == "b":
        return st.booleans()
    if d.kind in "iu":
        info = np.iinfo(d.name)
        a, b = max(info.min, lo), min(info.max, hi)
        s = st.integers(a, b)
        return s.filter(bool) if nonzero else s
    if d.kind == "c":
        part = st.floats(lo, hi, width=32, allow_subnormal=False)
        return st.builds(complex, part, part)
    width = 16 if d.bits == 16 else d.bits
    base = st.floats(lo, hi, width=width, allow_subnormal=False)
    if nonzero:
        base = base.filter(lambda v: v != 0)
    if special:
        return st.one_of(base, st.sampled_from(SPECIAL if not nonzero else SPECIAL[:3]))
    return base


def array(d, shape, **kw):
    npd = np_dtype(d)
    if d is _dtypes.bfloat16:
        return hnp.arrays(np.float32, shape, elements=elements(_dtypes.float32, **kw)).map(
            lambda a: a.astype(npd))
    return hnp.arrays(npd, shape, elements=elements(d, **kw))


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


# --- elementwise ------------------------------------------------------------------------------
def int_power_ref(a, b):
    """xops' integer power (docs/semantics.md): a negative exponent gives the truncated real
    result (1 for base 1, +-1 for base -1, else 0); NumPy raises there."""
    a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
    if a.dtype.kind != "i":
        return np.power(a, b)
    neg = b < 0
    out = np.power(a, np.where(neg, 0, b).astype(b.dtype))
    fill = np.where(a == 1, 1, np.where(a == -1, np.where(b % 2 == 1, -1, 1), 0))
    return np.where(neg, fill.astype(a.dtype), out).astype(a.dtype)


def _scipy(name):
    import scipy.special
    return getattr(scipy.special, name)


def _divide_no_nan_ref(a, b):
    return np.where(b == 0, np.zeros((), np.result_type(a, b)), a / np.where(b == 0, 1, b))


# References for elementwise ops NumPy lacks or where xops decides a value NumPy leaves undefined.
EW_REFS: dict[str, Callable] = {
    "erf": lambda x: _scipy("erf")(x), "erfc": lambda x: _scipy("erfc")(x),
    "erfinv": lambda x: _scipy("erfinv")(x), "xlogy": lambda a, b: _scipy("xlogy")(a, b),
    "rsqrt": lambda x: 1 / np.sqrt(x), "divide_no_nan": _divide_no_nan_ref,
    "power": int_power_ref,
}
# Per-op input domains (keyword arguments of ``elements`` for (x1, x2)). Integer division by
# zero, negative integer exponents and NaN/inf are all drawn: their values are decided
# (docs/semantics.md); shift counts stay within the bit width (NumPy's oversized shifts are
# not decided yet).
EW_DOMAINS: dict[str, tuple[dict, dict]] = {
    "erfinv": ({"lo": -1, "hi": 1}, {}),
}


def _ew_case(name: str, h) -> st.SearchStrategy:
    info = REGISTRY[name]
    e = info.elementwise
    kinds = e.kinds
    ref = EW_REFS.get(name) or getattr(np, info.ref)

    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, kinds)))
        if e.nin == 1:
            x = draw(array(d, shapes, **EW_DOMAINS.get(name, ({}, {}))[0]))
            xs = [x]
        else:
            shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
            d2 = draw(st.sampled_from([d] + held(h, kinds)))
            dd = _dtypes.promote_types(d, d2)
            if dd.kind not in kinds or not h.holds(dd) or (h.name == "torch"
                                                           and dd is _dtypes.uint64):
                d2, dd = d, d
            kw1, kw2 = (dict(k) for k in EW_DOMAINS.get(name, ({}, {})))
            if name == "power" and dd.kind in "iu":
                kw1, kw2 = {"lo": -3, "hi": 3}, {"lo": -4, "hi": 4}
            if name in ("left_shift", "right_shift"):
                kw2 = {"lo": 0, "hi": min(d.bits, d2.bits) - 1}
            xs = [draw(array(d, shp.input_shapes[0], **kw1)),
                  draw(array(d2, shp.input_shapes[1], **kw2))]
        dts = [_dtypes.canonical(x.dtype) if x.dtype.name != "bfloat16" else _dtypes.bfloat16
               for x in xs]
        dd = dts[0] if len(dts) == 1 else _dtypes.promote_types(*dts)
        compute = e.compute_dtype(dd, h.be)
        want = e.result_dtype(compute)
        cd = np_dtype(compute)

        def reference(*arrs):
            cast = [a.astype(cd) for a in arrs]
            if compute is _dtypes.bfloat16 or compute is _dtypes.float16:
                out = ref(*[c.astype(np.float32) for c in cast])
                return np.asarray(out).astype(np_dtype(want))
            return np.asarray(ref(*cast)).astype(np_dtype(want))

        return Case(xs, {}, reference, want)

    return case()


# --- reductions -------------------------------------------------------------------------------
@st.composite
def _axes(draw, ndim, single=False):
    if single:
        return draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1))) if ndim else None
    opts = [st.none()]
    if ndim:
        opts.append(st.integers(-ndim, ndim - 1))
        opts.append(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(tuple))
    return draw(st.one_of(*opts))


def _reduction(name, kinds, acc, nonempty=False, special=True):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, kinds)))
            shp = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1 if nonempty else 0,
                                        max_side=4))
            x = draw(array(d, shp, lo=-8, hi=8, special=special))
            axis = draw(_axes(x.ndim))
            keep = draw(st.booleans())
            a = acc(d, h)
            want = a if name not in ("all", "any") else _dtypes.bool_

            def reference(x):
                return np.asarray(getattr(np, name)(x.astype(np_dtype(a)), axis=axis,
                                                    keepdims=keep))

            return Case([x], {"axis": axis, "keepdims": keep}, reference, want,
                        rtol_scale=max(1, x.size))
        return case()
    return spec


def _acc_sum(d, h):
    return _dtypes.sum_dtype(d, h.be.default_int)


def _acc_float(d, h):
    return _dtypes.to_float(d, h.be.default_float)


def _acc_same(d, h):
    return d


def _moment(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            shp = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
            x = draw(array(d, shp, lo=-8, hi=8, special=False))
            axis = draw(_axes(x.ndim))
            ddof = draw(st.sampled_from([0, 1]))
            keep = draw(st.booleans())
            a = _acc_float(d, h)
            return Case([x], {"axis": axis, "keepdims": keep, "ddof": ddof},
                        lambda x: np.asarray(getattr(np, name)(x.astype(np_dtype(a)), axis=axis,
                                                               keepdims=keep, ddof=ddof)), a,
                        rtol_scale=8)
        return case()
    return spec


def _arg(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            shp = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
            x = draw(array(d, shp, lo=-3, hi=3))
            axis = draw(_axes(x.ndim, single=True))
            keep = draw(st.booleans())
            return Case([x], {"axis": axis, "keepdims": keep},
                        lambda x: np.asarray(getattr(np, name)(x, axis=axis, keepdims=keep)),
                        h.be.default_int, exact=True)
        return case()
    return spec


def _scan(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, shapes, lo=-3, hi=3, special=False))
            axis = draw(_axes(x.ndim, single=True))
            a = _acc_sum(d, h)
            return Case([x], {"axis": axis},
                        lambda x: getattr(np, name)(x.astype(np_dtype(a)), axis=axis), a,
                        rtol_scale=16)
        return case()
    return spec


def _count_nonzero(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, shapes, lo=-2, hi=2))
        axis = draw(_axes(x.ndim))
        keep = draw(st.booleans())
        return Case([x], {"axis": axis, "keepdims": keep},
                    lambda x: np.asarray(np.count_nonzero(x, axis=axis, keepdims=keep)),
                    h.be.default_int, exact=True)
    return case()


# --- creation ---------------------------------------------------------------------------------
small_shape = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
real_dtypes = ["bool", "int8", "int32", "uint8", "float16", "float32"]


def _filled(name):
    def spec(h):
        @st.composite
        def case(draw):
            shp = draw(small_shape)
            dt = draw(st.sampled_from(real_dtypes))
            ref = {"zeros": np.zeros, "ones": np.ones}.get(name)
            return Case([shp], {"dtype": dt, "like": _LIKE}, (lambda *_: ref(shp, dt)) if ref else
                        (lambda *_: np.zeros(shp, dt)), _dtypes.canonical(dt), exact=True,
                        values=name != "empty")
        return case()
    return spec


_LIKE = object()  # replaced by a native array of the backend under test


def _full(h):
    @st.composite
    def case(draw):
        shp = draw(small_shape)
        v = draw(st.one_of(st.booleans(), st.integers(-5, 5), st.floats(-5, 5, width=32)))
        dt = {bool: _dtypes.bool_, int: h.be.default_int, float: h.be.default_float}[type(v)]
        return Case([shp, v], {"like": _LIKE}, lambda *_: np.full(shp, v, np_dtype(dt)), dt,
                    exact=True)
    return case()


def _like_fn(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, small_shape, lo=-3, hi=3))
            kwargs = {"fill_value": 3} if name == "full_like" else {}
            ref = {"zeros_like": np.zeros_like, "ones_like": np.ones_like,
                   "full_like": lambda x: np.full_like(x, 3), "empty_like": np.zeros_like}[name]
            return Case([x], kwargs, ref, d, exact=True, values=name != "empty_like")
        return case()
    return spec


def _arange(h):
    @st.composite
    def case(draw):
        if draw(st.booleans()):
            a, b = sorted(draw(st.lists(st.integers(-10, 10), min_size=2, max_size=2)))
            step = draw(st.sampled_from([1, 2, 3, -1, -2]))
            if step < 0:
                a, b = b, a
            dt = h.be.default_int
        else:
            a = draw(st.sampled_from([0.0, -1.5, 0.25, 2.0]))
            b = a + draw(st.sampled_from([1.0, 2.5, 3.75, 0.0]))
            step = draw(st.sampled_from([0.25, 0.5, 1.0]))
            dt = h.be.default_float
        return Case([a, b, step], {"like": _LIKE},
                    lambda *_: np.arange(a, b, step, dtype=np_dtype(dt)), dt)
    return case()


def _linspace(h):
    @st.composite
    def case(draw):
        a = draw(st.floats(-10, 10, width=32))
        b = draw(st.floats(-10, 10, width=32))
        n = draw(st.integers(0, 12))
        ep = draw(st.booleans())
        dt = h.be.default_float
        return Case([a, b], {"num": n, "endpoint": ep, "like": _LIKE},
                    lambda *_: np.linspace(a, b, n, endpoint=ep, dtype=np_dtype(dt)), dt,
                    rtol_scale=16)
    return case()


def _eye(h):
    @st.composite
    def case(draw):
        n, m = draw(st.integers(0, 5)), draw(st.one_of(st.none(), st.integers(0, 5)))
        k = draw(st.integers(-6, 6))
        dt = draw(st.sampled_from(real_dtypes))
        if draw(st.booleans()) and m is None:
            return Case([n], {"dtype": dt, "like": _LIKE}, lambda *_: np.identity(n, dt),
                        _dtypes.canonical(dt), exact=True)
        return Case([n, m], {"k": k, "dtype": dt, "like": _LIKE},
                    lambda *_: np.eye(n, m, k, dtype=dt), _dtypes.canonical(dt), exact=True)
    return case()


def _identity(h):
    @st.composite
    def case(draw):
        n = draw(st.integers(0, 5))
        dt = draw(st.sampled_from(real_dtypes))
        return Case([n], {"dtype": dt, "like": _LIKE}, lambda *_: np.identity(n, dt),
                    _dtypes.canonical(dt), exact=True)
    return case()


def _asarray(h):
    @st.composite
    def case(draw):
        kind = draw(st.sampled_from(["bool", "int", "float"]))
        el = {"bool": st.booleans(), "int": st.integers(-100, 100),
              "float": st.floats(-100, 100, width=32)}[kind]
        data = draw(st.one_of(el, st.lists(el, max_size=4),
                              st.lists(st.lists(el, min_size=2, max_size=2), min_size=1,
                                       max_size=3)))
        dt = {"bool": _dtypes.bool_, "int": h.be.default_int, "float": h.be.default_float}[kind]
        if isinstance(data, list) and not data:
            dt = h.be.default_float
        return Case([data], {"like": _LIKE}, lambda *_: np.asarray(data, dtype=np_dtype(dt)), dt,
                    exact=True)
    return case()


def _tri(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, hnp.array_shapes(min_dims=2, max_dims=3, max_side=4), lo=-3, hi=3))
            k = draw(st.integers(-4, 4))
            return Case([x], {"k": k}, lambda x: getattr(np, name)(x, k), d, exact=True)
        return case()
    return spec


def _meshgrid(h):
    @st.composite
    def case(draw):
        n = draw(st.integers(1, 3))
        xs = [draw(array(_dtypes.float32, st.tuples(st.integers(0, 4)), lo=-3, hi=3))
              for _ in range(n)]
        ind = draw(st.sampled_from(["xy", "ij"]))
        return Case(xs, {"indexing": ind}, lambda *a: np.meshgrid(*a, indexing=ind),
                    _dtypes.float32, exact=True)
    return case()


# --- shape ------------------------------------------------------------------------------------
def _any_array(h, shape=shapes, kinds="biuf"):
    return st.sampled_from(held(h, kinds)).flatmap(lambda d: array(d, shape, lo=-5, hi=5))


def _simple(fn_draw):
    """Spec from a function draw -> (args, kwargs, ref)."""
    def spec(h):
        @st.composite
        def case(draw):
            args, kwargs, ref = fn_draw(draw, h)
            return Case(args, kwargs, ref, None, exact=True)
        return case()
    return spec


def _reshape(draw, h):
    x = draw(_any_array(h))
    shp = list(x.shape)
    draw(st.randoms()).shuffle(shp)
    if shp and x.size and draw(st.booleans()):
        shp[draw(st.integers(0, len(shp) - 1))] = -1  # (-1 is ambiguous for an empty array)
    if draw(st.booleans()):
        shp = [1] + shp
    return [x, tuple(shp)], {}, lambda x, s: np.reshape(x, s)


def _transpose(draw, h):
    x = draw(_any_array(h))
    axes = None if draw(st.booleans()) else draw(st.permutations(range(x.ndim)))
    return [x], {"axes": axes}, lambda x: np.transpose(x, axes)


def _moveaxis(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=4, max_side=3)))
    k = draw(st.integers(1, x.ndim))
    src = draw(st.permutations(range(x.ndim)))[:k]
    dst = draw(st.permutations(range(x.ndim)))[:k]
    return [x, src, dst], {}, lambda x, s, d: np.moveaxis(x, s, d)


def _swapaxes(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=4, max_side=3)))
    a, b = draw(st.integers(-x.ndim, x.ndim - 1)), draw(st.integers(-x.ndim, x.ndim - 1))
    return [x, a, b], {}, lambda x, a, b: np.swapaxes(x, a, b)


def _matrix_transpose(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=2, max_dims=4, max_side=3)))
    return [x], {}, lambda x: np.swapaxes(x, -1, -2)


def _expand_dims(draw, h):
    x = draw(_any_array(h))
    n = draw(st.integers(1, 2))
    out_nd = x.ndim + n
    axes = tuple(draw(st.lists(st.integers(-out_nd, out_nd - 1), min_size=n, max_size=n,
                               unique_by=lambda a: a % out_nd)))
    return [x], {"axis": axes}, lambda x: np.expand_dims(x, axes)


def _squeeze(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=0, max_dims=4, max_side=2)))
    ones = [i for i, s in enumerate(x.shape) if s == 1]
    axis = None if draw(st.booleans()) else tuple(
        draw(st.lists(st.sampled_from(ones), unique=True))) if ones else None
    return [x], {"axis": axis}, lambda x: np.squeeze(x, axis)


def _concat(draw, h):
    d = draw(st.sampled_from(held(h, "biuf")))
    base = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.one_of(st.none(), st.integers(-len(base), len(base) - 1)))
    n = draw(st.integers(1, 3))
    xs = []
    for _ in range(n):
        s = list(base)
        if axis is not None:
            s[axis] = draw(st.integers(0, 3))
        d2 = draw(st.sampled_from([d] + held(h, "biuf")))
        acc = _dtypes.promote_types(d, d2)
        if not h.holds(acc) or (h.name == "torch" and acc is _dtypes.uint64):
            d2 = d
        else:
            d = acc  # running promotion, so the whole list stays holdable
        xs.append(draw(array(d2, tuple(s), lo=-5, hi=5)))
    want = _dtypes.result_type_of([_dtypes.canonical(a.dtype.name) for a in xs])
    return [xs], {"axis": axis}, lambda xs: np.concatenate([a.astype(np_dtype(want))
                                                            for a in xs], axis=axis)


def _stack(draw, h):
    d = draw(st.sampled_from(held(h, "biuf")))
    s = draw(shapes)
    n = draw(st.integers(1, 3))
    xs = [draw(array(d, s, lo=-5, hi=5)) for _ in range(n)]
    axis = draw(st.integers(-len(s) - 1, len(s)))
    return [xs], {"axis": axis}, lambda xs: np.stack(xs, axis=axis)


def _split(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6)))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[axis]
    if draw(st.booleans()):
        divs = [k for k in range(1, max(n, 1) + 1) if n % k == 0] or [1]
        ios: Any = draw(st.sampled_from(divs))
    else:
        ios = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    return [x, ios], {"axis": axis}, lambda x, i: np.split(x, i, axis=axis)


def _broadcast_to(draw, h):
    shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=1, max_dims=3, max_side=3))
    x = draw(_any_array(h, shp.input_shapes[0]))
    return [x], {"shape": shp.result_shape}, lambda x: np.broadcast_to(x, shp.result_shape)


def _broadcast_arrays(draw, h):
    shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=draw(st.integers(1, 3)), max_dims=3,
                                                 max_side=3))
    d = draw(st.sampled_from(held(h, "biuf")))
    xs = [draw(array(d, s, lo=-3, hi=3)) for s in shp.input_shapes]
    return xs, {}, lambda *xs: np.broadcast_arrays(*xs)


def _flip(draw, h):
    x = draw(_any_array(h))
    return [x], {"axis": draw(_axes(x.ndim))}, None


def _roll(draw, h):
    x = draw(_any_array(h))
    if x.ndim and draw(st.booleans()):
        axis = tuple(draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim)))
        shift = tuple(draw(st.integers(-5, 5)) for _ in axis)
    else:
        axis, shift = None, draw(st.integers(-5, 5))
    return [x, shift], {"axis": axis}, lambda x, s: np.roll(x, s, axis=axis)


def _tile(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    reps = draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), max_size=3).map(tuple)))
    return [x, reps], {}, lambda x, r: np.tile(x, r)


def _repeat(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1))) if x.ndim else None
    n = x.size if axis is None else x.shape[axis]
    reps = draw(st.one_of(st.integers(0, 3),
                          st.lists(st.integers(0, 3), min_size=n, max_size=n).map(tuple)))
    return [x, reps], {"axis": axis}, lambda x, r: np.repeat(x, r, axis=axis)


def _pad(draw, h):
    x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
    mode = draw(st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]))
    lim = {"reflect": 1, "symmetric": 0, "wrap": 0}.get(mode)
    pw = tuple((draw(st.integers(0, 3 if lim is None else s - lim)),
                draw(st.integers(0, 3 if lim is None else s - lim))) for s in x.shape)
    kw = {"mode": mode}
    if mode == "constant":
        kw["constant_values"] = draw(st.integers(0, 1)) if x.dtype != bool else False
    return [x, pw], kw, lambda x, p: np.pad(x, p, **kw)


def _where(h):
    @st.composite
    def case(draw):
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
        d = draw(st.sampled_from(held(h, "biufc")))
        c = draw(hnp.arrays(bool, shp.input_shapes[0]))
        a = draw(array(d, shp.input_shapes[1]))
        b = draw(st.one_of(array(d, shp.input_shapes[2]),
                           st.just(0) if d.kind != "b" else st.just(False)))
        return Case([c, a, b], {}, lambda c, a, b: np.where(c, a, np.asarray(b, a.dtype)), d,
                    exact=True)
    return case()


def _take(h):
    @st.composite
    def case(draw):
        x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
        axis = draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)))
        n = x.size if axis is None else x.shape[axis]
        idx = draw(hnp.arrays(np.int64 if h.be.default_int.bits == 64 else np.int32,
                              hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
                              elements=st.integers(-n, n - 1)))
        return Case([x, idx], {"axis": axis}, lambda x, i: np.take(x, i, axis=axis), None,
                    exact=True)
    return case()


def _take_along_axis(h):
    @st.composite
    def case(draw):
        x = draw(_any_array(h, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)))
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        n = x.shape[axis]
        ishape = list(x.shape)
        ishape[axis] = draw(st.integers(0, 4))
        idx = draw(hnp.arrays(np.int64 if h.be.default_int.bits == 64 else np.int32,
                              tuple(ishape), elements=st.integers(-n, n - 1)))
        return Case([x, idx], {"axis": axis},
                    lambda x, i: np.take_along_axis(x, i, axis=axis), None, exact=True)
    return case()


def key_of(e):
    if isinstance(e, float) and math.isnan(e):
        return (0, 0)
    return (1, -e)


def _sort(name):
    def spec(h):
        @st.composite
        def case(draw):
            d = draw(st.sampled_from(held(h, "biuf")))
            x = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), lo=-3,
                           hi=3))
            axis = draw(st.one_of(st.none(), st.integers(-max(x.ndim, 1), max(x.ndim, 1) - 1)))
            if x.ndim == 0 and axis is not None:
                axis = None
            desc = draw(st.booleans())

            def reference(x):
                if axis is None:
                    x = x.reshape(-1)
                    ax = -1
                else:
                    ax = axis
                xf = x.astype(np.float64) if x.dtype.name == "bfloat16" else x
                if not desc:
                    idx = np.argsort(xf, axis=ax, kind="stable")
                else:
                    idx = np.apply_along_axis(
                        lambda v: np.asarray(sorted(range(len(v)),
                                                    key=lambda i: key_of(v.tolist()[i])),
                                             dtype=np.int64), ax, xf) if x.size else \
                        np.zeros(x.shape, np.int64)
                if name == "argsort":
                    return idx
                return np.take_along_axis(x, idx, axis=ax)

            want = d if name == "sort" else h.be.default_int
            return Case([x], {"axis": axis, "descending": desc}, reference, want, exact=True)
        return case()
    return spec


def _matmul(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        k = draw(st.integers(1, 4))
        form = draw(st.sampled_from(["vv", "mv", "vm", "mm", "bmm"]))
        n, m = draw(st.integers(0, 3)), draw(st.integers(0, 3))
        batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2))
        sa = {"vv": (k,), "mv": (n, k), "vm": (k,), "mm": (n, k),
              "bmm": batch.input_shapes[0] + (n, k)}[form]
        sb = {"vv": (k,), "mv": (k,), "vm": (k, m), "mm": (k, m),
              "bmm": batch.input_shapes[1] + (k, m)}[form]
        a = draw(array(d, sa, lo=-3, hi=3, special=False))
        b = draw(array(d, sb, lo=-3, hi=3, special=False))
        return Case([a, b], {}, _f32ref(np.matmul, d), d, rtol_scale=4 * k)
    return case()


def _f32ref(fn, d):
    def ref(*xs):
        if d in (_dtypes.float16, _dtypes.bfloat16):
            return np.asarray(fn(*[x.astype(np.float32) for x in xs])).astype(np_dtype(d))
        return np.asarray(fn(*xs))
    return ref


def _dot(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "if", small=True)))
        k = draw(st.integers(1, 3))
        sa = draw(st.sampled_from([(), (k,), (2, k), (2, 2, k)]))
        sb = draw(st.sampled_from([(), (k,), (k, 3), (2, k, 3)]))
        a = draw(array(d, sa, lo=-3, hi=3, special=False))
        b = draw(array(d, sb, lo=-3, hi=3, special=False))
        return Case([a, b], {}, _f32ref(np.dot, d), d, rtol_scale=4 * k)
    return case()


def _tensordot(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "if", small=True)))
        n = draw(st.integers(0, 2))
        common = draw(hnp.array_shapes(min_dims=n, max_dims=n, min_side=1, max_side=3))
        a = draw(array(d, draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)) + common,
                       lo=-3, hi=3, special=False))
        b = draw(array(d, common + draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
                       lo=-3, hi=3, special=False))
        return Case([a, b], {"axes": n},
                    _f32ref(lambda a, b: np.tensordot(a, b, axes=n), d), d, rtol_scale=16)
    return case()


def _vecdot(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "fc", small=True)))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3,
                                                     max_side=3))
        sa, sb = list(shp.input_shapes[0]), list(shp.input_shapes[1])
        k = draw(st.integers(1, 3))
        sa[-1] = sb[-1] = k
        a = draw(array(d, tuple(sa), lo=-3, hi=3, special=False))
        b = draw(array(d, tuple(sb), lo=-3, hi=3, special=False))
        return Case([a, b], {}, lambda a, b: np.asarray(np.vecdot(a, b)), d, rtol_scale=8)
    return case()


EINSUM = [("ij,jk->ik", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("ij->", [(2, 3)]),
          ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]), ("i,i", [(4,), (4,)]),
          ("...ij,...jk->...ik", [(2, 2, 3), (3, 2)]), ("ij", [(2, 3)]), ("ji", [(2, 3)]),
          ("i,j->ij", [(2,), (3,)])]


def _einsum(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "if", small=True)))
        sub, shp = draw(st.sampled_from(EINSUM))
        xs = [draw(array(d, s, lo=-3, hi=3, special=False)) for s in shp]
        return Case([sub, *xs], {}, lambda s, *xs: np.asarray(np.einsum(s, *xs)), d,
                    rtol_scale=8)
    return case()


def _outer(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        a = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), lo=-3, hi=3))
        b = draw(array(d, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), lo=-3, hi=3))
        return Case([a, b], {}, _f32ref(np.outer, d), d)
    return case()


def _clip(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        x = draw(array(d, shapes, lo=-5, hi=5))
        lo = draw(st.one_of(st.none(), st.integers(-2, 0) if d.kind != "u" else st.just(0)))
        hi = draw(st.one_of(st.none(), st.integers(1, 3)))

        def ref(x):
            out = x
            if lo is not None:
                out = np.maximum(out, np.asarray(lo, x.dtype))
            if hi is not None:
                out = np.minimum(out, np.asarray(hi, x.dtype))
            return out
        return Case([x], {"min": lo, "max": hi}, _f32ref(ref, d), d, exact=d.kind != "f")
    return case()


def _nan_to_num(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        x = draw(array(d, shapes))
        if d.kind == "f":
            fi = _dtypes.finfo(d)

            def ref(x):
                return np.nan_to_num(x.astype(np.float64), posinf=fi.max,
                                     neginf=fi.min).astype(x.dtype)
        else:
            ref = np.nan_to_num
        return Case([x], {}, ref, d, exact=True)
    return case()


def _round(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf", small=True)))
        x = draw(array(d, shapes, lo=-100, hi=100))
        dec = draw(st.integers(-1, 2)) if d.kind == "f" else draw(st.integers(-1, 1))
        return Case([x], {"decimals": dec}, _f32ref(lambda x: np.round(x, dec), d), d,
                    rtol_scale=4)
    return case()


def _astype(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, shapes, lo=-100, hi=100, special=False))
        to = draw(st.sampled_from(held(h, "biufc" if d.kind == "c" else "biuf")))
        if d.kind == "c" and to.kind in "iu":
            to = _dtypes.bool_
        if to.kind in "iu" and d.kind == "f":
            # NaN, +-inf and values beyond the integer range: the saturating cast
            big = min(2.0 ** (to.bits + 2), _dtypes.finfo(d).max)
            x = draw(array(d, shapes, lo=-big, hi=big)) if draw(st.booleans()) else x
            return Case([x, to.name], {}, lambda x, t: saturating_cast(x, to), to, exact=True)
        return Case([x, to.name], {}, lambda x, t: x.astype(np_dtype(to)), to, exact=True)
    return case()


def saturating_cast(x, to):
    """xops' float -> integer cast (docs/semantics.md): truncate toward zero, NaN -> 0, beyond
    the range (and +-inf) -> the integer's min/max. Computed with Python ints."""
    info = np.iinfo(to.name)
    flat = []
    for v in np.asarray(x, np.float64).reshape(-1).tolist():
        if math.isnan(v):
            flat.append(0)
        elif math.isinf(v):
            flat.append(info.max if v > 0 else info.min)
        else:
            flat.append(min(max(math.trunc(v), info.min), info.max))
    return np.array(flat, dtype=to.name).reshape(np.shape(x))


def _compute(d, h, rule="float"):
    return _dtypes.to_float(d, h.be.default_float) if rule == "float" else d


def _via_f32(fn, d):
    """Run a NumPy reference in float32 for half dtypes (bfloat16 has few NumPy loops)."""
    def ref(*xs):
        if d in (_dtypes.float16, _dtypes.bfloat16):
            outs = fn(*[x.astype(np.float32) for x in xs])
            return tuple(o.astype(np_dtype(d)) if o.dtype == np.float32 else o for o in outs)
        return fn(*xs)
    return ref


def _frexp(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        c = _compute(d, h)
        x = draw(array(d, shapes, lo=-1e4, hi=1e4))
        return Case([x], {}, lambda x: _via_f32(np.frexp, c)(x.astype(np_dtype(c))), None,
                    exact=True)
    return case()


def _modf(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        c = _compute(d, h)
        x = draw(array(d, shapes, lo=-100, hi=100))
        return Case([x], {}, lambda x: _via_f32(np.modf, c)(x.astype(np_dtype(c))), None,
                    exact=True)
    return case()


def _divmod(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
        a = draw(array(d, shp.input_shapes[0]))
        b = draw(array(d, shp.input_shapes[1], lo=-5, hi=5))  # zero divisors included
        return Case([a, b], {}, lambda a, b: _via_f32(np.divmod, d)(a, b), None,
                    rtol_scale=4)
    return case()


def _ldexp(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biuf")))
        c = _compute(d, h)
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
        a = draw(array(d, shp.input_shapes[0]))
        di = draw(st.sampled_from(held(h, "iu")))
        b = draw(array(di, shp.input_shapes[1], lo=-10, hi=10, special=False))

        def ref(a, b):
            if c in (_dtypes.float16, _dtypes.bfloat16):
                return np.ldexp(a.astype(np.float32), b.astype(np.int64)).astype(np_dtype(c))
            return np.ldexp(a.astype(np_dtype(c)), b.astype(np.int64))
        return Case([a, b], {}, ref, c)
    return case()


def _f64(a):
    # ml_dtypes gives bfloat16 its own float_power loop (a bfloat16 result): compute in float64
    return np.asarray(a).astype(np.float64)


def _float_power(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "iuf")))
        shp = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4))
        a = draw(array(d, shp.input_shapes[0], lo=-3, hi=3))
        b = draw(array(d, shp.input_shapes[1], lo=-4, hi=4))
        want = _dtypes.float64 if h.holds(_dtypes.float64) else h.be.default_float
        return Case([a, b], {},
                    lambda a, b: np.float_power(_f64(a), _f64(b)).astype(np_dtype(want)), want)
    return case()


def _angle(h):
    @st.composite
    def case(draw):
        d = draw(st.sampled_from(held(h, "biufc")))
        x = draw(array(d, shapes))
        deg = draw(st.booleans())
        want = _dtypes.REAL_OF.get(d) or _compute(d, h)
        return Case([x], {"deg": deg}, lambda x: np.angle(x.astype(np.complex128), deg=deg)
                    .astype(np_dtype(want)) if d.kind == "c" else
                    np.angle(x.astype(np.float64), deg=deg).astype(np_dtype(want)), want)
    return case()


SPECS: dict[str, Callable] = {
    "frexp": _frexp, "modf": _modf, "divmod": _divmod, "ldexp": _ldexp,
    "float_power": _float_power, "angle": _angle,
    "sum": _reduction("sum", "biufc", _acc_sum),
    "prod": _reduction("prod", "biuf", _acc_sum, special=False),
    "mean": _reduction("mean", "biufc", _acc_float),
    "max": _reduction("max", "biuf", _acc_same, nonempty=True),
    "min": _reduction("min", "biuf", _acc_same, nonempty=True),
    "all": _reduction("all", "biufc", _acc_same),
    "any": _reduction("any", "biufc", _acc_same),
    "var": _moment("var"), "std": _moment("std"),
    "argmax": _arg("argmax"), "argmin": _arg("argmin"),
    "cumsum": _scan("cumsum"), "cumprod": _scan("cumprod"),
    "count_nonzero": _count_nonzero,
    "zeros": _filled("zeros"), "ones": _filled("ones"), "empty": _filled("empty"),
    "full": _full, "zeros_like": _like_fn("zeros_like"), "ones_like": _like_fn("ones_like"),
    "empty_like": _like_fn("empty_like"), "full_like": _like_fn("full_like"),
    "arange": _arange, "linspace": _linspace, "eye": _eye, "identity": _identity,
    "asarray": _asarray, "tril": _tri("tril"), "triu": _tri("triu"), "meshgrid": _meshgrid,
    "reshape": _simple(_reshape), "ravel": _simple(lambda draw, h: ([draw(_any_array(h))], {},
                                                                    np.ravel)),
    "transpose": _simple(_transpose), "moveaxis": _simple(_moveaxis),
    "swapaxes": _simple(_swapaxes), "matrix_transpose": _simple(_matrix_transpose),
    "expand_dims": _simple(_expand_dims), "squeeze": _simple(_squeeze),
    "concatenate": _simple(_concat), "stack": _simple(_stack), "split": _simple(_split),
    "broadcast_to": _simple(_broadcast_to), "broadcast_arrays": _simple(_broadcast_arrays),
    "flip": _simple(_flip), "roll": _simple(_roll), "tile": _simple(_tile),
    "repeat": _simple(_repeat), "pad": _simple(_pad),
    "where": _where, "take": _take, "take_along_axis": _take_along_axis,
    "sort": _sort("sort"), "argsort": _sort("argsort"),
    "matmul": _matmul, "dot": _dot, "tensordot": _tensordot, "vecdot": _vecdot,
    "einsum": _einsum, "outer": _outer,
    "clip": _clip, "nan_to_num": _nan_to_num, "round": _round, "astype": _astype,
}
# Pure dtype functions take no arrays of a backend to agree on; tests/test_dtypes.py covers them.
DTYPE_ONLY = {"result_type", "can_cast", "isdtype", "finfo", "iinfo"}


def spec_for(name: str, h) -> st.SearchStrategy | None:
    info = REGISTRY[name]
    f = SPECS.get(name)
    if f is not None:
        return f(h)
    if info.elementwise is not None:
        return _ew_case(name, h)
    return None


# Strategies for the ops of each area live in their own files (tests/specs_<area>.py, each with a
# SPECS dict of the same form); they are merged here so spec_for and the manifest see them all.
def _merge_area_specs() -> None:
    import importlib
    import pathlib
    for f in sorted(pathlib.Path(__file__).parent.glob("specs_*.py")):
        mod = importlib.import_module(f"{__package__}.{f.stem}")
        clash = set(mod.SPECS) & set(SPECS)
        assert not clash, f"{f.name} redefines specs for {sorted(clash)}"
        SPECS.update(mod.SPECS)
        DTYPE_ONLY.update(getattr(mod, "DTYPE_ONLY", ()))


_merge_area_specs()

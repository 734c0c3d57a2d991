"""Bound namespaces (``xops.numpy.bind``) against the Array API 2025.12 text where the frameworks
give other values: the special-case tables of floor_divide, remainder and the complex
exp/expm1/log/log1p/sqrt/sinh/cosh/tanh/atanh/acosh/acos, checked on every installed backend;
linalg.eig/eigvals; vecdot's result dtype; tuples from meshgrid, broadcast_arrays and
``__array_namespace_info__().devices()``; ``repeat`` with an array of counts. Hypothesis checks
that on ordinary finite inputs the fixed functions still agree with NumPy.

The expected values are written out from the standard's "Special cases" lists (not computed
from NumPy, which differs in places)."""
from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xops import _dtypes
from xops import numpy as xnp

from .conftest import needs_backend

INF, NAN, PI = math.inf, math.nan, math.pi


class Any:
    """An expected component whose sign the standard leaves unspecified: ``|got| == mag``."""

    def __init__(self, mag: float) -> None:
        self.mag = mag

    def __repr__(self) -> str:
        return f"±{self.mag}"

    def __neg__(self) -> "Any":
        return self


def _neg(v):
    return -v  # NaN stays NaN, Any stays Any, +0 <-> -0


# --- complex special cases ------------------------------------------------------------------
# Per function: rows (a values, b values, expected real, expected imaginary), as listed by the
# standard for b >= 0 (and a >= 0 for sinh/cosh/tanh/atanh). Expected parts may be callables
# of (a, b) for the cis(b) rows. FIN: finite numbers, NZ: nonzero finite, POS: positive finite.
FIN = (0.0, -0.0, 2.0, -1.5)
NZ = (2.0, -1.5)
POS = (2.0, 0.5)
CIS_B = (1.0, 2.0)  # cos(2) < 0: the real part's sign follows cos(b)


def _icos(a, b):
    return math.copysign(INF, math.cos(b))


def _isin(a, b):
    return math.copysign(INF, math.sin(b))


def _zcos(a, b):
    return math.copysign(0.0, math.cos(b))


def _zsin(a, b):
    return math.copysign(0.0, math.sin(b))


EXP = [
    ((0.0, -0.0), (0.0,), 1.0, 0.0),
    (FIN, (INF,), NAN, NAN),
    (FIN, (NAN,), NAN, NAN),
    ((INF,), (0.0,), INF, 0.0),
    ((-INF,), (0.0, *CIS_B), _zcos, _zsin),
    ((INF,), CIS_B, _icos, _isin),
    ((-INF,), (INF,), Any(0.0), Any(0.0)),
    ((INF,), (INF,), Any(INF), NAN),
    ((-INF,), (NAN,), Any(0.0), Any(0.0)),
    ((INF,), (NAN,), Any(INF), NAN),
    ((NAN,), (0.0,), NAN, 0.0),
    ((NAN,), (2.0, INF), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
EXPM1 = [
    ((0.0, -0.0), (0.0,), Any(0.0), 0.0),
    (FIN, (INF,), NAN, NAN),
    (FIN, (NAN,), NAN, NAN),
    ((INF,), (0.0,), INF, 0.0),
    ((-INF,), (0.0, *CIS_B), -1.0, _zsin),
    ((INF,), CIS_B, _icos, _isin),
    ((-INF,), (INF,), -1.0, Any(0.0)),
    ((INF,), (INF,), Any(INF), NAN),
    ((-INF,), (NAN,), -1.0, Any(0.0)),
    ((INF,), (NAN,), Any(INF), NAN),
    ((NAN,), (0.0,), NAN, 0.0),
    ((NAN,), (2.0, INF), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
_LOG_REST = [
    (FIN, (INF,), INF, PI / 2),
    (FIN, (NAN,), NAN, NAN),
    ((-INF,), POS, INF, PI),
    ((INF,), POS, INF, 0.0),
    ((-INF,), (INF,), INF, 3 * PI / 4),
    ((INF,), (INF,), INF, PI / 4),
    ((INF, -INF), (NAN,), INF, NAN),
    ((NAN,), FIN, NAN, NAN),
    ((NAN,), (INF,), INF, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
LOG = [((-0.0,), (0.0,), -INF, PI), ((0.0,), (0.0,), -INF, 0.0), *_LOG_REST]
LOG1P = [((-1.0,), (0.0,), -INF, 0.0), *_LOG_REST]
SQRT = [
    ((0.0, -0.0), (0.0,), 0.0, 0.0),
    ((*FIN, INF, -INF, NAN), (INF,), INF, INF),
    (FIN, (NAN,), NAN, NAN),
    ((-INF,), POS, 0.0, INF),
    ((INF,), POS, INF, 0.0),
    ((-INF,), (NAN,), NAN, Any(INF)),
    ((INF,), (NAN,), INF, NAN),
    ((NAN,), (0.0, 2.0), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
SINH = [
    ((0.0,), (0.0,), 0.0, 0.0),
    ((0.0,), (INF,), Any(0.0), NAN),
    ((0.0,), (NAN,), Any(0.0), NAN),
    (POS, (INF,), NAN, NAN),
    (POS, (NAN,), NAN, NAN),
    ((INF,), (0.0,), INF, 0.0),
    ((INF,), CIS_B, _icos, _isin),
    ((INF,), (INF,), Any(INF), NAN),
    ((INF,), (NAN,), Any(INF), NAN),
    ((NAN,), (0.0,), NAN, 0.0),
    ((NAN,), (2.0,), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
COSH = [
    ((0.0,), (0.0,), 1.0, 0.0),
    ((0.0,), (INF,), NAN, Any(0.0)),
    ((0.0,), (NAN,), NAN, Any(0.0)),
    (NZ, (INF,), NAN, NAN),
    (NZ, (NAN,), NAN, NAN),
    ((INF,), (0.0,), INF, 0.0),
    ((INF,), CIS_B, _icos, _isin),
    ((INF,), (INF,), Any(INF), NAN),
    ((INF,), (NAN,), INF, NAN),
    ((NAN,), (0.0, -0.0), NAN, Any(0.0)),
    ((NAN,), (2.0,), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
TANH = [
    ((0.0,), (0.0,), 0.0, 0.0),
    (NZ, (INF,), NAN, NAN),
    ((0.0,), (INF,), 0.0, NAN),
    (NZ, (NAN,), NAN, NAN),
    ((0.0,), (NAN,), 0.0, NAN),
    ((INF,), POS, 1.0, 0.0),
    ((INF,), (INF,), 1.0, Any(0.0)),
    ((INF,), (NAN,), 1.0, Any(0.0)),
    ((NAN,), (0.0,), NAN, 0.0),
    ((NAN,), (2.0, INF), NAN, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
ATANH = [
    ((0.0,), (0.0,), 0.0, 0.0),
    ((0.0,), (NAN,), 0.0, NAN),
    ((1.0,), (0.0,), INF, 0.0),
    (POS, (INF,), 0.0, PI / 2),
    (NZ, (NAN,), NAN, NAN),
    ((INF,), POS, 0.0, PI / 2),
    ((INF,), (INF,), 0.0, PI / 2),
    ((INF,), (NAN,), 0.0, NAN),
    ((NAN,), FIN, NAN, NAN),
    ((NAN,), (INF,), Any(0.0), PI / 2),
    ((NAN,), (NAN,), NAN, NAN),
]
ACOSH = [
    ((0.0, -0.0), (0.0,), 0.0, PI / 2),
    (FIN, (INF,), INF, PI / 2),
    (NZ, (NAN,), NAN, NAN),
    ((0.0,), (NAN,), NAN, Any(PI / 2)),
    ((-INF,), POS, INF, PI),
    ((INF,), POS, INF, 0.0),
    ((-INF,), (INF,), INF, 3 * PI / 4),
    ((INF,), (INF,), INF, PI / 4),
    ((INF, -INF), (NAN,), INF, NAN),
    ((NAN,), FIN, NAN, NAN),
    ((NAN,), (INF,), INF, NAN),
    ((NAN,), (NAN,), NAN, NAN),
]
ACOS = [
    ((0.0, -0.0), (0.0,), PI / 2, -0.0),
    ((0.0, -0.0), (NAN,), PI / 2, NAN),
    (FIN, (INF,), PI / 2, -INF),
    (NZ, (NAN,), NAN, NAN),
    ((-INF,), POS, PI, -INF),
    ((INF,), POS, 0.0, -INF),
    ((-INF,), (INF,), 3 * PI / 4, -INF),
    ((INF,), (INF,), PI / 4, -INF),
    ((INF, -INF), (NAN,), NAN, Any(INF)),
    ((NAN,), FIN, NAN, NAN),
    ((NAN,), (INF,), NAN, -INF),
    ((NAN,), (NAN,), NAN, NAN),
]

# name -> (rows, symmetry in a)
COMPLEX_TABLES = {
    "exp": (EXP, None), "expm1": (EXPM1, None), "log": (LOG, None), "log1p": (LOG1P, None),
    "sqrt": (SQRT, None), "sinh": (SINH, "odd"), "cosh": (COSH, "even"), "tanh": (TANH, "odd"),
    "atanh": (ATANH, "odd"), "acosh": (ACOSH, None), "acos": (ACOS, None),
}


def complex_cases(name):
    """(a, b, re, im) for each listed case, plus the cases the standard's symmetries give:
    f(conj(x)) == conj(f(x)) for every function here, f(-x) == -f(x) (odd) or f(x) (even)."""
    rows, sym = COMPLEX_TABLES[name]
    out = []
    for avals, bvals, re, im in rows:
        for a in avals:
            for b in bvals:
                r = re(a, b) if callable(re) else re
                i = im(a, b) if callable(im) else im
                out.append((a, b, r, i))
                if not math.isnan(b):  # conj
                    out.append((a, -b, r, _neg(i)))
                if sym == "odd":
                    out.append((-a, -b, _neg(r), _neg(i)))
                    if not math.isnan(b):
                        out.append((-a, b, _neg(r), i))
                elif sym == "even":
                    out.append((-a, -b, r, i))
                    if not math.isnan(b):
                        out.append((-a, b, r, _neg(i)))
    return out


def _matches(got: float, want, rtol: float) -> bool:
    if isinstance(want, Any):
        return abs(got) == want.mag or math.isclose(abs(got), want.mag, rel_tol=rtol)
    if math.isnan(want):
        return math.isnan(got)
    if want == 0 or math.isinf(want):
        return got == want and math.copysign(1, got) == math.copysign(1, want)
    return math.isclose(got, want, rel_tol=rtol)


def _complex_dtypes(h):
    return [d for d in (_dtypes.complex64, _dtypes.complex128) if h.holds(d)]


def _np_complex(a, b, dt):
    z = np.zeros(len(a), dt)
    z.real, z.imag = a, b
    return z


def check_complex_cases(h, name, fn):
    """Every case of ``name``'s table through ``fn`` (the bound function, or a traced one)."""
    cases = complex_cases(name)
    a = np.array([c[0] for c in cases])
    b = np.array([c[1] for c in cases])
    for d in _complex_dtypes(h):
        dt = np.dtype(d.name)
        got = h.np(fn(h.arr(_np_complex(a, b, dt))))
        assert got.dtype == dt
        rtol = 1e-6 if d is _dtypes.complex64 else 1e-12
        bad = [(complex(ca, cb), complex(g), (wr, wi))
               for (ca, cb, wr, wi), g in zip(cases, got)
               if not (_matches(g.real, wr, rtol) and _matches(g.imag, wi, rtol))]
        assert not bad, f"{h.name} {name} {d.name}: (input, got, want) " + "; ".join(
            f"{x!r} -> {g!r}, want {w!r}" for x, g, w in bad)


@pytest.mark.parametrize("name", sorted(COMPLEX_TABLES))
def test_complex_special_cases(backend, name):
    check_complex_cases(backend, name, getattr(xnp.bind(backend.name), name))


# --- floor_divide and remainder ---------------------------------------------------------------

FLOOR_DIVIDE = [
    # (x1, x2, expected)
    (NAN, 2.0, NAN), (2.0, NAN, NAN), (INF, INF, NAN), (-INF, INF, NAN), (INF, -INF, NAN),
    (0.0, 0.0, NAN), (-0.0, 0.0, NAN), (0.0, -0.0, NAN),
    (0.0, 2.0, 0.0), (-0.0, 2.0, -0.0), (0.0, -2.0, -0.0), (-0.0, -2.0, 0.0),
    (2.0, 0.0, INF), (2.0, -0.0, -INF), (-2.0, 0.0, -INF), (-2.0, -0.0, INF),
    (INF, 2.0, INF), (INF, -2.0, -INF), (-INF, 2.0, -INF), (-INF, -2.0, INF),
    (2.0, INF, 0.0), (2.0, -INF, -0.0), (-2.0, INF, -0.0), (-2.0, -INF, 0.0),
    (7.0, 2.0, 3.0), (-7.0, 2.0, -4.0), (7.0, -2.0, -4.0), (-7.0, -2.0, 3.0),
]
REMAINDER = [
    (NAN, 2.0, NAN), (2.0, NAN, NAN), (INF, INF, NAN), (-INF, -INF, NAN),
    (0.0, 0.0, NAN), (-0.0, -0.0, NAN),
    (0.0, 2.0, 0.0), (-0.0, 2.0, 0.0), (0.0, -2.0, -0.0), (-0.0, -2.0, -0.0),
    (2.0, 0.0, NAN), (2.0, -0.0, NAN), (-2.0, 0.0, NAN), (-2.0, -0.0, NAN),
    (INF, 2.0, NAN), (INF, -2.0, NAN), (-INF, 2.0, NAN), (-INF, -2.0, NAN),
    (2.0, INF, 2.0), (2.0, -INF, -INF), (-2.0, INF, INF), (-2.0, -INF, -2.0),
    # the remaining cases are Python's %: a zero result takes x2's sign
    (4.0, -2.0, -0.0), (-4.0, 2.0, 0.0), (-4.0, -2.0, -0.0), (7.0, -2.0, -1.0),
    (-7.0, 2.0, 1.0), (7.5, 2.0, 1.5),
]


def _float_dtypes(h):
    return [d for d in (_dtypes.float32, _dtypes.float64) if h.holds(d)]


@pytest.mark.parametrize("name, table", [("floor_divide", FLOOR_DIVIDE),
                                         ("remainder", REMAINDER)])
def test_floor_divide_and_remainder_special_cases(backend, name, table):
    h = backend
    xp = xnp.bind(h.name)
    fn = getattr(xp, name)
    for d in _float_dtypes(h):
        dt = np.dtype(d.name)
        x1 = np.array([c[0] for c in table], dt)
        x2 = np.array([c[1] for c in table], dt)
        got = h.np(fn(h.arr(x1), h.arr(x2)))
        assert got.dtype == dt
        bad = [(c[0], c[1], float(g), c[2]) for c, g in zip(table, got)
               if not _matches(float(g), c[2], 1e-6)]
        assert not bad, f"{h.name} {name} {d.name}: (x1, x2, got, want) {bad}"
        # a Python scalar operand takes the same path
        got = h.np(fn(h.arr(x1), 2.0))
        want = np.array([c[2] for c in table if c[1] == 2.0], dt)
        sel = x2 == 2.0
        np.testing.assert_array_equal(np.signbit(got[sel]), np.signbit(want))


# --- ordinary finite inputs still agree with NumPy (hypothesis) ------------------------------

_finite = st.floats(-4, 4, allow_nan=False, allow_infinity=False, width=32)


@pytest.mark.parametrize("name", sorted(COMPLEX_TABLES))
def test_complex_functions_agree_with_numpy_on_finite_input(backend, name):
    h = backend
    xp = xnp.bind(h.name)
    ref = {"acos": np.arccos, "acosh": np.arccosh, "atanh": np.arctanh}.get(
        name, getattr(np, name, None))

    @given(st.lists(st.tuples(_finite, _finite), min_size=1, max_size=6))
    def run(parts):
        a = np.array([p[0] for p in parts], np.float32)
        b = np.array([p[1] for p in parts], np.float32)
        z = _np_complex(a, b, np.complex64)
        if name == "atanh":  # stay off the poles at +-1 (conditioning, not special values)
            z = z[np.abs(z - 1) > 1e-2]
            z = z[np.abs(z + 1) > 1e-2]
        if not z.size:
            return
        with np.errstate(all="ignore"):
            want = ref(z.astype(np.complex128))
        got = h.np(getattr(xp, name)(h.arr(z)))
        assert got.dtype == np.complex64
        np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-5)
        # real input: the framework's value, untouched
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rg = h.np(getattr(xp, name)(h.arr(a)))
            rw = h.np(getattr(xnp, name)(h.arr(a)))
        np.testing.assert_array_equal(rg, rw)

    run()


@pytest.mark.parametrize("name", ["floor_divide", "remainder"])
def test_floor_divide_and_remainder_agree_with_numpy_on_finite_input(backend, name):
    h = backend
    xp = xnp.bind(h.name)
    nonzero = _finite.filter(lambda v: abs(v) > 1e-3)

    @given(st.lists(st.tuples(_finite, nonzero), min_size=1, max_size=6))
    def run(pairs):
        x1 = np.array([p[0] for p in pairs], np.float32)
        x2 = np.array([p[1] for p in pairs], np.float32)
        want = getattr(np, name)(x1, x2)
        got = h.np(getattr(xp, name)(h.arr(x1), h.arr(x2)))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        # integers are untouched
        i1, i2 = x1.astype(np.int32), np.where(x2.astype(np.int32) == 0, 3, x2.astype(np.int32))
        np.testing.assert_array_equal(
            h.np(getattr(xp, name)(h.arr(i1), h.arr(i2))), getattr(np, name)(i1, i2))

    run()


# --- tracing: the fix-ups are branch-free ----------------------------------------------------

def test_special_values_under_jax_jit():
    jax = needs_backend("jax")
    from .conftest import handle
    h = handle("jax")
    xp = xnp.bind("jax")
    for name in COMPLEX_TABLES:
        check_complex_cases(h, name, jax.jit(getattr(xp, name)))
    x1, x2 = h.arr(np.array([INF, 2.0, -0.0], np.float32)), h.arr(np.array([2.0, -INF, 2.0],
                                                                            np.float32))
    np.testing.assert_array_equal(h.np(jax.jit(xp.floor_divide)(x1, x2)), [INF, -0.0, -0.0])
    np.testing.assert_array_equal(np.signbit(h.np(jax.jit(xp.floor_divide)(x1, x2))),
                                  [False, True, True])
    np.testing.assert_array_equal(h.np(jax.jit(xp.remainder)(x1, x2)), [NAN, -INF, 0.0])


def test_special_values_under_tf_function():
    tf = needs_backend("tensorflow")
    from .conftest import handle
    h = handle("tensorflow")
    xp = xnp.bind("tensorflow")
    for name in ("expm1", "log1p", "sqrt", "tanh"):
        check_complex_cases(h, name, tf.function(getattr(xp, name)))


def test_special_values_under_torch_compile():
    torch = needs_backend("torch")
    from .conftest import handle
    h = handle("torch")
    xp = xnp.bind("torch")
    for name in ("exp", "acos", "tanh"):
        check_complex_cases(h, name, torch.compile(lambda t, n=name: getattr(xp, n)(t),
                                                   fullgraph=True))
    fd = torch.compile(lambda a, b: (xp.floor_divide(a, b), xp.remainder(a, b)), fullgraph=True)
    x1, x2 = h.arr(np.array([INF, 2.0, -0.0], np.float32)), h.arr(np.array([2.0, -INF, 2.0],
                                                                            np.float32))
    q, r = (h.np(v) for v in fd(x1, x2))
    np.testing.assert_array_equal(np.signbit(q), [False, True, True])
    np.testing.assert_array_equal(q, [INF, -0.0, -0.0])
    np.testing.assert_array_equal(r, [NAN, -INF, 0.0])


# --- linalg.eig / eigvals ----------------------------------------------------------------------

def test_linalg_eig_and_eigvals(backend):
    h = backend
    xp = xnp.bind(h.name)
    for n in ("eig", "eigvals"):
        assert n in xp.linalg.__all__
        params = list(inspect.signature(getattr(xp.linalg, n)).parameters.values())
        assert [(p.name, p.kind) for p in params] == [("x", inspect.Parameter.POSITIONAL_ONLY)]
    a = xp.asarray([[0.0, -1.0], [1.0, 0.0]], dtype=xp.float32)  # eigenvalues +-1j
    w, v = xp.linalg.eig(a)
    assert w.dtype == xp.complex64 and v.dtype == xp.complex64
    wn, vn = h.np(w), h.np(v)
    np.testing.assert_allclose(np.sort_complex(wn), [-1j, 1j], atol=1e-6)
    np.testing.assert_allclose(h.np(a).astype(np.complex64) @ vn, vn * wn, atol=1e-5)
    ev = xp.linalg.eigvals(a)
    assert ev.dtype == xp.complex64
    np.testing.assert_allclose(np.sort_complex(h.np(ev)), [-1j, 1j], atol=1e-6)


# --- vecdot / outer over dtype pairs --------------------------------------------------------------

_STD = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32",
        "float64", "complex64", "complex128")


def test_vecdot_and_outer_over_dtype_pairs(backend):
    """Every pair of the standard's numeric dtypes the promotion table joins: vecdot's dtype is
    the promoted one (integers wrap in it, as NumPy's vecdot), outer's too."""
    h = backend
    xp = xnp.bind(h.name)
    names = [n for n in _STD if h.holds(_dtypes.canonical(n))]
    bad = []
    for n1 in names:
        for n2 in names:
            try:
                want_dt = _dtypes.promote_types(_dtypes.canonical(n1), _dtypes.canonical(n2))
            except TypeError:
                continue
            if not h.holds(want_dt):
                continue
            d1, d2 = np.dtype(n1), np.dtype(n2)
            big = 100 if d1.kind in "iu" and d2.kind in "iu" else 3
            x1 = (np.arange(6).reshape(2, 3) % 4 + big - 3).astype(d1)
            x2 = (np.arange(6).reshape(2, 3) % 3 + 1).astype(d2)
            wd = np.dtype(want_dt.name)
            want = np.vecdot(x1.astype(wd), x2.astype(wd))
            got = h.np(xp.vecdot(h.arr(x1), h.arr(x2)))
            got_la = h.np(xp.linalg.vecdot(h.arr(x1), h.arr(x2), axis=-1))
            o = h.np(xp.linalg.outer(h.arr(x1[0]), h.arr(x2[0])))
            for what, g, w in (("vecdot", got, want), ("linalg.vecdot", got_la, want),
                               ("outer", o, np.outer(x1[0].astype(wd), x2[0].astype(wd)))):
                if g.dtype != wd or not np.allclose(g, w):
                    bad.append((what, n1, n2, str(g.dtype), str(wd)))
    assert not bad, bad


# --- 2025.12 return types ---------------------------------------------------------------------

def test_tuples_where_2025_12_says_tuple(backend):
    h = backend
    xp = xnp.bind(h.name)
    g = xp.meshgrid(xp.asarray([1, 2, 3]), xp.asarray([4, 5]), indexing="ij")
    assert isinstance(g, tuple) and len(g) == 2 and tuple(g[0].shape) == (3, 2)
    assert all(h.is_native(e) for e in g)
    b = xp.broadcast_arrays(xp.asarray([1, 2]), xp.asarray([[3], [4]]))
    assert isinstance(b, tuple) and [tuple(e.shape) for e in b] == [(2, 2), (2, 2)]
    info = xp.__array_namespace_info__()
    assert isinstance(info.devices(), tuple) and info.default_device() in info.devices()
    assert isinstance(xnp.__array_namespace_info__().devices(), tuple)


# --- repeat with an array of counts -------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
def test_repeat_with_array_repeats(backend, dtype):
    h = backend
    if not h.holds(_dtypes.canonical(dtype)):
        pytest.skip(f"{h.name} holds no {dtype} now")
    xp = xnp.bind(h.name)
    d = getattr(xp, dtype)
    x = xp.asarray([[1, 2], [3, 4]])
    np.testing.assert_array_equal(h.np(xp.repeat(x, xp.asarray([2, 0], dtype=d), axis=0)),
                                  [[1, 2], [1, 2]])
    np.testing.assert_array_equal(h.np(xp.repeat(x, xp.asarray([1, 0, 2, 1], dtype=d))),
                                  [1, 3, 3, 4])
    np.testing.assert_array_equal(h.np(xp.repeat(x, xp.asarray([2], dtype=d), axis=1)),
                                  [[1, 1, 2, 2], [3, 3, 4, 4]])
    np.testing.assert_array_equal(h.np(xp.repeat(x, xp.asarray(2, dtype=d), axis=1)),
                                  [[1, 1, 2, 2], [3, 3, 4, 4]])
    with pytest.raises(ValueError, match="repeats"):
        xp.repeat(x, xp.asarray([1, 2, 3], dtype=d), axis=0)
    if dtype[0] == "i":
        with pytest.raises(ValueError, match="non-negative"):
            xp.repeat(x, xp.asarray([1, -1], dtype=d), axis=0)


def test_repeat_refuses_float_repeats(backend):
    xp = xnp.bind(backend.name)
    with pytest.raises(TypeError, match="integer"):
        xp.repeat(xp.asarray([1, 2]), xp.asarray([1.0, 2.0]))

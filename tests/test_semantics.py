"""Edge-case semantics decided once for every backend (docs/semantics.md): hypothesis draws the
special values (zero divisors, negative exponents, NaN/inf/-0.0, out-of-range floats, ties,
integer overflow) and each test checks the documented behaviour, eagerly and, where the
decision says it holds under jit, inside jax.jit and tf.function(jit_compile=True)."""
from __future__ import annotations

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xops
from xops import _dtypes
from xops import numpy as xnp

from .specs import array, held, int_power_ref, key_of, np_dtype, saturating_cast

MODES = ["eager", "jit"]


def run(h, mode, fn, *args):
    """``fn(*native_args)`` eagerly or compiled with the backend's jit; numpy results back."""
    nat = [h.arr(a) if isinstance(a, np.ndarray) else a for a in args]
    if mode == "eager":
        out = fn(*nat)
    elif h.name == "jax":
        import jax
        out = jax.jit(fn)(*nat)
    elif h.name == "tensorflow":
        import tensorflow as tf
        out = tf.function(fn, jit_compile=True, autograph=False)(*nat)
    else:
        pytest.skip(f"no jit mode tested for {h.name}")
    if isinstance(out, (tuple, list)):
        return [h.np(o) for o in out]
    return h.np(out)


def np_quiet(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


def ints(h, d):
    """Integers of dtype ``d`` biased to the edges: 0, +-1, the min and max, small values."""
    info = np.iinfo(d.name)
    edge = st.sampled_from(sorted({0, 1, info.max, info.min, info.min + 1, info.max - 1}
                                  | ({-1} if d.kind == "i" else set())))
    return st.one_of(edge, st.integers(max(info.min, -5), min(info.max, 5)))


def int_arrays(d, shape):
    return hnp.arrays(np_dtype(d), shape, elements=ints(None, d))


pair_shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=4)


# --- integer division by zero: 0 (NumPy's value) on every backend, under jit too ---------------
@pytest.mark.parametrize("mode", MODES)
def test_integer_division_by_zero_is_zero(dtype_backend, mode):
    h = dtype_backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "iu")))
        shp = data.draw(pair_shapes)
        a = data.draw(int_arrays(d, shp.input_shapes[0]))
        b = data.draw(int_arrays(d, shp.input_shapes[1]))
        got = run(h, mode, lambda x, y: (xnp.floor_divide(x, y), xnp.remainder(x, y),
                                         xnp.fmod(x, y), *xnp.divmod(x, y)), a, b)
        want = [np_quiet(f, a, b) for f in (np.floor_divide, np.remainder, np.fmod)]
        want += list(np_quiet(np.divmod, a, b))
        zero = np.broadcast_to(b == 0, want[0].shape)
        for g, w in zip(got, want):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)  # INT_MIN // -1 wraps, as NumPy's
            assert not np.any(g[zero])

    check()


# --- integer power with a negative exponent: truncation (0 except base +-1) ---------------------
@pytest.mark.parametrize("mode", MODES)
def test_integer_power_negative_exponent(dtype_backend, mode):
    h = dtype_backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "i")))
        shp = data.draw(pair_shapes)
        a = data.draw(hnp.arrays(np_dtype(d), shp.input_shapes[0],
                                 elements=st.integers(-3, 3)))
        b = data.draw(hnp.arrays(np_dtype(d), shp.input_shapes[1],
                                 elements=st.integers(-6, 3)))
        got = run(h, mode, xnp.power, a, b)
        np.testing.assert_array_equal(got, int_power_ref(a, b))
        # a Python int exponent takes the same rule
        e = data.draw(st.integers(-4, -1))
        np.testing.assert_array_equal(run(h, mode, lambda x: xnp.power(x, e), a),
                                      int_power_ref(a, np.asarray(e, a.dtype)))

    check()


# --- NaN: propagates through max/min/maximum/minimum/clip, is the extreme for argmax/argmin,
# sorts last (first when descending) ------------------------------------------------------------
def floats_with_nan(h):
    return st.sampled_from(held(h, "f")).flatmap(
        lambda d: array(d, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5),
                        lo=-3, hi=3))


@pytest.mark.parametrize("mode", MODES)
def test_nan_in_reductions_comparisons_and_sorting(backend, mode):
    h = backend

    @given(floats_with_nan(h), st.booleans())
    def check(x, desc):
        x32 = x.astype(np.float64)
        got = run(h, mode, lambda v: (xnp.max(v, axis=-1), xnp.min(v, axis=-1),
                                      xnp.argmax(v, axis=-1), xnp.argmin(v, axis=-1),
                                      xnp.maximum(v, 0.5), xnp.minimum(v, 0.5),
                                      xnp.clip(v, -1, 1), xnp.fmax(v, 0.5),
                                      xnp.argsort(v, axis=-1, descending=desc),
                                      xnp.sort(v, axis=-1, descending=desc)), x)
        mx, mn, amx, amn, maxi, mini, clp, fmx, order, srt = got
        nan_row = np.isnan(x32).any(axis=-1)
        assert np.array_equal(np.isnan(mx.astype(np.float64)), nan_row)
        assert np.array_equal(np.isnan(mn.astype(np.float64)), nan_row)
        np.testing.assert_array_equal(amx, np.argmax(x32, axis=-1))  # first NaN wins
        np.testing.assert_array_equal(amn, np.argmin(x32, axis=-1))
        isn = np.isnan(x32)
        for r in (maxi, mini, clp):
            assert np.array_equal(np.isnan(r.astype(np.float64)), isn)
        assert not np.isnan(fmx.astype(np.float64)).any()
        want = np.stack([np.asarray(sorted(range(len(row)), key=lambda i, row=row: (
            key_of(row[i]) if desc else (math.isnan(row[i]), row[i]))), dtype=np.int64)
            for row in x32.reshape(-1, x.shape[-1]).tolist()]).reshape(x.shape)
        np.testing.assert_array_equal(order, want)
        np.testing.assert_array_equal(srt.astype(np.float64),
                                      np.take_along_axis(x32, want, axis=-1))

    check()


# --- sign: sign(+-0.0) is +0.0, sign(NaN) is NaN ---------------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_sign_of_zero_and_nan(backend, mode):
    h = backend

    @given(st.sampled_from(held(h, "f")).flatmap(lambda d: array(d, st.just((6,)))))
    def check(x):
        got = run(h, mode, xnp.sign, x).astype(np.float64)
        xf = x.astype(np.float64)
        assert np.array_equal(np.isnan(got), np.isnan(xf))
        zero = xf == 0
        assert np.all(got[zero] == 0) and not np.any(np.signbit(got[zero]))
        ok = ~zero & ~np.isnan(xf)
        np.testing.assert_array_equal(got[ok], np.sign(xf[ok]))

    check()


# --- take / take_along_axis: out-of-range indices raise IndexError eagerly ----------------------
def test_take_out_of_bounds_raises_index_error(backend):
    h = backend

    @given(st.integers(1, 5), st.integers(0, 4), st.booleans())
    def check(n, k, negative):
        x = np.arange(n, dtype=np.float32)
        bad = -(n + 1 + k) if negative else n + k
        idx = np.array([0, bad], dtype=np.int64 if h.holds(_dtypes.int64) else np.int32)
        with pytest.raises(IndexError):
            xnp.take(h.arr(x), h.arr(idx))
        with pytest.raises(IndexError):
            xnp.take_along_axis(h.arr(x), h.arr(idx), axis=0)
        # in range, negative indices count from the end
        ok = np.array([0, -n, n - 1], dtype=idx.dtype)
        np.testing.assert_array_equal(h.np(xnp.take(h.arr(x), h.arr(ok))), np.take(x, ok))

    check()


# --- float -> integer casts: NaN -> 0, out of range and +-inf saturate --------------------------
@pytest.mark.parametrize("mode", MODES)
def test_float_to_int_cast_saturates(dtype_backend, mode):
    h = dtype_backend

    @given(st.data())
    def check(data):
        src = data.draw(st.sampled_from(held(h, "f")))
        to = data.draw(st.sampled_from(held(h, "iu")))
        big = min(2.0 ** (to.bits + 2), _dtypes.finfo(src).max)
        x = data.draw(array(src, hnp.array_shapes(max_dims=2, max_side=5), lo=-big, hi=big))
        got = run(h, mode, lambda v: xnp.astype(v, to), x)
        assert xops.dtype(got.dtype) is to
        np.testing.assert_array_equal(got, saturating_cast(x, to))

    check()


# --- integer overflow wraps around (two's complement), as in NumPy ------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_integer_overflow_wraps(dtype_backend, mode):
    h = dtype_backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "iu")))
        shp = data.draw(pair_shapes)
        a = data.draw(int_arrays(d, shp.input_shapes[0]))
        b = data.draw(int_arrays(d, shp.input_shapes[1]))
        got = run(h, mode, lambda x, y: (xnp.add(x, y), xnp.subtract(x, y), xnp.multiply(x, y),
                                         xnp.negative(x), xnp.abs(x), xnp.square(y)), a, b)
        want = [np_quiet(f, a, b) for f in (np.add, np.subtract, np.multiply)]
        want += [np_quiet(np.negative, a), np_quiet(np.abs, a), np_quiet(np.square, b)]
        for g, w in zip(got, want):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)

    check()


# --- round: halves to even, NumPy's algorithm for decimals (bit-identical) ---------------------
@pytest.mark.parametrize("mode", MODES)
def test_round_half_to_even(backend, mode):
    h = backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from([t for t in held(h, "f") if t.bits >= 32]))
        dec = data.draw(st.integers(-2, 3))
        # exact halves at the rounding position, plus arbitrary values
        k = data.draw(hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(-40, 40)))
        halves = ((k + 0.5) * 10.0 ** (-dec)).astype(np_dtype(d))
        other = data.draw(array(d, st.just(halves.shape), lo=-1000, hi=1000))
        x = np.concatenate([halves, other])
        got = run(h, mode, lambda v: xnp.round(v, decimals=dec), x)
        want = np_quiet(np.round, x, dec)
        if (h.name == "jax" or mode == "jit") and dec > 0:
            # XLA turns the division by the constant 10**decimals into a multiplication by its
            # (inexact) reciprocal: 1 ulp from NumPy at most (docs/semantics.md)
            np.testing.assert_array_max_ulp(got, want, maxulp=1)
        else:
            np.testing.assert_array_equal(got, want)
        if dec == 0:
            np.testing.assert_array_equal(got[:len(k)] % 2, 0)  # halves went to even

    check()


@pytest.mark.parametrize("mode", MODES)
def test_round_integers_negative_decimals(backend, mode):
    h = backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "iu")))
        dec = data.draw(st.integers(-3, -1))
        x = data.draw(hnp.arrays(np_dtype(d), st.integers(0, 6),
                                 elements=st.integers(max(np.iinfo(d.name).min, -2000),
                                                      min(np.iinfo(d.name).max, 2000))))
        got = run(h, mode, lambda v: xnp.round(v, decimals=dec), x)
        np.testing.assert_array_equal(got, np_quiet(np.round, x, dec))

    check()


# --- mean/var of integers: the backend's default float dtype ------------------------------------
def test_mean_var_of_integers_give_the_default_float(dtype_backend):
    h = dtype_backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "biu")))
        x = data.draw(array(d, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1,
                                                max_side=5), lo=-50, hi=50))
        want_dt = h.be.default_float
        for f, ref in ((xnp.mean, np.mean), (xnp.var, np.var), (xnp.std, np.std)):
            got = f(h.arr(x))
            assert xops.dtype(got) is want_dt
            f32 = want_dt.bits == 32
            np.testing.assert_allclose(h.np(got), ref(x.astype(np.float64)),
                                       rtol=1e-5 if f32 else 1e-12, atol=1e-3 if f32 else 1e-9)

    check()


# --- sort/argsort are stable, ascending and descending; ties keep index order ------------------
@pytest.mark.parametrize("mode", MODES)
def test_sort_is_stable_on_ties(backend, mode):
    h = backend

    @given(st.data())
    def check(data):
        d = data.draw(st.sampled_from(held(h, "biuf")))
        pool = [0, 1, 2] if d.kind != "b" else [False, True]
        if d.kind == "f":
            pool = [0.0, -0.0, 1.0, math.nan, -math.inf]
        x = np.asarray(data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=12)),
                       dtype=np_dtype(d))
        desc = data.draw(st.booleans())
        got = run(h, mode, lambda v: xnp.argsort(v, descending=desc), x)
        xs = x.astype(np.float64).tolist()
        key = key_of if desc else (lambda e: (math.isnan(e), 0 if math.isnan(e) else e))
        np.testing.assert_array_equal(got, sorted(range(len(xs)), key=lambda i: key(xs[i])))

    check()


# --- erfinv: a few float32 ulp, float64 to ~1e-15 relative ---------------------------------------
@pytest.mark.parametrize("mode", MODES)
def test_erfinv_accuracy(dtype_backend, mode):
    import scipy.special
    h = dtype_backend
    grid = np.concatenate([np.linspace(-1, 1, 4001), [1 - 2 ** -24, -1 + 2 ** -24, 1e-30,
                                                      -1e-7, 0.999999, 1.5, -2.0]])
    for d in held(h, "f"):
        if d.bits < 32:
            continue
        x = grid.astype(np_dtype(d))
        got = run(h, mode, xnp.erfinv, x).astype(np.float64)
        want = scipy.special.erfinv(x.astype(np.float64))
        fin = np.isfinite(want)
        np.testing.assert_array_equal(got[~fin], want[~fin])  # +-inf at +-1, NaN outside
        if d is _dtypes.float32:
            ulps = np.abs(got[fin] - want[fin]) / np.spacing(np.abs(want[fin]).astype(np.float32))
            assert ulps.max() <= 8, (h.name, mode, float(ulps.max()))
        else:
            np.testing.assert_allclose(got[fin], want[fin], rtol=1e-13, atol=1e-300)


def test_erf_erfc_at_infinities(dtype_backend):
    """erf(+-inf) = +-1 and erfc(+-inf) = 0, 2 in every float dtype (tf's float64 Erf kernel
    returns NaN there; the tf table fixes it)."""
    h = dtype_backend
    for name in ("float16", "float32", "float64"):
        d = getattr(_dtypes, name)
        if not h.holds(d):
            continue
        x = h.arr(np.array([-np.inf, np.inf, 0.0], name))
        assert h.np(xnp.erf(x)).tolist() == [-1.0, 1.0, 0.0], name
        assert h.np(xnp.erfc(x)).tolist() == [2.0, 0.0, 1.0], name

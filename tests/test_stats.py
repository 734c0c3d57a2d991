"""Statistics beyond the agreement tests: the partition property, transforms (jax.jit,
tf.function), gradients (torch autograd, jax.grad), the data-dependent bincount length, and
clear errors. Values are checked against NumPy."""
from __future__ import annotations

import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xops import _dtypes
from xops import numpy as xnp

from .conftest import handle
from .specs import array, held


# --- partition: only the partition property is specified ---------------------------------------
def _check_partition(p: np.ndarray, x: np.ndarray, kth: list[int], axis: int) -> None:
    """``p`` is a permutation of ``x`` along ``axis`` with every kth element in its sorted place,
    no larger element before it and no smaller one after it (NaN counts as largest)."""
    # float64 copies: NumPy's bfloat16 (ml_dtypes) neither sorts NaN last nor compares it
    p, x = (a.astype(np.float64) if a.dtype.kind == "f" or a.dtype.name == "bfloat16" else a
            for a in (p, x))
    xs = np.sort(x, axis=axis)
    np.testing.assert_array_equal(np.sort(p, axis=axis), xs)
    n = x.shape[axis]
    pm = np.moveaxis(p, axis, -1).astype(np.float64)
    sm = np.moveaxis(xs, axis, -1).astype(np.float64)
    key = np.where(np.isnan(pm), np.inf, pm)
    for k in kth:
        k = k % n
        np.testing.assert_array_equal(pm[..., k], sm[..., k])
        pivot = key[..., k:k + 1]
        assert np.all(key[..., :k] <= pivot) and np.all(key[..., k + 1:] >= pivot)


def test_partition_property(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(held(backend, "biuf")))
        x = data.draw(array(d, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                            lo=-3, hi=3))
        axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
        n = x.shape[axis]
        kth = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=3))
        xt = backend.arr(x)
        p = xnp.partition(xt, kth, axis=axis)
        assert backend.is_native(p)
        _check_partition(np.asarray(backend.np(p)), x, kth, axis)
        i = xnp.argpartition(xt, kth[0], axis=axis)
        assert backend.is_native(i) and xnp.isdtype(xnp.result_type(i), "integral")
        picked = np.take_along_axis(x, np.asarray(backend.np(i)).astype(np.int64), axis=axis)
        _check_partition(picked, x, [kth[0]], axis)

    run()


def test_partition_flattens_with_axis_none_and_checks_kth(backend):
    x = backend.arr(np.array([[3.0, 1.0], [2.0, 0.0]], np.float32))
    p = backend.np(xnp.partition(x, 1, axis=None))
    assert p.shape == (4,)
    _check_partition(p, np.array([3.0, 1.0, 2.0, 0.0], np.float32), [1], 0)
    with pytest.raises(ValueError, match="xops.numpy.partition"):
        xnp.partition(x, 5)


# --- transforms -------------------------------------------------------------------------------
@pytest.mark.needs_backend("jax")
def test_quantile_median_nanquantile_under_jax_jit():
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 7)).astype(np.float32)
    x[1, 2] = np.nan
    xj = jnp.asarray(x)
    for method in ("linear", "lower", "higher", "nearest", "midpoint", "hazen"):
        f = jax.jit(lambda a, m=method: xnp.nanquantile(a, [0.25, 0.5], axis=1, method=m))
        np.testing.assert_allclose(np.asarray(f(xj)),
                                   np.nanquantile(x.astype(np.float64), [0.25, 0.5], axis=1,
                                                  method=method), rtol=1e-5, atol=1e-6)
    g = jax.jit(lambda a: xnp.quantile(a, 0.3, axis=0, keepdims=True))
    np.testing.assert_allclose(np.asarray(g(xj)), np.quantile(x, 0.3, axis=0, keepdims=True),
                               rtol=1e-5, equal_nan=True)
    m = jax.jit(lambda a: xnp.median(a, axis=1))
    np.testing.assert_allclose(np.asarray(m(xj)), np.median(x, axis=1), rtol=1e-6,
                               equal_nan=True)
    # q as a traced array
    q = jnp.asarray([0.1, 0.9], jnp.float32)
    h = jax.jit(lambda a, q: xnp.nanpercentile(a, q * 100, axis=1))
    np.testing.assert_allclose(np.asarray(h(xj, q)),
                               np.nanpercentile(x, [10.0, 90.0], axis=1), rtol=1e-4)


@pytest.mark.needs_backend("jax")
def test_histogram_and_bincount_under_jax_jit():
    import jax
    import jax.numpy as jnp

    x = np.array([0.5, 1.5, 1.5, 3.0, 9.0, -1.0], np.float32)
    f = jax.jit(lambda a: xnp.histogram(a, bins=4, range=(0.0, 4.0)))
    n, e = f(jnp.asarray(x))
    wn, we = np.histogram(x, bins=4, range=(0.0, 4.0))
    np.testing.assert_array_equal(np.asarray(n), wn)
    np.testing.assert_allclose(np.asarray(e), we)
    ints = jnp.asarray(np.array([0, 3, 3, 1, 7], np.int32))
    b = jax.jit(lambda v: xnp.bincount(v, length=5))(ints)
    np.testing.assert_array_equal(np.asarray(b), [1, 1, 0, 2, 0])  # 7 is dropped
    with pytest.raises(TypeError, match="xops.numpy.bincount.*length="):
        jax.jit(lambda v: xnp.bincount(v))(ints)


@pytest.mark.needs_backend("tensorflow")
def test_quantile_and_nanmean_under_tf_function():
    import tensorflow as tf

    x = np.array([[1.0, np.nan, 3.0, 4.0], [2.0, 2.0, np.nan, np.nan]], np.float32)

    @tf.function
    def f(a):
        return xnp.nanquantile(a, 0.5, axis=1), xnp.nanmean(a, axis=1), xnp.isin(a, [2.0, 4.0])

    q, m, i = f(tf.constant(x))
    np.testing.assert_allclose(q.numpy(), np.nanquantile(x, 0.5, axis=1), rtol=1e-6)
    np.testing.assert_allclose(m.numpy(), np.nanmean(x, axis=1), rtol=1e-6)
    np.testing.assert_array_equal(i.numpy(), np.isin(x, [2.0, 4.0]))


# --- gradients --------------------------------------------------------------------------------
@pytest.mark.needs_backend("torch")
def test_torch_autograd_through_average_and_nanmean():
    t = handle("torch")
    a = t.arr(np.array([[1.0, 2.0, 3.0], [4.0, np.nan, 6.0]])).requires_grad_()
    w = t.arr(np.array([1.0, 2.0, 3.0])).requires_grad_()
    xnp.nansum(xnp.average(xops_nan_free(a), axis=1, weights=w)).backward()
    # d/da_ij of sum_i (sum_j a_ij w_j / sum w) = w_j / sum w; the NaN entry was replaced
    np.testing.assert_allclose(t.np(a.grad), [[1 / 6, 2 / 6, 3 / 6], [1 / 6, 0, 3 / 6]])
    a.grad = None
    xnp.sum(xnp.nanmean(a, axis=1)).backward()
    np.testing.assert_allclose(t.np(a.grad), [[1 / 3, 1 / 3, 1 / 3], [0.5, 0.0, 0.5]])
    a.grad = None
    xnp.nanmedian(a, axis=1)[1].backward()  # median of [4, 6]: the mean of both
    np.testing.assert_allclose(t.np(a.grad), [[0, 0, 0], [0.5, 0, 0.5]])


def xops_nan_free(a):
    return xnp.where(xnp.isnan(a), 0.0, a)


@pytest.mark.needs_backend("jax")
def test_jax_grad_through_quantile():
    import jax
    import jax.numpy as jnp

    x = jnp.asarray([3.0, 1.0, 2.0, 4.0], jnp.float32)
    g = jax.grad(lambda v: xnp.quantile(v, 0.5))(x)  # mean of the 2nd and 3rd smallest
    np.testing.assert_allclose(np.asarray(g), [0.5, 0.0, 0.5, 0.0])


# --- eager semantics and errors ---------------------------------------------------------------
def test_bincount_eager_length_and_errors(backend):
    x = backend.arr(np.array([2, 0, 2, 5], np.int32))
    np.testing.assert_array_equal(backend.np(xnp.bincount(x)), np.bincount([2, 0, 2, 5]))
    np.testing.assert_array_equal(backend.np(xnp.bincount(x, minlength=8)),
                                  np.bincount([2, 0, 2, 5], minlength=8))
    with pytest.raises(ValueError, match="xops.numpy.bincount"):
        xnp.bincount(backend.arr(np.array([1, -1], np.int32)))
    with pytest.raises(ValueError, match="xops.numpy.bincount"):
        xnp.bincount(backend.arr(np.zeros((2, 2), np.int32)))
    with pytest.raises(TypeError, match="xops.numpy.bincount"):
        xnp.bincount(backend.arr(np.zeros(2, np.float32)))


def test_quantile_errors_name_the_op(backend):
    x = backend.arr(np.arange(4, dtype=np.float32))
    with pytest.raises(ValueError, match="xops.numpy.quantile.*method"):
        xnp.quantile(x, 0.5, method="bogus")
    with pytest.raises(ValueError, match=r"xops.numpy.percentile.*\[0, 100\]"):
        xnp.percentile(x, 150)
    with pytest.raises(ValueError, match=r"xops.numpy.quantile.*\[0, 1\]"):
        xnp.quantile(x, [0.5, -0.1])
    with pytest.raises(TypeError, match="xops.numpy.quantile.*bool"):
        xnp.quantile(backend.arr(np.array([True, False])), 0.5)
    with pytest.raises(ValueError, match="xops.numpy.quantile.*empty"):
        xnp.quantile(backend.arr(np.zeros(0, np.float32)), 0.5)
    with pytest.raises(TypeError, match="out="):
        xnp.median(x, out=x)


def test_mixing_backends_is_an_error_naming_the_op(backend):
    from .conftest import other_framework
    other = other_framework(backend.name)
    if other is None or backend.name == "numpy":  # NumPy data joins the other framework
        pytest.skip("needs two frameworks")
    x = backend.arr(np.arange(3, dtype=np.float32))
    with pytest.raises(TypeError, match="xops.numpy.isin.*mix"):
        xnp.isin(x, other.arr(np.arange(2, dtype=np.float32)))
    with pytest.raises(TypeError, match="xops.numpy.average.*mix"):
        xnp.average(x, weights=other.arr(np.ones(3, np.float32)))


def test_allclose_array_equal_return_native_bools(backend):
    a = backend.arr(np.array([1.0, np.nan], np.float32))
    for r in (xnp.allclose(a, a, equal_nan=True), xnp.array_equal(a, a, equal_nan=True),
              xnp.array_equiv(a, a[0:1])):
        assert backend.is_native(r) and xnp.result_type(r) is _dtypes.bool_
    assert bool(xnp.allclose(a, a, equal_nan=True))
    assert not bool(xnp.allclose(a, a))
    assert not bool(xnp.array_equal(a, backend.arr(np.zeros(3, np.float32))))
    assert not bool(xnp.array_equiv(a, backend.arr(np.zeros(3, np.float32))))


def test_nanargmax_all_nan_slice_gives_minus_one(backend):
    x = backend.arr(np.array([[np.nan, np.nan], [1.0, np.nan]], np.float32))
    np.testing.assert_array_equal(backend.np(xnp.nanargmax(x, axis=1)), [-1, 0])
    np.testing.assert_array_equal(backend.np(xnp.nanargmin(x, axis=1)), [-1, 0])


def test_all_nan_slices_give_nan_without_error(backend):
    x = backend.arr(np.array([[np.nan, np.nan], [1.0, 3.0]], np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NumPy warns here; the numpy backend may pass that on
        for f in (xnp.nanmean, xnp.nanmedian, xnp.nanmax, xnp.nanmin, xnp.nanvar):
            r = backend.np(f(x, axis=1))
            assert np.isnan(r[0]) and not np.isnan(r[1]), f.__name__
        r = backend.np(xnp.nanquantile(x, 0.5, axis=1))
        np.testing.assert_allclose(r, [np.nan, 2.0])

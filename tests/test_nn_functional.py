"""xops.nn.functional: agreement with float64 NumPy references on every backend (hypothesis),
special values, gradients across jax/torch/tensorflow, and one jit smoke test per framework.

The references below are written with NumPy and ``math`` only, in float64, and are evaluated on
the float64 copy of the (already rounded) input, so a failure measures the op, not the input.
"""
from __future__ import annotations

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F

from .conftest import handle, needs_backend
from .tolerances import tol

SPECIAL = [math.nan, math.inf, -math.inf, 0.0, -0.0]


def _dtypes(h, low=True):
    names = ["float32", "float64"] + (["float16"] if low else [])
    return [n for n in names if h.holds(getattr(xnp, n))]


def _floats(d, lo=-1e3, hi=1e3, special=True):
    width = {"float16": 16, "float32": 32, "float64": 64}[d]
    base = st.one_of(st.floats(-10, 10, width=width), st.floats(lo, hi, width=width))
    return st.one_of(base, st.sampled_from(SPECIAL)) if special else base


def _arrays(d, shape, **kw):
    return hnp.arrays(np.dtype(d), shape, elements=_floats(d, **kw))


_FEW = [(), (3,), (2, 3), (1, 4), (2, 1, 4)]


def _shapes(h, min_dims=0, max_dims=3):
    """Array shapes; for jax a few fixed ones, because jax eager compiles every primitive once
    per shape and dtype (that compilation was two thirds of this file's runtime)."""
    if h.name == "jax":
        return st.sampled_from([s for s in _FEW if min_dims <= len(s) <= max_dims])
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=4)


def _check(h, got, want, d, scale=1.0, atol_scale=1.0):
    assert h.is_native(got), type(got)
    assert xops.dtype(got) is getattr(xnp, d), (xops.dtype(got), d)
    g = h.np(got).astype(np.float64)
    want = np.asarray(want, np.float64)
    assert g.shape == want.shape, (g.shape, want.shape)
    # (rtol, atol) per input dtype (tests/tolerances.py, "nn")
    rtol, atol = tol(d, "nn").values()
    np.testing.assert_allclose(g, want, rtol=rtol * scale, atol=atol * atol_scale * scale,
                               equal_nan=True)


# --- float64 references ---------------------------------------------------------------------

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def _softplus(x):
    return np.logaddexp(x, 0.0)


def _elu(x, a=1.0):
    return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0)))


_SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)

# name -> (xops call, reference, atol multiplier). gelu: the float32 erf is 3e-7 absolute,
# times |x|/2, and 1 + erf cancels for negative x (the same formula as torch).
ACTIVATIONS = {
    "relu": (F.relu, lambda x: np.maximum(x, 0), 1),
    "relu6": (F.relu6, lambda x: np.minimum(np.maximum(x, 0), 6), 1),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.1), lambda x: np.where(x >= 0, x, 0.1 * x), 1),
    "elu": (lambda x: F.elu(x, 0.5), lambda x: _elu(x, 0.5), 1),
    "selu": (F.selu, lambda x: _SELU[1] * _elu(x, _SELU[0]), 1),
    "gelu": (F.gelu, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))), 300),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi)
                                                   * (x + 0.044715 * x ** 3))), 300),
    "silu": (F.silu, lambda x: x * _sigmoid(x), 1),
    "softplus": (F.softplus, _softplus, 1),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x)), 1),
    "sigmoid": (F.sigmoid, _sigmoid, 1),
    "hard_sigmoid": (F.hard_sigmoid, lambda x: np.clip(x + 3, 0, 6) / 6, 1),
    "log_sigmoid": (F.log_sigmoid, lambda x: -_softplus(-x), 1),
    "tanh": (F.tanh, np.tanh, 1),
}


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isinf(m), 0, m)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else (np.squeeze(out, axis=axis) if axis is not None
                                 else out.reshape(()))


def _log_softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(m == -np.inf, 0, m)
    s = x - m
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - np.where(m == -np.inf, 0, m))
    return e / np.sum(e, axis=axis, keepdims=True)


def _reduce(loss, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](loss)


def _ref(fn, *args, **kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*[np.asarray(a, np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
                    else a for a in args], **kw)


def _call(fn, *args, **kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # numpy backend: inf/nan arithmetic warns, as numpy does
        return fn(*args, **kw)


# --- agreement ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_agrees(backend, name):
    fn, ref, atol_scale = ACTIVATIONS[name]

    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        x = data.draw(_arrays(d, _shapes(backend)))
        got = _call(fn, backend.arr(x))
        _check(backend, got, _ref(ref, x), d, atol_scale=atol_scale)

    run()


def _axis(data, ndim):
    return data.draw(st.one_of(st.integers(-ndim, ndim - 1),
                               st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                        unique=True).map(tuple)))


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_agrees(backend, name):
    """Large magnitudes (to 1e4, overflow without the max shift), -inf entries and whole rows of
    -inf, NaN; +inf only for logsumexp (where scipy's answer is +inf)."""

    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        shape = data.draw(_shapes(backend, 1))
        el = st.one_of(st.floats(-1e4, 1e4, width=16 if d == "float16" else 32),
                       st.sampled_from([-math.inf, math.nan] + ([math.inf] if name ==
                                                                "logsumexp" else [])))
        x = data.draw(hnp.arrays(np.dtype(d), shape, elements=el))
        axis = _axis(data, len(shape))
        if name == "logsumexp":
            keep = data.draw(st.booleans())
            axis = data.draw(st.one_of(st.none(), st.just(axis)))
            got = _call(F.logsumexp, backend.arr(x), axis=axis, keepdims=keep)
            want = _ref(_logsumexp, x, axis=axis, keepdims=keep)
        else:
            fn, ref = {"softmax": (F.softmax, _softmax),
                       "log_softmax": (F.log_softmax, _log_softmax)}[name]
            got = _call(fn, backend.arr(x), axis=axis)
            want = _ref(ref, x, axis=axis)
        # a float32 sum of up to 64 terms, and log/exp of values to 1e4: relative to |x|
        _check(backend, got, want, d, scale=4.0)

    run()


def test_one_hot(backend):
    @given(data=st.data(), n=st.integers(1, 5), axis=st.sampled_from([-1, 0]))
    def run(data, n, axis):
        idx = data.draw(hnp.arrays(np.int32, _shapes(backend), elements=st.integers(-2, 6)))
        got = F.one_hot(backend.arr(idx), n, axis=axis)
        want = (idx[..., None] == np.arange(n)).astype(np.float64)
        if axis == 0:
            want = np.moveaxis(want, -1, 0)
        assert xops.dtype(got) is xops.get_backend(backend.name).default_float
        np.testing.assert_array_equal(backend.np(got), want)
        got = F.one_hot(backend.arr(idx), n, dtype=xnp.int32)
        assert xops.dtype(got) is xnp.int32

    run()


# losses: name -> (strategy kind, xops call, reference per-example loss)
def _ce_ref(logits, labels):
    lsm = _log_softmax(logits)
    return -np.sum(np.where(labels == 0, 0, labels * lsm), axis=-1)


def _bce_ref(p, t):
    return -(t * np.maximum(np.log(p), -100) + (1 - t) * np.maximum(np.log1p(-p), -100))


def _huber_ref(p, t, delta=0.7):
    a = np.abs(p - t)
    return np.where(a <= delta, 0.5 * a * a, delta * (a - 0.5 * delta))


def _kl_ref(lq, t):
    return np.sum(np.where(t > 0, t * (np.log(np.where(t > 0, t, 1)) - lq), 0), axis=-1)


@st.composite
def _probs(draw, d, shape):
    w = draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    w[..., 0] += 0.5  # no all-zero rows
    return (w / w.sum(-1, keepdims=True)).astype(d)


@pytest.mark.parametrize("name", ["softmax_cross_entropy", "sparse_softmax_cross_entropy",
                                  "binary_cross_entropy", "binary_cross_entropy_with_logits",
                                  "mse", "huber", "kl_div"])
def test_loss_agrees(backend, name):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        red = data.draw(st.sampled_from(["mean", "sum", "none"]))
        shape = data.draw(_shapes(backend, 1, 2))
        fin = st.floats(-30, 30, width=16 if d == "float16" else 32)
        logits = data.draw(hnp.arrays(np.dtype(d), shape, elements=fin))
        if name == "softmax_cross_entropy":
            labels = data.draw(_probs(d, shape))
            args, want = (logits, labels), _ce_ref(logits.astype(np.float64),
                                                   labels.astype(np.float64))
        elif name == "sparse_softmax_cross_entropy":
            labels = data.draw(hnp.arrays(np.int32, shape[:-1],
                                          elements=st.integers(0, shape[-1] - 1)))
            lf = logits.astype(np.float64)
            picked = np.take_along_axis(lf, labels[..., None], -1)[..., 0]
            args, want = (logits, labels), _logsumexp(lf, axis=-1) - picked
        elif name == "binary_cross_entropy":
            p = data.draw(hnp.arrays(np.dtype(d), shape, elements=st.one_of(
                st.floats(0, 1, width=16 if d == "float16" else 32), st.sampled_from([0.0, 1.0]))))
            t = data.draw(hnp.arrays(np.dtype(d), shape, elements=st.sampled_from([0.0, 0.3, 1.0])))
            args, want = (p, t), _ref(_bce_ref, p, t)
        elif name == "binary_cross_entropy_with_logits":
            x = data.draw(_arrays(d, shape, special=False))
            t = data.draw(hnp.arrays(np.dtype(d), shape, elements=st.sampled_from([0.0, 0.3, 1.0])))
            xf, tf_ = x.astype(np.float64), t.astype(np.float64)
            args, want = (x, t), _softplus(xf) - xf * tf_
        elif name == "mse":
            t = data.draw(hnp.arrays(np.dtype(d), shape, elements=fin))
            args, want = (logits, t), (logits.astype(np.float64) - t) ** 2
        elif name == "huber":
            t = data.draw(hnp.arrays(np.dtype(d), shape, elements=fin))
            args, want = (logits, t), _huber_ref(logits.astype(np.float64), t.astype(np.float64))
        else:
            lq = _log_softmax(logits.astype(np.float64)).astype(d)
            t = data.draw(_probs(d, shape))
            t[..., -1] = 0  # zero targets contribute 0
            args, want = (lq, t), _kl_ref(lq.astype(np.float64), t.astype(np.float64))
        fn = getattr(F, name)
        kw = {"delta": 0.7} if name == "huber" else {}
        got = _call(fn, *[backend.arr(a) for a in args], reduction=red, **kw)
        want = _reduce(want, red)
        # losses sum up to 64 terms of magnitude up to ~1e3 (mse) in the input precision
        _check(backend, got, want, d, scale=8.0, atol_scale=100.0)

    run()


def _moments(x, axes):
    m = x.mean(axis=axes, keepdims=True)
    return m, ((x - m) ** 2).mean(axis=axes, keepdims=True)


@pytest.mark.parametrize("name", ["normalize", "layer_norm", "rms_norm", "batch_norm",
                                  "batch_norm_train", "group_norm"])
def test_norm_agrees(backend, name):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend)))
        shape = data.draw(_shapes(backend, 2))
        c = shape[-1]
        fin = st.floats(-10, 10, width=16 if d == "float16" else 32)
        x = data.draw(hnp.arrays(np.dtype(d), shape, elements=fin))
        xf = x.astype(np.float64)
        sc = data.draw(hnp.arrays(np.dtype(d), (c,), elements=fin))
        bi = data.draw(hnp.arrays(np.dtype(d), (c,), elements=fin))
        scf, bif = sc.astype(np.float64), bi.astype(np.float64)
        A = backend.arr
        eps = 1e-2  # keeps (x - mean) / sqrt(var + eps) well conditioned for near-constant x
        if name == "normalize":
            ordv = data.draw(st.sampled_from([1, 2, 3.0, math.inf]))
            got = F.normalize(A(x), ord=ordv, axis=-1)
            n = np.linalg.norm(xf, ord=ordv, axis=-1, keepdims=True)
            want = xf / np.maximum(n, 1e-12)
        elif name == "layer_norm":
            axis = data.draw(st.sampled_from([-1, (-2, -1)]))
            got = F.layer_norm(A(x), A(sc), A(bi), axis=axis, eps=eps)
            m, v = _moments(xf, axis)
            want = (xf - m) / np.sqrt(v + eps) * scf + bif
        elif name == "rms_norm":
            got = F.rms_norm(A(x), A(sc), eps=eps)
            want = xf / np.sqrt((xf ** 2).mean(-1, keepdims=True) + eps) * scf
        elif name == "batch_norm":
            mean = data.draw(hnp.arrays(np.dtype(d), (c,), elements=fin))
            var = data.draw(hnp.arrays(np.dtype(d), (c,), elements=st.floats(
                0, 10, width=16 if d == "float16" else 32)))
            got = F.batch_norm(A(x), A(mean), A(var), A(sc), A(bi), eps=eps)
            want = ((xf - mean.astype(np.float64)) / np.sqrt(var.astype(np.float64) + eps)
                    * scf + bif)
        elif name == "batch_norm_train":
            rm = np.zeros(c, d)
            rv = np.ones(c, d)
            got, state = F.batch_norm_train(A(x), A(rm), A(rv), A(sc), A(bi), momentum=0.25,
                                            eps=eps)
            axes = tuple(range(len(shape) - 1))
            m, v = _moments(xf, axes)
            want = (xf - m) / np.sqrt(v + eps) * scf + bif
            n = int(np.prod(shape[:-1]))
            _check(backend, state.mean, 0.25 * m.reshape(-1), d, scale=10)
            _check(backend, state.var, 0.75 + 0.25 * v.reshape(-1) * n / max(n - 1, 1), d,
                   scale=10, atol_scale=10)
        else:
            divs = [g for g in range(1, c + 1) if c % g == 0]
            g = data.draw(st.sampled_from(divs))
            got = F.group_norm(A(x), g, A(sc), A(bi), eps=eps)
            xg = xf.reshape(shape[:-1] + (g, c // g))
            axes = tuple(range(1, len(shape) - 1)) + (len(shape),)
            m, v = _moments(xg, axes)
            want = ((xg - m) / np.sqrt(v + eps)).reshape(shape) * scf + bif
        # outputs reach |y| ~ 10 * 10 / sqrt(eps): relative and absolute scaled
        _check(backend, got, want, d, scale=10, atol_scale=100)

    run()


def _attention_ref(q, k, v, mask, causal, scale):
    b, t, n, h = q.shape
    s, kh = k.shape[1], k.shape[2]
    k = np.repeat(k, n // kh, axis=2)
    v = np.repeat(v, n // kh, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    keep = np.ones((t, s), bool) if mask is None else mask
    if causal:
        keep = keep & np.tril(np.ones((t, s), bool))
    logits = np.where(keep, logits, -0.7 * np.finfo(np.float32).max)
    w = _softmax(logits)
    return np.einsum("bnts,bsnh->btnh", w, v)


def test_attention_agrees(backend):
    @given(data=st.data())
    def run(data):
        d = data.draw(st.sampled_from(_dtypes(backend, low=False)))
        # few distinct shapes: jax compiles each op once per shape
        b, t, s, kh, rep, h = (data.draw(st.sampled_from([1, 3])) for _ in range(6))
        el = st.floats(-3, 3, width=32)
        q = data.draw(hnp.arrays(np.dtype(d), (b, t, kh * rep, h), elements=el))
        k = data.draw(hnp.arrays(np.dtype(d), (b, s, kh, h), elements=el))
        v = data.draw(hnp.arrays(np.dtype(d), (b, s, kh, h + 1), elements=el))
        mask = data.draw(st.one_of(st.none(), hnp.arrays(np.bool_, (t, s))))
        causal = data.draw(st.booleans())
        scale = data.draw(st.sampled_from([None, 0.5]))
        got = F.scaled_dot_product_attention(
            backend.arr(q), backend.arr(k), backend.arr(v),
            mask=None if mask is None else backend.arr(mask), is_causal=causal, scale=scale)
        want = _attention_ref(*(a.astype(np.float64) for a in (q, k, v)), mask, causal,
                              1 / math.sqrt(h) if scale is None else scale)
        _check(backend, got, want, d, scale=10)

    run()


def test_attention_fully_masked_row_is_uniform(backend):
    q = backend.arr(np.ones((1, 2, 1, 2), np.float32))
    v = np.arange(6, dtype=np.float32).reshape(1, 3, 1, 2)
    mask = np.array([[False, False, False], [True, False, False]])
    k = backend.arr(np.ones((1, 3, 1, 2), np.float32))
    out = backend.np(F.scaled_dot_product_attention(q, k, backend.arr(v), mask=backend.arr(mask)))
    np.testing.assert_allclose(out[0, 0, 0], v[0, :, 0].mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[0, 1, 0], v[0, 0, 0], rtol=1e-6)


def test_dropout(backend):
    x = backend.arr(np.arange(1, 201, dtype=np.float32))
    key = backend.key(3)
    got = backend.np(F.dropout(x, 0.25, key))
    np.testing.assert_array_equal(got, backend.np(xr.dropout(key, 0.25, x)))
    kept = got != 0
    assert 100 < kept.sum() < 200
    np.testing.assert_allclose(got[kept], np.arange(1, 201)[kept] / 0.75, rtol=1e-6)
    assert F.dropout(x, 0.5, key, training=False) is x
    assert F.dropout(x, 0.0) is x
    with pytest.raises(ValueError, match="key"):
        F.dropout(x, 0.5)
    with pytest.raises(ValueError, match="rate"):
        F.dropout(x, 1.5, key)


# --- special values ---------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy warns on inf/nan arithmetic
def test_special_values(backend):
    A, N = backend.arr, backend.np
    for d in _dtypes(backend, low=False):
        big = A(np.array([100.0, -100.0, 1e4, -1e4], d))
        np.testing.assert_allclose(N(F.softplus(big)), [100, 0, 1e4, 0], atol=1e-30)
        np.testing.assert_allclose(N(F.log_sigmoid(big)), [0, -100, 0, -1e4], atol=1e-30)
        np.testing.assert_allclose(N(F.sigmoid(big)), [1, 3.720076e-44, 1, 0], rtol=1e-5,
                                   atol=1e-38)  # float32: 3.7e-44 is subnormal (XLA flushes)
        if d == "float64":  # relative accuracy kept in the tails
            np.testing.assert_allclose(N(F.softplus(big))[1], 3.720075976020836e-44, rtol=1e-12)
            np.testing.assert_allclose(N(F.sigmoid(big))[1], 3.720075976020836e-44, rtol=1e-12)
        np.testing.assert_allclose(N(F.logsumexp(A(np.array([1e4, 1e4, -np.inf], d)))),
                                   1e4 + math.log(2), rtol=1e-7)
        assert N(F.logsumexp(A(np.full((2, 3), -np.inf, d)), axis=1)).tolist() == [-np.inf] * 2
        assert N(F.logsumexp(A(np.array([np.inf, 1.0], d)))) == np.inf
        sm = N(F.softmax(A(np.array([[0.0, -np.inf, 0.0], [1e4, 1e4 - 1, -np.inf]], d))))
        np.testing.assert_allclose(sm, [[0.5, 0, 0.5], [1 / (1 + math.e ** -1),
                                                        1 / (1 + math.e), 0]], rtol=1e-6)
        lsm = N(F.log_softmax(A(np.array([0.0, -np.inf], d))))
        assert lsm.tolist() == [0.0, -np.inf]
        ce = F.softmax_cross_entropy(A(np.array([[0.0, -np.inf]], d)),
                                     A(np.array([[1.0, 0.0]], d)))
        assert float(N(ce)) == 0.0
        bce = N(F.binary_cross_entropy_with_logits(big, A(np.array([0, 1, 1, 0], d)),
                                                   reduction="none"))
        np.testing.assert_allclose(bce, [100, 100, 0, 0], atol=1e-30)
        assert N(F.binary_cross_entropy(A(np.array([0.0, 1.0], d)), A(np.array([1.0, 0.0], d)),
                                        reduction="none")).tolist() == [100.0, 100.0]
        g = N(F.gelu(A(np.array([-20.0, -np.inf, np.inf, 0.0], d))))
        assert g[0] == 0 and np.isnan(g[1]) and g[2] == np.inf and g[3] == 0
        assert N(F.erf(A(np.array([np.inf, -np.inf], d)))).tolist() == [1.0, -1.0]
        assert N(F.normalize(A(np.zeros((1, 3), d)))).tolist() == [[0.0, 0.0, 0.0]]


def test_errors(backend):
    x = backend.arr(np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match="reduction"):
        F.mse(x, x, reduction="avg")
    with pytest.raises(ValueError, match="num_groups"):
        F.group_norm(x, 3)
    with pytest.raises(ValueError, match="approximate"):
        F.gelu(x, approximate="fast")
    with pytest.raises(TypeError, match="integers"):
        F.one_hot(x, 3)


def test_public_module():
    import xops.nn
    assert xops.nn.functional is F
    for name in F.__all__:
        obj = getattr(F, name)
        assert obj.__doc__ and obj.__doc__.strip(), name
    assert F.swish is F.silu


# --- gradients across frameworks ------------------------------------------------------------

def _loss(x, w, labels, probs):
    """A scalar through most of the ops (float32 in, float32 out)."""
    h = F.layer_norm(x, w, None)
    h = F.gelu(h) + F.silu(h) + F.elu(h) + F.softplus(h) + F.log_sigmoid(h)
    loss = F.sparse_softmax_cross_entropy(h, labels)
    loss = loss + F.softmax_cross_entropy(x, probs) + F.binary_cross_entropy_with_logits(
        x, probs, reduction="sum")
    loss = loss + xnp.mean(F.logsumexp(x, axis=-1)) + F.huber(x, probs * 10.0)
    loss = loss + xnp.sum(F.normalize(x)) + xnp.sum(F.rms_norm(x))
    return loss + xnp.sum(F.gelu(x, approximate=True)) + xnp.sum(F.sigmoid(x))


def _grads(name, fn, *args):
    """d fn / d args[0] with the framework's own autodiff, as a NumPy array."""
    if name == "jax":
        import jax
        import jax.numpy as jnp
        return np.asarray(jax.grad(fn)(*[jnp.asarray(a) for a in args]))
    if name == "torch":
        h = handle("torch")
        t = [h.arr(a) for a in args]
        t[0].requires_grad_(True)
        fn(*t).backward()
        return h.np(t[0].grad)
    import tensorflow as tf
    t = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        tape.watch(t[0])
        y = fn(*t)
    return tape.gradient(y, t[0]).numpy()


def test_gradients_agree_across_frameworks():
    needs_backend("jax", "torch", "tensorflow")
    rng = np.random.default_rng(0)
    for mag in (1.0, 1e3):  # 1e3: every op in its saturated, overflow-prone range
        x = (rng.standard_normal((3, 5)) * mag).astype(np.float32)
        x[0, 0] = 0.0
        w = rng.standard_normal(5).astype(np.float32)
        labels = np.array([0, 4, 2])
        probs = rng.random((3, 5)).astype(np.float32)
        probs /= probs.sum(-1, keepdims=True)
        gs = {n: _grads(n, _loss, x, w, labels, probs) for n in ("jax", "torch", "tensorflow")}
        for n, g in gs.items():
            assert np.isfinite(g).all(), (n, mag)
            np.testing.assert_allclose(g, gs["jax"], rtol=2e-4, atol=2e-4, err_msg=n)


@pytest.mark.parametrize("name", ["jax", "torch", "tensorflow"])
def test_gradients_exact_points(name):
    """Derivatives at kinks and in the tails: sigmoid'(0) = 1/4, softplus'(0) = 1/2, relu'(0) = 0,
    finite everywhere; erf' matches 2/sqrt(pi) exp(-x^2)."""
    needs_backend(name)

    def f(x):
        return (xnp.sum(F.sigmoid(x)) + 2 * xnp.sum(F.softplus(x)) + 3 * xnp.sum(F.relu(x)))

    x = np.array([0.0, 100.0, -100.0, 1e4, -1e4, np.inf, -np.inf], np.float32)
    g = _grads(name, f, x)
    want = [0.25 + 1.0, 2.0 + 3, 0, 2 + 3, 0, 2 + 3, 0]
    np.testing.assert_allclose(g, want, atol=1e-6)
    xe = np.linspace(-5, 5, 41).astype(np.float32)
    ge = _grads(name, lambda v: xnp.sum(F.erf(v)), xe)
    np.testing.assert_allclose(ge, 2 / math.sqrt(math.pi) * np.exp(-xe.astype(np.float64) ** 2),
                               rtol=1e-3, atol=3e-6)
    # -inf logits with zero labels, zero targets, zero vectors, p in {0, 1}: finite gradients
    logits = np.array([[0.0, -np.inf, 2.0]], np.float32)
    lab = np.array([[0.5, 0.0, 0.5]], np.float32)
    for fn in (lambda v: F.softmax_cross_entropy(v, lab_n(v, lab)),
               lambda v: F.kl_div(F.log_softmax(v), lab_n(v, lab)),
               lambda v: xnp.sum(F.logsumexp(v, axis=-1))):
        gg = _grads(name, fn, logits)
        assert np.isfinite(gg).all(), gg
    assert np.isfinite(_grads(name, lambda v: xnp.sum(F.normalize(v)),
                              np.zeros((2, 3), np.float32))).all()
    p = np.array([0.0, 1.0, 0.5], np.float32)
    assert np.isfinite(_grads(name, lambda v: F.binary_cross_entropy(v, lab_n(v, p)), p)).all()


def lab_n(like, a):
    """``a`` as an array of ``like``'s backend (a constant inside a differentiated function)."""
    return handle(xops.backend(like)).arr(a)


# --- jit --------------------------------------------------------------------------------------

def _model(q, k, v, x, labels):
    a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    h = F.layer_norm(F.gelu(x), None, None) + F.group_norm(x, 2)
    h = F.softmax(h) + F.log_softmax(h) + F.relu6(h) + F.hard_sigmoid(h)
    return (xnp.sum(a) + F.sparse_softmax_cross_entropy(h, labels)
            + xnp.sum(F.logsumexp(h, axis=-1)) + F.mse(h, x))


def _model_inputs():
    rng = np.random.default_rng(1)
    q = rng.standard_normal((2, 3, 2, 4)).astype(np.float32)
    k = rng.standard_normal((2, 5, 1, 4)).astype(np.float32)
    v = rng.standard_normal((2, 5, 1, 4)).astype(np.float32)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    return q, k, v, x, np.array([0, 3, 1])


@pytest.mark.parametrize("name", ["jax", "torch", "tensorflow"])
def test_jit_smoke(name):
    needs_backend(name)
    args = _model_inputs()
    eager = float(_model(*args))
    if name == "jax":
        import jax
        import jax.numpy as jnp
        out = jax.jit(_model)(*[jnp.asarray(a) for a in args])
    elif name == "torch":
        import torch
        t = handle("torch")  # loads the kernel table (its import is a graph break)
        torch._dynamo.reset()
        out = torch.compile(_model, fullgraph=True, backend="eager")(*[t.arr(a) for a in args])
    else:
        import tensorflow as tf
        out = tf.function(_model, jit_compile=True)(*[tf.constant(a) for a in args])
    assert xops.backend(out) == name
    np.testing.assert_allclose(float(out), eager, rtol=1e-5)

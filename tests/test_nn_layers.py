"""xops.nn layers, initializers, pytrees and checkpoints.

Each layer is checked on every backend against a float64 NumPy reference computed from the
same parameters (so a failure measures the layer), and the parameters themselves are checked to
be equal across backends for the same key. Gradients are compared across jax/torch/tensorflow.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F
from xops.nn import initializers as I

from .conftest import INSTALLED, TORCH_DEVICE, handle, needs_backend
from .tolerances import tol

RTOL, ATOL = tol("float32", "model").values()  # the layers compute in float32
SEEDS = st.integers(0, 2 ** 32 - 1)
# the `backend` fixture is a stateless handle, safe to share between generated inputs
_CHECKS = list(settings.default.suppress_health_check) + [HealthCheck.function_scoped_fixture]
FIXTURE = settings(settings.default, suppress_health_check=_CHECKS)
# whole-model tests are slow on eager jax/tf (one dispatch per primitive): fewer seeds there
FEW = settings(settings.default, suppress_health_check=_CHECKS,
               max_examples=min(settings.default.max_examples, 5))


def _np_tree(h, tree):
    return nn.tree_map(lambda x: h.np(x), tree)


def _close(got, want, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                               rtol=rtol, atol=atol)


def _input(h, seed, shape, kind="f"):
    rng = np.random.default_rng(seed)
    if kind == "i":
        return h.arr(rng.integers(0, 10, size=shape).astype(np.int32))
    return h.arr(rng.standard_normal(shape).astype(np.float32))


# --- float64 NumPy references ------------------------------------------------------------------

def _ln(x, scale, bias, eps=1e-5):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * scale + bias


def _gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def _dense(p, x):
    return x @ p["w"] + p["b"]


def _mha(p, x, heads, causal=False, context=None):
    kv = x if context is None else context
    q, k, v = _dense(p["query"], x), _dense(p["key"], kv), _dense(p["value"], kv)
    b, t, inner = q.shape
    s = k.shape[1]
    hd = inner // heads
    q = q.reshape(b, t, heads, hd)
    k = k.reshape(b, s, heads, hd)
    v = v.reshape(b, s, heads, hd)
    logits = np.einsum("btnh,bsnh->bnts", q, k) / math.sqrt(hd)
    if causal:
        logits = np.where(np.tril(np.ones((t, s), bool)), logits, -np.inf)
    w = np.exp(logits - logits.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    o = np.einsum("bnts,bsnh->btnh", w, v).reshape(b, t, inner)
    return _dense(p["out"], o)


def _mlp(p, x, act):
    n = len(p)
    for i in range(n):
        x = _dense(p[str(i)], x)
        if i < n - 1:
            x = act(x)
    return x


def _block(p, x, heads, causal):
    x = x + _mha(p["attn"], _ln(x, **p["ln1"]), heads, causal)
    return x + _mlp(p["mlp"], _ln(x, **p["ln2"]), _gelu)


def _conv_ref(x, w, b, pads, strides=None):
    # direct cross-correlation, channels-last, any number of spatial dims, groups=1
    nd = x.ndim - 2
    strides = strides or (1,) * nd
    x = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    ks = w.shape[:nd]
    out = [(x.shape[1 + i] - ks[i]) // strides[i] + 1 for i in range(nd)]
    y = np.zeros((x.shape[0], *out, w.shape[-1]))
    for idx in np.ndindex(*out):
        sl = tuple(slice(o * s, o * s + k) for o, s, k in zip(idx, strides, ks))
        patch = x[(slice(None),) + sl]
        y[(slice(None),) + idx] = np.tensordot(patch, w, axes=(list(range(1, nd + 2)),
                                                               list(range(nd + 1))))
    return y + b


# name -> (layer, input shape, input kind, reference(params, x) or None)
LAYERS = {
    "dense": (nn.Dense(5), (3, 4), "f", _dense),
    "dense_nobias": (nn.Dense(3, use_bias=False), (2, 2, 4), "f", lambda p, x: x @ p["w"]),
    "embedding": (nn.Embedding(10, 4), (2, 3), "i", lambda p, x: p["embedding"][x]),
    "layer_norm": (nn.LayerNorm(), (3, 6), "f", lambda p, x: _ln(x, p["scale"], p["bias"])),
    "rms_norm": (nn.RMSNorm(), (3, 6), "f",
                 lambda p, x: x / np.sqrt((x ** 2).mean(-1, keepdims=True) + 1e-6) * p["scale"]),
    "group_norm": (nn.GroupNorm(2), (2, 3, 4), "f", None),
    "dropout_eval": (nn.Dropout(0.5), (3, 4), "f", lambda p, x: x),
    "mha": (nn.MultiHeadAttention(2), (2, 3, 8), "f", lambda p, x: _mha(p, x, 2)),
    "mha_causal": (nn.MultiHeadAttention(4, head_dim=3, out_features=5, causal=True),
                   (2, 4, 6), "f", lambda p, x: _mha(p, x, 4, causal=True)),
    "mlp": (nn.MLP((7, 3)), (2, 5), "f", lambda p, x: _mlp(p, x, lambda z: np.maximum(z, 0))),
    "transformer": (nn.TransformerBlock(2, 12), (2, 3, 8), "f",
                    lambda p, x: _block(p, x, 2, False)),
    "transformer_causal": (nn.TransformerBlock(2, 12, causal=True), (1, 4, 4), "f",
                           lambda p, x: _block(p, x, 2, True)),
    "sequential": (nn.Sequential(nn.Dense(6), F.relu, nn.Dense(2)), (3, 4), "f",
                   lambda p, x: _dense(p["2"], np.maximum(_dense(p["0"], x), 0))),
    "conv1d": (nn.Conv1D(3, 3), (2, 6, 2), "f",
               lambda p, x: _conv_ref(x, p["w"], p["b"], [(1, 1)])),
    "conv2d_valid_strided": (nn.Conv2D(4, (2, 3), strides=2, padding="VALID"), (2, 5, 6, 3),
                             "f", lambda p, x: _conv_ref(x, p["w"], p["b"], [(0, 0)] * 2,
                                                         (2, 2))),
    "conv3d": (nn.Conv3D(2, 2, padding="VALID"), (1, 3, 3, 3, 2), "f",
               lambda p, x: _conv_ref(x, p["w"], p["b"], [(0, 0)] * 3)),
    "conv2d_groups": (nn.Conv2D(4, 3, groups=2), (1, 4, 4, 2), "f", None),
    "conv_transpose2d": (nn.ConvTranspose2D(3, 3, strides=2), (1, 3, 3, 2), "f", None),
}


def _has_conv():
    return hasattr(F, "conv") and hasattr(F, "conv_transpose")


@pytest.mark.parametrize("name", sorted(LAYERS))
@FEW
@given(seed=SEEDS)
def test_layer_forward_matches_reference_and_numpy(backend, name, seed):
    h = backend
    layer, shape, kind, ref = LAYERS[name]
    if name.startswith("conv") and not _has_conv():
        pytest.skip("xops.nn.functional.conv is not available")
    key = h.key(seed)
    params = layer.init(key, shape)
    # params: native arrays of the key's backend, float32, equal to numpy's from the same key
    for leaf in nn.tree_leaves(params):
        assert h.is_native(leaf) and xops.dtype(leaf) is xnp.float32
    p_np = layer.init(xr.key(seed), shape)
    assert nn.tree_structure(_np_tree(h, params)) == nn.tree_structure(p_np)
    for a, b in zip(nn.tree_leaves(_np_tree(h, params)), nn.tree_leaves(p_np)):
        _close(a, b, 1e-6, 1e-6)
    x = _input(h, seed, shape, kind)
    y = layer.apply(params, x)
    assert h.is_native(y) and xops.dtype(y) is xnp.float32
    y_np = layer.apply(p_np, h.np(x))
    _close(h.np(y), y_np)
    if ref is not None:
        p64 = nn.tree_map(lambda a: np.asarray(a, np.float64), p_np)
        xin = h.np(x) if kind == "i" else h.np(x).astype(np.float64)
        _close(h.np(y), ref(p64, xin), 1e-4, 1e-4)


def test_init_accepts_example_and_checks_backend(backend):
    h = backend
    layer = nn.Dense(3)
    key = h.key(1)
    x = _input(h, 0, (2, 4))
    a = layer.init(key, x)
    b = layer.init(key, (2, 4))
    for u, v in zip(nn.tree_leaves(_np_tree(h, a)), nn.tree_leaves(_np_tree(h, b))):
        np.testing.assert_array_equal(u, v)
    other = "numpy" if h.name != "numpy" else INSTALLED[-1]
    if other != h.name:
        with pytest.raises(TypeError, match="Dense.init.*backend"):
            layer.init(handle(other).key(1), x)
    with pytest.raises(TypeError, match="key"):
        layer.init(_input(h, 0, (2,)), (2, 4))


def test_layers_are_frozen_and_hashable():
    layer = nn.Dense(3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        layer.features = 4
    seq = nn.Sequential(nn.Dense(2), F.relu)
    with pytest.raises(dataclasses.FrozenInstanceError):
        seq.layers = ()
    assert hash(seq) == hash(nn.Sequential(nn.Dense(2), F.relu))
    assert seq == nn.Sequential([nn.Dense(2), F.relu]) and seq != nn.Sequential(nn.Dense(2))
    with pytest.raises(TypeError, match="Sequential"):
        nn.Sequential(3)


# --- dropout, batch norm ---------------------------------------------------------------------

@FIXTURE
@given(seed=SEEDS)
def test_dropout_training_uses_key(backend, seed):
    h = backend
    layer = nn.Sequential(nn.Dense(16), nn.Dropout(0.5))
    params = layer.init(h.key(seed), (4, 8))
    x = _input(h, seed, (4, 8))
    k1, k2 = xr.split(h.key(seed + 1))
    ev = h.np(layer.apply(params, x))
    a = h.np(layer.apply(params, x, key=k1, training=True))
    a2 = h.np(layer.apply(params, x, key=k1, training=True))
    b = h.np(layer.apply(params, x, key=k2, training=True))
    np.testing.assert_array_equal(a, a2)
    assert not np.array_equal(a, b)
    kept = a != 0
    _close(a[kept], 2 * ev[kept], 1e-5, 1e-5)
    # the same mask as the numpy backend for the same key
    a_np = layer.apply(_np_tree(h, params), h.np(x), key=xr.split(xr.key(seed + 1))[0],
                       training=True)
    _close(a, a_np)
    with pytest.raises(ValueError, match="key"):
        layer.apply(params, x, training=True)


@FIXTURE
@given(seed=SEEDS)
def test_batchnorm_state_update(backend, seed):
    h = backend
    layer = nn.BatchNorm(momentum=0.2)
    key = h.key(seed)
    with pytest.raises(TypeError, match="init_with_state"):
        layer.init(key, (5, 3))
    params, state = layer.init_with_state(key, (5, 3))
    with pytest.raises(TypeError, match="apply_with_state"):
        layer.apply(params, _input(h, seed, (5, 3)))
    params = {"scale": h.arr(np.array([1.0, 2.0, 0.5], np.float32)),
              "bias": h.arr(np.array([0.0, 1.0, -1.0], np.float32))}
    x = _input(h, seed, (5, 3))
    y, new = layer.apply_with_state(params, state, x, training=True)
    xn = h.np(x).astype(np.float64)
    m, v = xn.mean(0), xn.var(0)
    want = (xn - m) / np.sqrt(v + 1e-5) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    _close(h.np(y), want, 1e-4, 1e-4)
    _close(h.np(new["mean"]), 0.2 * m)
    _close(h.np(new["var"]), 0.8 + 0.2 * xn.var(0, ddof=1))
    # eval uses the running statistics and leaves the state alone
    y2, same = layer.apply_with_state(params, new, x, training=False)
    assert same is new
    want2 = ((xn - 0.2 * m) / np.sqrt(0.8 + 0.2 * xn.var(0, ddof=1) + 1e-5)
             * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0])
    _close(h.np(y2), want2, 1e-4, 1e-4)


def test_sequential_threads_state(backend):
    h = backend
    model = nn.Sequential(nn.Dense(4), nn.BatchNorm(), F.relu, nn.Dense(2), nn.BatchNorm())
    assert model.has_state
    params, state = model.init_with_state(h.key(0), (6, 3))
    assert set(state) == {"0", "1", "2", "3", "4"} and state["0"] == {}
    x = _input(h, 3, (6, 3))
    y, new = model.apply_with_state(params, state, x, training=True)
    hid = model.layers[0].apply(params["0"], x)
    _, s1 = model.layers[1].apply_with_state(params["1"], state["1"], hid, training=True)
    _close(h.np(new["1"]["mean"]), h.np(s1["mean"]))
    assert not np.allclose(h.np(new["4"]["var"]), 1.0)
    y_eval, same = model.apply_with_state(params, new, x)
    assert h.np(y_eval).shape == (6, 2)


# --- gradients ---------------------------------------------------------------------------------

GRAD_LAYERS = ["dense", "layer_norm", "mha_causal", "transformer", "mlp", "sequential",
               "conv1d"]


def _grads(name, hname, seed):
    layer, shape, kind, _ = LAYERS[name]
    h = handle(hname)
    params = layer.init(h.key(seed), shape)
    x = _input(h, seed, shape, kind)

    def loss(p, x):
        return xnp.mean(xnp.square(layer.apply(p, x)))

    g = xops.grad(loss)(params, x)
    return nn.tree_map(lambda a: h.np(a), g)


@pytest.mark.parametrize("name", GRAD_LAYERS)
def test_gradients_agree_across_backends(name):
    if name.startswith("conv") and not _has_conv():
        pytest.skip("xops.nn.functional.conv is not available")
    names = [n for n in ("jax", "torch", "tensorflow") if n in INSTALLED]
    if len(names) < 2:
        pytest.skip("needs two autodiff backends")
    gs = {n: _grads(name, n, 7) for n in names}
    ref = gs[names[0]]
    for n in names[1:]:
        assert nn.tree_structure(gs[n]) == nn.tree_structure(ref)
        for a, b in zip(nn.tree_leaves(gs[n]), nn.tree_leaves(ref)):
            _close(a, b, 1e-4, 1e-5)
    assert any(np.abs(a).max() > 0 for a in nn.tree_leaves(ref))


@pytest.mark.needs_backend("jax")
def test_dense_gradient_matches_closed_form():
    h = handle("jax")
    layer = nn.Dense(3)
    params = layer.init(xr.key(0, backend="jax"), (4, 5))
    x = _input(h, 1, (4, 5))
    g = xops.grad(lambda p: xnp.sum(layer.apply(p, x)))(params)
    _close(h.np(g["w"]), np.repeat(h.np(x).sum(0)[:, None], 3, axis=1), 1e-5, 1e-5)
    _close(h.np(g["b"]), np.full(3, 4.0))


# --- composition, causality, jit -------------------------------------------------------------

@FEW
@given(seed=SEEDS)
def test_transformer_causal_ignores_future(backend, seed):
    h = backend
    block = nn.TransformerBlock(2, 8, causal=True)
    params = block.init(h.key(seed), (1, 5, 4))
    x = np.random.default_rng(seed).standard_normal((1, 5, 4)).astype(np.float32)
    x2 = x.copy()
    x2[:, 3:] = np.random.default_rng(seed + 1).standard_normal((1, 2, 4)) * 3
    y1 = h.np(block.apply(params, h.arr(x)))
    y2 = h.np(block.apply(params, h.arr(x2)))
    _close(y1[:, :3], y2[:, :3], 1e-5, 1e-5)
    assert not np.allclose(y1[:, 3:], y2[:, 3:])
    # without causal masking the past sees the future
    full = nn.TransformerBlock(2, 8)
    z1 = h.np(full.apply(params, h.arr(x)))
    z2 = h.np(full.apply(params, h.arr(x2)))
    assert not np.allclose(z1[:, :3], z2[:, :3])


def test_mha_cross_attention_and_mask(backend):
    h = backend
    mha = nn.MultiHeadAttention(2)
    params = mha.init(h.key(0), (2, 3, 4))
    x, ctx = _input(h, 1, (2, 3, 4)), _input(h, 2, (2, 5, 4))
    y = mha.apply(params, x, context=ctx)
    p64 = nn.tree_map(lambda a: h.np(a).astype(np.float64), params)
    _close(h.np(y), _mha(p64, h.np(x).astype(np.float64), 2,
                         context=h.np(ctx).astype(np.float64)), 1e-4, 1e-4)
    mask = np.ones((1, 1, 3, 5), bool)
    mask[..., 2:] = False
    ym = h.np(mha.apply(params, x, context=ctx, mask=h.arr(mask)))
    ctx2 = h.np(ctx).copy()
    ctx2[:, 2:] = 0.0
    ym2 = h.np(mha.apply(params, x, context=h.arr(ctx2), mask=h.arr(mask)))
    _close(ym, ym2, 1e-5, 1e-5)
    with pytest.raises(TypeError, match="unexpected keyword"):
        mha.apply(params, x, bogus=1)


def test_jit_compiles_apply():
    seq = nn.Sequential(nn.Dense(8), F.gelu, nn.LayerNorm(), nn.Dense(3))
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    p_np = seq.init(xr.key(0), (4, 5))
    want = seq.apply(p_np, x)
    for name in INSTALLED:
        h = handle(name)
        params = seq.init(h.key(0), (4, 5))
        f = xops.jit(lambda p, x: seq.apply(p, x))
        _close(h.np(f(params, h.arr(x))), want, 1e-5, 1e-5)


@pytest.mark.needs_backend("jax")
def test_jax_jit_grad_and_optax_update():
    import jax
    optax = pytest.importorskip("optax", reason="optax is not installed")
    model = nn.MLP((16, 1), activation="tanh")
    params = model.init(xr.key(0, backend="jax"), (8, 2))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 2)).astype(np.float32)
    t = jax.numpy.asarray(x[:, :1] * x[:, 1:])
    x = jax.numpy.asarray(x)

    def loss(p, x, t):
        return F.mse(model.apply(p, x), t)

    opt = optax.adam(1e-2)
    st_ = opt.init(params)

    @jax.jit
    def step(p, s, x, t):
        lv, g = jax.value_and_grad(loss)(p, x, t)
        upd, s = opt.update(g, s, p)
        return optax.apply_updates(p, upd), s, lv

    first = float(loss(params, x, t))
    for _ in range(50):
        params, st_, lv = step(params, st_, x, t)
    assert isinstance(params["0"]["w"], jax.Array)
    assert float(lv) < 0.7 * first


# --- initializers ------------------------------------------------------------------------------

INITS = {
    "glorot_uniform": I.glorot_uniform, "glorot_normal": I.glorot_normal,
    "he_uniform": I.he_uniform, "he_normal": I.he_normal, "lecun_uniform": I.lecun_uniform,
    "lecun_normal": I.lecun_normal, "orthogonal": I.orthogonal,
    "normal": lambda: I.normal(0.3), "uniform": lambda: I.uniform(2.0),
    "truncated_normal": lambda: I.truncated_normal(0.5),
}
INIT_SHAPES = st.sampled_from([(4, 3), (3, 7), (2, 3, 4), (3, 3, 2, 5), (6,)])


@pytest.mark.parametrize("name", sorted(INITS))
@FEW
@given(seed=SEEDS, shape=INIT_SHAPES)
def test_initializer_same_weights_on_every_backend(backend, name, seed, shape):
    h = backend
    if name == "orthogonal" and len(shape) < 2:
        with pytest.raises(ValueError, match="2 axes"):
            INITS[name]()(xr.key(seed), shape)
        return
    w = INITS[name]()(h.key(seed), shape)
    assert h.is_native(w) and xops.dtype(w) is xnp.float32 and tuple(w.shape) == shape
    _close(h.np(w), INITS[name]()(xr.key(seed), shape), 1e-6, 1e-6)


@pytest.mark.needs_backend("jax")
@pytest.mark.parametrize("name", sorted(INITS))
@given(seed=SEEDS, shape=INIT_SHAPES)
def test_initializer_matches_jax(name, seed, shape):
    import jax
    if len(shape) < 2 and name not in ("normal", "uniform", "truncated_normal"):
        return  # jax refuses 1-d shapes there (xops: fan_in = fan_out = size)
    jinit = {"normal": lambda: jax.nn.initializers.normal(0.3),
             "uniform": lambda: jax.nn.initializers.uniform(2.0),
             "truncated_normal": lambda: jax.nn.initializers.truncated_normal(0.5)}.get(
                 name, getattr(jax.nn.initializers, name))
    want = np.asarray(jinit()(jax.random.PRNGKey(seed), shape, np.float32))
    got = INITS[name]()(xr.key(seed), shape)
    _close(got, want, 1e-5, 1e-6)


@given(seed=SEEDS, m=st.integers(1, 9), n=st.integers(1, 9))
def test_householder_fallback_is_orthogonal_qr(seed, m, n):
    from xops.nn.initializers import _householder_qr_q
    m, n = max(m, n), min(m, n)
    a = np.asarray(xr.normal(xr.key(seed), (m, n)))
    q = _householder_qr_q(a)
    _close(q.T @ q, np.eye(n), 1e-5, 1e-5)
    r = q.T @ a
    _close(np.triu(r), r, 1e-5, 1e-5)           # a = q r with r upper triangular
    assert (np.diag(r) >= -1e-6).all()           # sign convention of jax's orthogonal
    _close(q @ r, a, 1e-5, 1e-5)


def test_initializer_statistics_and_options():
    key = xr.key(0)
    w = np.asarray(I.he_normal()(key, (400, 300)))
    assert abs(w.std() - math.sqrt(2 / 400)) < 0.03 * math.sqrt(2 / 400)
    assert np.abs(w).max() <= 2 * math.sqrt(2 / 400) / 0.87962566103423978 + 1e-6
    u = np.asarray(I.glorot_uniform()(key, (400, 300)))
    lim = math.sqrt(6 / 700)
    assert np.abs(u).max() <= lim and np.abs(u).max() > 0.99 * lim
    assert I.compute_fans((3, 3, 4, 8)) == (36.0, 72.0)
    np.testing.assert_array_equal(I.constant(2.5)(key, (2, 2)), np.full((2, 2), 2.5, np.float32))
    assert np.asarray(I.normal()(key, (3,), xnp.float16)).dtype == np.float16
    with pytest.raises(TypeError, match="float dtype"):
        I.normal()(key, (3,), xnp.int32)
    with pytest.raises(ValueError, match="mode"):
        I.variance_scaling(1.0, "fan", "normal")
    with pytest.raises(ValueError, match="distribution"):
        I.variance_scaling(1.0, "fan_in", "cauchy")


# --- checkpoints -------------------------------------------------------------------------------

@pytest.mark.parametrize("src", INSTALLED)
def test_checkpoint_round_trip_across_backends(tmp_path, src):
    model = nn.Sequential(nn.Dense(4), nn.Dropout(0.1), nn.LayerNorm(), nn.Dense(2))
    params = model.init(handle(src).key(5), (3, 6))
    path = tmp_path / "ckpt.npz"
    nn.save(path, params)
    with np.load(path, allow_pickle=False) as z:   # a plain npz, no pickles
        assert "0/w" in z.files and "3/b" in z.files
    want = _np_tree(handle(src), params)
    for dst in INSTALLED:
        h = handle(dst)
        got = nn.load(path, backend=dst, device=h.device)
        assert got["1"] == {}                        # empty subtrees survive
        assert nn.tree_structure(_np_tree(h, got)) == nn.tree_structure(want)
        for a, b in zip(nn.tree_leaves(got), nn.tree_leaves(want)):
            assert h.is_native(a)
            np.testing.assert_array_equal(h.np(a), b)
        x = _input(h, 0, (3, 6))
        _close(h.np(model.apply(got, x)), model.apply(want, h.np(x)))


def test_checkpoint_dtypes_structure_and_errors(tmp_path):
    import ml_dtypes
    tree = {"a": [np.arange(3, dtype=np.int64), (np.float16(1.5) * np.ones(2, np.float16),)],
            "b": np.array([1.5, -2.25], dtype=ml_dtypes.bfloat16), "c": None, "d": {}}
    nn.save(tmp_path / "t.npz", tree)
    got = nn.load(tmp_path / "t.npz")
    assert isinstance(got["a"], list) and isinstance(got["a"][1], tuple)
    assert got["c"] is None and got["d"] == {}
    assert got["b"].dtype == ml_dtypes.bfloat16
    np.testing.assert_array_equal(got["b"], tree["b"])
    np.testing.assert_array_equal(got["a"][0], tree["a"][0])
    assert got["a"][1][0].dtype == np.float16
    for name in INSTALLED:
        h = handle(name)
        if not h.holds(xnp.bfloat16):
            continue
        b = (nn.load(tmp_path / "t.npz", backend=name, device=h.device)["b"]
             if name != "jax" else None)
        if b is not None:
            assert xops.dtype(b) is xnp.bfloat16
            np.testing.assert_array_equal(h.np(b), tree["b"])
    if "jax" in INSTALLED:
        handle("jax")  # x64 off
        with pytest.raises(TypeError, match="a/0"):
            nn.load(tmp_path / "t.npz", backend="jax")
    with pytest.raises(ValueError, match="'/'"):
        nn.save(tmp_path / "bad.npz", {"a/b": np.zeros(1)})
    np.savez(tmp_path / "plain.npz", x=np.zeros(2))
    with pytest.raises(ValueError, match="not an xops.nn checkpoint"):
        nn.load(tmp_path / "plain.npz")


def test_checkpoint_bfloat16_from_torch(tmp_path):
    torch = needs_backend("torch")
    tree = {"w": torch.tensor([1.0, 0.1, -3.0], dtype=torch.bfloat16, device=TORCH_DEVICE)}
    nn.save(tmp_path / "bf.npz", tree)
    want = handle("torch").np(tree["w"]).astype(np.float32)
    for name in INSTALLED:
        if name == "numpy":
            continue
        h = handle(name)
        got = nn.load(tmp_path / "bf.npz", backend=name, device=h.device)["w"]
        assert xops.dtype(got) is xnp.bfloat16
        np.testing.assert_array_equal(h.np(got).astype(np.float32), want)


def test_pytree_helpers():
    tree = {"b": {"w": np.ones((2, 3))}, "a": [np.zeros(4), np.ones(())]}
    names = [n for n, _ in nn.flatten_with_names(tree)]
    assert names == ["a/0", "a/1", "b/w"]
    assert nn.count_params(tree) == 11
    doubled = nn.tree_map(lambda x: x * 2, tree)
    np.testing.assert_array_equal(doubled["b"]["w"], 2 * np.ones((2, 3)))
    leaves, spec = nn.tree_flatten(tree)
    assert nn.tree_unflatten(spec, leaves)["b"]["w"] is tree["b"]["w"]

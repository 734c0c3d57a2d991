"""Mixed precision in ``xops.nn``: dtype policies (``xops.nn.precision``), loss scaling
(``optim.loss_scale``) and low-precision training agreeing across backends.

Tolerances are multiples of the 16-bit format's epsilon (bfloat16 2**-7, float16 2**-10).
Measured over seeds: after 5 SGD-momentum steps of a TransformerBlock, parameters differ
across jax/torch/tensorflow by at most ~0.7 eps and from the float32 run by ~1.2 eps, losses by
~1.1 eps relative (tensorflow's CPU bfloat16 matmul is the largest contributor: it is not
correctly rounded, about half its elements are one bfloat16 ulp off, where jax's and torch's
are). SGD rather than Adam for the agreement: Adam divides by the gradient's own magnitude, so
a gradient that is zero up to rounding (an attention key bias: softmax is shift-invariant)
gets a step of +-lr whose sign is the rounding's, different on each backend even in float32.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F
from xops.nn import optim

from .conftest import INSTALLED, TORCH_DEVICE, handle, needs_backend

EPS = {"bfloat16": 2.0 ** -7, "float16": 2.0 ** -10}
LOW = {"mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}
FEW = settings(settings.default, max_examples=min(settings.default.max_examples, 2))
FRAMEWORKS = [b for b in ("jax", "torch", "tensorflow") if b in INSTALLED]


def _dtypes(tree):
    return [xops.dtype(a).name for a in nn.tree_leaves(tree)]


def _need(h, dtype):
    if not h.holds(getattr(xnp, dtype)):
        pytest.skip(f"{h.name} has no {dtype}")


# --- policies --------------------------------------------------------------------------------
def test_presets():
    p = nn.policy("mixed_bfloat16")
    assert (p.param_dtype, p.compute_dtype, p.output_dtype) == (xnp.float32, xnp.bfloat16,
                                                                xnp.bfloat16)
    assert p.low_precision and not nn.policy("float32").low_precision
    assert nn.policy("mixed_float16").compute_dtype is xnp.float16
    assert nn.policy("bfloat16").param_dtype is xnp.bfloat16
    assert nn.policy("float16").param_dtype is xnp.float16
    assert nn.policy(p) is p
    custom = nn.Policy("float32", "bfloat16", output_dtype="float32")
    assert custom.output_dtype is xnp.float32 and custom.compute_dtype is xnp.bfloat16
    assert nn.Policy("bfloat16").compute_dtype is xnp.bfloat16  # compute defaults to params
    assert set(nn.PRESETS) >= {"float32", "mixed_bfloat16", "mixed_float16", "bfloat16",
                               "float16"}
    assert nn.Dense(3, policy="mixed_float16").policy is nn.PRESETS["mixed_float16"]


def test_policy_errors():
    with pytest.raises(ValueError, match="'mixed_bf16'"):
        nn.policy("mixed_bf16")
    with pytest.raises(ValueError, match="mixed_half"):
        nn.Dense(3, policy="mixed_half")
    with pytest.raises(TypeError):
        nn.policy(3)
    with pytest.raises(ValueError, match="float dtype"):
        nn.Policy("int32")
    with pytest.raises(ValueError, match="not a dtype"):
        nn.Policy("float32", "nope")


def test_policy_field_is_keyword_only_and_compared():
    assert nn.Dense(3) != nn.Dense(3, policy="mixed_bfloat16")
    assert nn.Dense(3, policy="mixed_bfloat16") == nn.Dense(3, policy=nn.policy("mixed_bfloat16"))
    assert hash(nn.Sequential(nn.Dense(2), policy="bfloat16"))
    assert nn.Conv2D(4, 3, policy="mixed_bfloat16").ndim == 2


MODELS = {
    "Dense": (lambda pol: nn.Dense(4, policy=pol), (3, 6)),
    "LayerNorm": (lambda pol: nn.LayerNorm(policy=pol), (3, 6)),
    "RMSNorm": (lambda pol: nn.RMSNorm(policy=pol), (3, 6)),
    "MLP": (lambda pol: nn.MLP((8, 4), policy=pol), (3, 6)),
    "TransformerBlock": (lambda pol: nn.TransformerBlock(2, 16, policy=pol), (2, 4, 8)),
    "Conv2D": (lambda pol: nn.Conv2D(4, 3, policy=pol), (1, 5, 5, 2)),
}


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("pol", ["mixed_bfloat16", "mixed_float16", "bfloat16"])
def test_param_and_output_dtypes(backend, name, pol):
    h = backend
    p = nn.policy(pol)
    _need(h, p.compute_dtype.name)
    make, shape = MODELS[name]
    layer = make(pol)
    params = layer.init(h.key(0), shape)
    assert set(_dtypes(params)) == {p.param_dtype.name}
    x = h.arr(np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    y = layer.apply(params, x)
    assert h.is_native(y) and xops.dtype(y) is p.output_dtype
    # the same numbers as the float32 layer on the params rounded to the compute dtype, to a
    # few of the format's epsilons
    ref_layer = make(None)
    ref = ref_layer.apply(nn.tree_map(lambda a: xnp.astype(a, xnp.float32), params), x)
    eps = EPS[p.compute_dtype.name]
    np.testing.assert_allclose(np.asarray(h.np(y), np.float64), np.asarray(h.np(ref), np.float64),
                               rtol=8 * eps, atol=8 * eps)


def test_grads_of_master_weights_are_float32(backend):
    h = backend
    _need(h, "bfloat16")
    if h.name == "numpy":
        pytest.importorskip("jax")  # numpy's autodiff runs on jax
    layer = nn.TransformerBlock(2, 16, policy="mixed_bfloat16")
    params = layer.init(h.key(1), (2, 4, 8))
    x = h.arr(np.ones((2, 4, 8), np.float32))
    loss = nn.loss_in_float32(F.mse)
    val, grads = xops.value_and_grad(lambda p: loss(layer.apply(p, x), x))(params)
    assert xops.dtype(val) is xnp.float32
    assert set(_dtypes(grads)) == {"float32"}
    assert nn.tree_structure(grads) == nn.tree_structure(params)


def test_integer_leaves_and_inputs_are_never_cast(backend):
    h = backend
    _need(h, "bfloat16")
    emb = nn.Embedding(10, 4, policy="mixed_bfloat16")
    params = emb.init(h.key(0), (3,))
    ids = h.arr(np.array([1, 2, 9], np.int32))
    y = emb.apply(params, ids)
    assert xops.dtype(y) is xnp.bfloat16 and _dtypes(params) == ["float32"]
    bn = nn.BatchNorm(policy="mixed_bfloat16")
    params, state = bn.init_with_state(h.key(0), (4, 3))
    x = h.arr(np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32))
    y, new = bn.apply_with_state(params, state, x, training=True)
    assert xops.dtype(y) is xnp.bfloat16
    assert set(_dtypes(new)) == {"float32"}  # running statistics stay in the param dtype
    mean = np.asarray(h.np(new["mean"]))
    xb = np.asarray(h.np(xnp.astype(xnp.astype(x, xnp.bfloat16), xnp.float32)), np.float64)
    np.testing.assert_allclose(mean, 0.1 * xb.mean(0), rtol=1e-5, atol=1e-6)


def test_norms_keep_a_16_bit_input_dtype(backend):
    # torch's layer_norm convention: a bfloat16 input with float32 weights gives bfloat16,
    # computed in float32 and rounded once
    h = backend
    _need(h, "bfloat16")
    x32 = np.random.default_rng(0).standard_normal((3, 6)).astype(np.float32)
    x = xnp.astype(h.arr(x32), xnp.bfloat16)
    for layer in (nn.LayerNorm(), nn.RMSNorm(), nn.GroupNorm(2)):
        params = layer.init(h.key(0), (3, 6))
        y = layer.apply(params, x)
        assert xops.dtype(y) is xnp.bfloat16, layer
        ref = layer.apply(params, xnp.astype(x, xnp.float32))
        want = np.asarray(h.np(xnp.astype(xnp.astype(ref, xnp.bfloat16), xnp.float32)))
        got = np.asarray(h.np(xnp.astype(y, xnp.float32)))
        np.testing.assert_allclose(got, want, rtol=EPS["bfloat16"], atol=EPS["bfloat16"])


def test_sequential_children_keep_their_own_policy(backend):
    h = backend
    _need(h, "bfloat16")
    model = nn.Sequential(nn.Dense(8), F.relu, nn.Dense(4, policy="float32"),
                          policy="bfloat16")
    params = model.init(h.key(0), (3, 6))
    assert _dtypes(params["0"]) == ["bfloat16", "bfloat16"]
    assert _dtypes(params["2"]) == ["float32", "float32"]
    y = model.apply(params, h.arr(np.ones((3, 6), np.float32)))
    assert xops.dtype(y) is xnp.float32
    # with_policy: a copy of the tree; layers with their own policy keep it unless override
    m2 = nn.with_policy(nn.Sequential(nn.Dense(8), nn.Dense(4, policy="float32")),
                        "mixed_bfloat16")
    assert m2.layers[0].policy.name == "mixed_bfloat16"
    assert m2.layers[1].policy.name == "float32"
    m3 = nn.with_policy(m2, "float32", override=True)
    assert {m.policy.name for m in m3.layers} == {"float32"} and m3.policy.name == "float32"
    assert nn.with_policy(nn.MLP((4,)), "mixed_float16").policy.name == "mixed_float16"


# --- training agreement ------------------------------------------------------------------------
def _train(h, pol, seed, steps=5):
    """5 SGD-momentum steps of a TransformerBlock from key ``seed``; float16 with a dynamic
    loss scale. Returns (params as float64 NumPy, losses, grads' dtypes)."""
    model = nn.TransformerBlock(2, 16, policy=pol)
    shape = (2, 4, 8)
    rng = np.random.default_rng(seed)
    x = h.arr(rng.standard_normal(shape).astype(np.float32))
    y = h.arr(rng.standard_normal(shape).astype(np.float32))
    params = model.init(h.key(seed), shape)
    scaled = pol == "mixed_float16"
    opt = optim.sgd(0.1, momentum=0.9)
    opt = optim.loss_scale(opt, 2.0 ** 10) if scaled else opt
    state = opt.init(params)
    loss = nn.loss_in_float32(F.mse)

    def objective(p, s):
        value = loss(model.apply(p, x), y)
        return (optim.scale_loss(value, s) if scaled else value), value

    grad_fn = xops.value_and_grad(objective, has_aux=True)
    losses = []
    for _ in range(steps):
        (_, value), grads = grad_fn(params, state)
        updates, state = opt.update(grads, state, params)
        params = optim.apply_updates(params, updates)
        losses.append(float(h.np(value)))
    if scaled:
        assert bool(h.np(state.last_finite))
    return ([np.asarray(h.np(a), np.float64) for a in nn.tree_leaves(params)],
            np.array(losses), set(_dtypes(grads)) | set(_dtypes(params)))


@pytest.mark.skipif(len(FRAMEWORKS) < 2, reason="needs two of jax, torch, tensorflow")
@pytest.mark.parametrize("pol", ["mixed_bfloat16", "mixed_float16"])
@FEW
@given(seed=st.integers(0, 2 ** 31 - 1))
def test_low_precision_training_agrees_across_backends(pol, seed):
    eps = EPS[LOW[pol]]
    ref_params, ref_losses, _ = _train(handle(FRAMEWORKS[0]), "float32", seed)
    runs = {}
    for name in FRAMEWORKS:
        h = handle(name)
        if not h.holds(getattr(xnp, LOW[pol])):
            continue
        runs[name] = _train(h, pol, seed)
        assert runs[name][2] == {"float32"}, (name, runs[name][2])  # master weights and grads
    first = next(iter(runs.values()))
    for name, (params, losses, _) in runs.items():
        for a, b in zip(params, first[0]):  # across backends: 2 eps
            np.testing.assert_allclose(a, b, rtol=2 * eps, atol=2 * eps, err_msg=name)
        np.testing.assert_allclose(losses, first[1], rtol=2 * eps, err_msg=name)
        for a, b in zip(params, ref_params):  # near the float32 run: 3 eps
            np.testing.assert_allclose(a, b, rtol=3 * eps, atol=3 * eps, err_msg=name)
        np.testing.assert_allclose(losses, ref_losses, rtol=3 * eps, err_msg=name)
        assert losses[-1] < losses[0]


# --- loss scaling ------------------------------------------------------------------------------
def _scaler_run(h, jit):
    params = {"w": h.arr(np.ones(3, np.float32)), "b": h.arr(np.zeros((), np.float32))}
    opt = optim.loss_scale(optim.adam(0.1), initial_scale=8.0, growth_interval=2)
    state = opt.init(params)

    def step(g, s, p):
        u, s = opt.update(g, s, p)
        return optim.apply_updates(p, u), s

    step = xops.jit(step) if jit else step
    bad = {"w": h.arr(np.array([8.0, np.inf, 8.0], np.float32)),
           "b": h.arr(np.array(np.nan, np.float32))}
    good = {"w": h.arr(np.full(3, 8.0, np.float32)), "b": h.arr(np.array(4.0, np.float32))}
    new, state = step(bad, state, params)  # injected overflow: skipped, scale halved
    for k in params:
        np.testing.assert_array_equal(h.np(new[k]), h.np(params[k]))
    assert float(h.np(state.scale)) == 4.0 and int(h.np(state.good_steps)) == 0
    assert not bool(h.np(state.last_finite))
    assert int(h.np(state.inner_state[0].count)) == 0  # adam's state untouched
    scales = []
    for _ in range(4):
        new, state = step(good, state, new)
        scales.append(float(h.np(state.scale)))
        assert bool(h.np(state.last_finite))
    assert scales == [4.0, 8.0, 8.0, 16.0]  # recovers: doubles after growth_interval steps
    assert np.all(np.isfinite(h.np(new["w"]))) and np.all(h.np(new["w"]) < 1.0)
    assert int(h.np(state.inner_state[0].count)) == 4
    return new


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "xops.jit"])
def test_dynamic_scaler_recovers_from_an_overflow(backend, jit):
    if jit and backend.name == "numpy":
        pytest.importorskip("jax")
    _scaler_run(backend, jit)


def test_scaler_step_equals_the_inner_step(backend):
    # unscaling by a power of two is exact: a finite step is the inner optimizer's step
    h = backend
    params = {"w": h.arr(np.array([1.0, -2.0, 3.0], np.float32))}
    g = {"w": h.arr(np.array([0.5, 0.25, -1.0], np.float32))}
    inner = optim.adam(0.1)
    opt = optim.loss_scale(inner, 2.0 ** 15)
    u_ref, _ = inner.update(g, inner.init(params), params)
    scaled = {"w": g["w"] * 2.0 ** 15}
    u, _ = opt.update(scaled, opt.init(params), params)
    np.testing.assert_array_equal(h.np(u["w"]), h.np(u_ref["w"]))


def test_static_scaler_and_errors(backend):
    h = backend
    params = {"w": h.arr(np.ones(2, np.float32))}
    opt = optim.loss_scale(optim.sgd(1.0), initial_scale=4.0, dynamic=False)
    state = opt.init(params)
    u, state = opt.update({"w": h.arr(np.array([np.inf, 1.0], np.float32))}, state, params)
    np.testing.assert_array_equal(h.np(u["w"]), [0.0, 0.0])
    assert float(h.np(state.scale)) == 4.0
    u, state = opt.update({"w": h.arr(np.array([4.0, 8.0], np.float32))}, state, params)
    np.testing.assert_array_equal(h.np(u["w"]), [-1.0, -2.0])
    assert float(h.np(state.scale)) == 4.0
    loss = h.arr(np.array(1.5, np.float32))
    assert float(h.np(optim.scale_loss(loss, state))) == 6.0
    assert float(h.np(optim.scale_loss(loss, (optim.sgd(1.0).init(params), state)))) == 6.0
    with pytest.raises(ValueError, match="LossScaleState"):
        optim.scale_loss(loss, optim.sgd(1.0).init(params))
    with pytest.raises(ValueError):
        optim.loss_scale(optim.sgd(1.0), factor=1.0)
    assert bool(h.np(optim.all_finite(params)))


def test_scaler_floor_and_ceiling(backend):
    h = backend
    params = {"w": h.arr(np.ones(1, np.float32))}
    opt = optim.loss_scale(optim.sgd(1.0), initial_scale=2.0, min_scale=1.0, max_scale=4.0,
                           growth_interval=1)
    state = opt.init(params)
    bad = {"w": h.arr(np.array([np.nan], np.float32))}
    for _ in range(3):
        _, state = opt.update(bad, state, params)
    assert float(h.np(state.scale)) == 1.0
    ok = {"w": h.arr(np.array([1.0], np.float32))}
    for _ in range(5):
        _, state = opt.update(ok, state, params)
    assert float(h.np(state.scale)) == 4.0


# --- compiled steps, checkpoints ---------------------------------------------------------------
def test_mixed_step_compiles_to_one_graph():
    torch = needs_backend("torch")
    from torch._dynamo.testing import CompileCounterWithBackend

    torch._dynamo.reset()
    model = nn.TransformerBlock(2, 16, policy="mixed_float16")
    key = xr.key(0, backend="torch", device=TORCH_DEVICE)
    params = model.init(key, (2, 4, 8))
    x = xr.normal(key, (2, 4, 8))
    opt = optim.loss_scale(optim.adam(1e-2), 2.0 ** 10, growth_interval=2)
    loss = nn.loss_in_float32(F.mse)

    def step(p, s, x):
        def objective(p):
            value = loss(model.apply(p, x), x)
            return optim.scale_loss(value, s), value

        (_, value), g = xops.value_and_grad(objective, has_aux=True)(p)
        u, s = opt.update(g, s, p)
        return optim.apply_updates(p, u), s, value

    s_c = s_e = opt.init(params)
    p_c = p_e = params
    for _ in range(3):  # eager first (as tests/test_nn_compile.py), then compiled
        p_e, s_e, v_e = step(p_e, s_e, x)
    counter = CompileCounterWithBackend("eager")
    compiled = torch.compile(step, backend=counter, fullgraph=True)
    for _ in range(3):
        p_c, s_c, v_c = compiled(p_c, s_c, x)
        assert counter.frame_count == 1  # one graph, no recompile when fed its own outputs
    assert float(s_c.scale) == float(s_e.scale)
    for a, b in zip(nn.tree_leaves(p_c), nn.tree_leaves(p_e)):
        assert a.dtype == torch.float32
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    torch._dynamo.reset()


def test_checkpoints_keep_dtypes(backend, tmp_path):
    h = backend
    _need(h, "bfloat16")
    pure = nn.MLP((4, 2), policy="bfloat16").init(h.key(0), (3,))
    mixed = nn.MLP((4, 2), policy="mixed_float16").init(h.key(0), (3,))
    opt = optim.loss_scale(optim.adam(1e-3))
    opt_state = opt.init(mixed)
    # checkpoints hold dicts/lists/tuples: the optimizer state (namedtuples) goes in as its
    # leaves and comes back through its structure
    tree = {"pure": pure, "mixed": mixed, "opt": nn.tree_leaves(opt_state)}
    nn.save(tmp_path / "ckpt", tree)
    got = nn.load(tmp_path / "ckpt", backend=h.name, device=h.device)
    back = nn.tree_unflatten(nn.tree_structure(opt_state), got["opt"])
    assert isinstance(back, optim.LossScaleState) and float(h.np(back.scale)) == 2.0 ** 15
    assert set(_dtypes(got["pure"])) == {"bfloat16"}
    assert set(_dtypes(got["mixed"])) == {"float32"}
    want = _dtypes(tree["opt"])
    assert "int32" in want and "bool" in want and "float32" in want
    assert _dtypes(got["opt"]) == want
    for a, b in zip(nn.tree_leaves(got), nn.tree_leaves(tree)):
        np.testing.assert_array_equal(np.asarray(h.np(a), np.float64) if xops.dtype(a).kind
                                      == "f" else h.np(a),
                                      np.asarray(h.np(b), np.float64) if xops.dtype(b).kind
                                      == "f" else h.np(b))


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "xops.jit"])
def test_make_train_step_scales_the_loss_for_a_loss_scale_optimizer(backend, jit):
    # nn.make_train_step differentiates loss * scale when the optimizer is wrapped in
    # optim.loss_scale (its update unscales): with a power-of-two scale the step equals the
    # unwrapped optimizer's step exactly, and it reports the unscaled loss.
    h = backend
    if jit and h.name == "numpy":
        pytest.importorskip("jax")
    if h.name == "numpy":
        pytest.importorskip("jax")  # numpy's autodiff runs on jax
    layer = nn.MLP((8, 3))
    params = layer.init(h.key(3), (4, 5))
    x = h.arr(np.linspace(-1, 1, 20, dtype=np.float32).reshape(4, 5))
    y = h.arr(np.array([0, 1, 2, 1], np.int32))
    loss = F.sparse_softmax_cross_entropy
    runs = []
    for opt in (optim.sgd(0.1), optim.loss_scale(optim.sgd(0.1), initial_scale=2.0 ** 10)):
        step = nn.make_train_step(layer, loss, opt, jit=jit)
        p, s = params, opt.init(params)
        values = []
        for _ in range(2):
            p, s, v, _ = step(p, s, x, y)
            values.append(float(h.np(v)))
        runs.append((p, values, s))
    (p0, v0, _), (p1, v1, s1) = runs
    assert v0 == v1  # the unscaled loss
    for a, b in zip(nn.tree_leaves(p0), nn.tree_leaves(p1)):
        np.testing.assert_array_equal(h.np(a), h.np(b))
    assert float(h.np(s1.scale)) == 2.0 ** 10 and bool(h.np(s1.last_finite))

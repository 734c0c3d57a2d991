"""xops.nn.to_torch / from_torch and to_tf / from_tf: the bridged modules compute what the
layer computes, expose the parameters under their tree names, and work with each ecosystem's
optimizers, state dicts, compilers and saved models."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("optree", reason="xops.nn needs optree")

import xops
from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F

from .conftest import TORCH_DEVICE, handle
from .tolerances import tol

MODEL = nn.Sequential(nn.Dense(8), F.relu, nn.LayerNorm(), nn.Dense(3))
BN_MODEL = nn.Sequential(nn.Dense(4), nn.BatchNorm(momentum=0.5))


def _x(shape=(5, 4), seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


MODEL_TOL = tol("float32", "model")  # the bridged models compute in float32


def _np(a):
    return handle(xops.backend(a)).np(a)  # read on the host, wherever a lives


def _close(a, b, tol=None):
    t = MODEL_TOL if tol is None else {"rtol": tol, "atol": tol}
    np.testing.assert_allclose(_np(a).astype(np.float64), _np(b).astype(np.float64), **t)


# --- torch -----------------------------------------------------------------------------------

@pytest.mark.needs_backend("torch")
def test_to_torch_forward_names_and_round_trip():
    import torch
    t = handle("torch")
    params = MODEL.init(t.key(0), (5, 4))
    mod = nn.to_torch(MODEL, params)
    assert isinstance(mod, torch.nn.Module)
    names = dict(mod.named_parameters())
    assert set(names) == {"0.w", "0.b", "2.scale", "2.bias", "3.w", "3.b"}
    assert all(isinstance(p, torch.nn.Parameter) for p in names.values())
    # shares memory with the torch params it was given
    assert names["0.w"].data_ptr() == params["0"]["w"].data_ptr()
    x = t.arr(_x())
    _close(mod(x).detach(), MODEL.apply(params, x).detach())
    back = nn.from_torch(mod)
    assert back["1"] == {} and back["0"]["w"] is names["0.w"]
    y = MODEL.apply(back, x)
    assert y.requires_grad
    # numpy params are converted explicitly (onto the CPU, torch's default: the module is then
    # moved to the test device, as a user would); the result equals the torch-initialised one
    mod2 = nn.to_torch(MODEL, MODEL.init(xr.key(0), (5, 4))).to(TORCH_DEVICE)
    _close(mod2(x).detach(), mod(x).detach())


@pytest.mark.needs_backend("torch")
def test_to_torch_optimizer_step_and_state_dict():
    import torch
    t = handle("torch")
    params = MODEL.init(t.key(1), (5, 4))
    mod = nn.to_torch(MODEL, nn.tree_map(lambda p: p.clone(), params))
    x = t.arr(_x())
    opt = torch.optim.SGD(mod.parameters(), lr=0.1)
    loss = mod(x).square().mean()
    loss.backward()
    grads = {n: p.grad.clone() for n, p in mod.named_parameters()}
    # the gradient equals xops.grad of the same loss on the param tree
    g = xops.grad(lambda p: xnp.mean(xnp.square(MODEL.apply(p, x))))(params)
    _close(grads["0.w"], g["0"]["w"])
    _close(grads["2.scale"], g["2"]["scale"])
    opt.step()
    _close(dict(mod.named_parameters())["3.b"].detach(), params["3"]["b"] - 0.1 * g["3"]["b"])
    sd = mod.state_dict()
    assert set(sd) == {"0.w", "0.b", "2.scale", "2.bias", "3.w", "3.b"}
    fresh = nn.to_torch(MODEL, MODEL.init(t.key(9), (5, 4)))
    assert not torch.allclose(fresh(x), mod(x))
    fresh.load_state_dict(sd)
    _close(fresh(x).detach(), mod(x).detach())


@pytest.mark.needs_backend("torch")
def test_to_torch_compile():
    import torch
    t = handle("torch")
    params = MODEL.init(t.key(2), (5, 4))
    mod = nn.to_torch(MODEL, params)
    x = t.arr(_x())
    compiled = torch.compile(mod, backend="aot_eager", fullgraph=True)
    _close(compiled(x).detach(), mod(x).detach())


@pytest.mark.needs_backend("torch")
def test_to_torch_batchnorm_buffers():
    import torch
    t = handle("torch")
    params, state = BN_MODEL.init_with_state(t.key(3), (6, 4))
    with pytest.raises(ValueError, match="state"):
        nn.to_torch(BN_MODEL, params)
    mod = nn.to_torch(BN_MODEL, params, state)
    assert {n for n, _ in mod.named_buffers()} == {"1.mean", "1.var"}
    assert set(mod.state_dict()) == {"0.w", "0.b", "1.scale", "1.bias", "1.mean", "1.var"}
    x = t.arr(_x((6, 4)))
    mod.eval()
    y_eval = mod(x)
    _close(mod.get_buffer("1.var"), np.ones(4))           # eval leaves the buffers alone
    mod.train()
    y_train = mod(x)
    want_y, want_state = BN_MODEL.apply_with_state(params, state, x, training=True)
    _close(y_train.detach(), want_y.detach())
    _close(mod.get_buffer("1.mean"), want_state["1"]["mean"])
    _close(mod.get_buffer("1.var"), want_state["1"]["var"])
    assert not torch.allclose(y_eval, y_train)
    p2, s2 = nn.from_torch(mod, with_state=True)
    _close(s2["1"]["var"], want_state["1"]["var"])
    assert set(p2) == {"0", "1"}


@pytest.mark.needs_backend("torch")
def test_from_torch_any_module():
    import torch
    lin = torch.nn.Sequential(torch.nn.Linear(3, 2, device=TORCH_DEVICE),
                              torch.nn.BatchNorm1d(2, device=TORCH_DEVICE))
    params, state = nn.from_torch(lin, with_state=True)
    assert set(params) == {"0", "1"} and set(params["0"]) == {"weight", "bias"}
    assert params["0"]["weight"] is lin[0].weight
    assert "running_mean" in state["1"]


@pytest.mark.needs_backend("torch")
def test_to_torch_dropout_follows_module_mode():
    t = handle("torch")
    model = nn.Sequential(nn.Dense(16), nn.Dropout(0.5))
    mod = nn.to_torch(model, model.init(t.key(0), (4, 8)))
    x = t.arr(_x((4, 8)))
    mod.eval()
    a = mod(x)
    mod.train()
    with pytest.raises(ValueError, match="key"):
        mod(x)
    b = mod(x, key=t.key(1))
    assert (b == 0).any() and not (a == 0).any()


# --- tensorflow --------------------------------------------------------------------------------

@pytest.mark.needs_backend("tensorflow")
def test_to_tf_variables_call_and_gradient():
    import tensorflow as tf
    params = MODEL.init(xr.key(0, backend="tensorflow"), (5, 4))
    mod = nn.to_tf(MODEL, params)
    assert isinstance(mod, tf.Module)
    assert len(mod.trainable_variables) == 6
    x = tf.constant(_x())
    _close(mod(x), MODEL.apply(params, x))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(mod(x)))
    gs = tape.gradient(loss, mod.params["0"]["w"])
    g = xops.grad(lambda p: xnp.mean(xnp.square(MODEL.apply(p, x))))(params)
    _close(gs, g["0"]["w"])
    back = nn.from_tf(mod)
    for a, b in zip(nn.tree_leaves(back), nn.tree_leaves(params)):
        _close(a, b, 0)
    # from numpy params: explicitly converted
    mod2 = nn.to_tf(MODEL, MODEL.init(xr.key(0), (5, 4)))
    _close(mod2(x), mod(x))


@pytest.mark.needs_backend("tensorflow")
def test_to_tf_saved_model_round_trip(tmp_path):
    import tensorflow as tf
    params = MODEL.init(xr.key(4, backend="tensorflow"), (5, 4))
    sig = [tf.TensorSpec([None, 4], tf.float32)]
    mod = nn.to_tf(MODEL, params, input_signature=sig)
    x = tf.constant(_x((7, 4)))
    want = mod(x)
    tf.saved_model.save(mod, str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    _close(loaded(x), want, 1e-6)
    _close(loaded(tf.constant(_x((2, 4), 1))), MODEL.apply(params, tf.constant(_x((2, 4), 1))))
    back = nn.from_tf(loaded)
    for a, b in zip(nn.tree_leaves(back), nn.tree_leaves(params)):
        _close(a, b, 0)


@pytest.mark.needs_backend("tensorflow")
def test_to_tf_batchnorm_train_step():
    import tensorflow as tf
    params, state = BN_MODEL.init_with_state(xr.key(5, backend="tensorflow"), (6, 4))
    mod = nn.to_tf(BN_MODEL, params, state)
    assert len(mod.trainable_variables) == 4 and len(mod.variables) == 6
    x = tf.constant(_x((6, 4)))
    y = mod.train_step(x)
    want_y, want_state = BN_MODEL.apply_with_state(params, state, x, training=True)
    _close(y, want_y)
    _, s = nn.from_tf(mod, with_state=True)
    _close(s["1"]["mean"], want_state["1"]["mean"])
    _close(mod(x), BN_MODEL.apply_with_state(params, want_state, x)[0])


# --- jax: params are plain pytrees -------------------------------------------------------------

@pytest.mark.needs_backend("jax")
def test_jax_pytrees_and_jit_grad():
    import jax
    h = handle("jax")
    params = MODEL.init(xr.key(0, backend="jax"), (5, 4))
    x = h.arr(_x())

    def loss(p, x):
        return xnp.mean(xnp.square(MODEL.apply(p, x)))

    g = jax.jit(jax.grad(loss))(params, x)
    assert jax.tree_util.tree_structure(g) == jax.tree_util.tree_structure(params)
    g_np = xops.grad(loss)(nn.tree_map(h.np, params), h.np(x))
    for a, b in zip(jax.tree_util.tree_leaves(g), nn.tree_leaves(g_np)):
        _close(a, b, 1e-5)

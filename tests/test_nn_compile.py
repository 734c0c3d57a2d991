"""Every ``xops.nn`` layer's training step compiles to one graph with
``torch.compile(fullgraph=True)``: forward (``layer.apply``), loss, ``xops.value_and_grad`` and an
``xops.nn.optim`` update (adam, sgd with momentum) in one frame, no graph break, no recompile
when the step is fed its own outputs, and the compiled steps equal the eager ones.

The layers are enumerated from ``xops.nn`` (every ``Layer`` subclass it exports), so a new layer
is picked up automatically and fails until it has an entry in ``CASES`` (its constructor
arguments and input). Also here: checkpoints loaded onto a device (``nn.load(..., device=)``)
and ``nn.to_torch`` keeping the params' device, checked on the CPU.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

import xops
from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.nn import functional as F
from xops.nn import optim

from .conftest import TORCH_DEVICE, needs_backend

torch = needs_backend("torch")
pytest.importorskip("optree")
from torch._dynamo.testing import CompileCounterWithBackend  # noqa: E402

# name -> list of (id, layer factory, input): a shape (float32 normal input, also trained as a
# parameter so parameter-free layers have a gradient), or ("ids", shape, high) for int32 ids.
# Steps run with training=True; randomness (dropout rate > 0) is on in Dropout, Sequential and
# the "dropout" configurations. The first configuration runs with every optimizer, the others
# with adam only (tracing a dropout's Threefry hash takes seconds).
CASES = {
    "Dense": [("", lambda: nn.Dense(4), (8, 6))],
    "Embedding": [("", lambda: nn.Embedding(10, 4), ("ids", (8, 3), 10))],
    "LayerNorm": [("", lambda: nn.LayerNorm(), (8, 6))],
    "RMSNorm": [("", lambda: nn.RMSNorm(), (8, 6))],
    "BatchNorm": [("", lambda: nn.BatchNorm(), (8, 6))],
    "GroupNorm": [("", lambda: nn.GroupNorm(2), (2, 5, 6))],
    "Dropout": [("", lambda: nn.Dropout(0.3), (8, 6))],
    "MultiHeadAttention": [("", lambda: nn.MultiHeadAttention(2, causal=True), (2, 8, 16))],
    "TransformerBlock": [("", lambda: nn.TransformerBlock(2, 32), (2, 8, 16)),
                         ("dropout", lambda: nn.TransformerBlock(2, 32, causal=True,
                                                                 dropout_rate=0.1), (2, 8, 16))],
    "MLP": [("", lambda: nn.MLP((16, 16, 4)), (8, 16)),
            ("dropout", lambda: nn.MLP((16, 16, 4), dropout_rate=0.1), (8, 16))],
    "Sequential": [("", lambda: nn.Sequential(nn.Dense(8), F.relu, nn.Dropout(0.2),
                                              nn.BatchNorm(), nn.Dense(4)), (8, 6))],
    "Lambda": [("", lambda: nn.Lambda(F.gelu), (8, 6))],
    "Conv": [("", lambda: nn.Conv(4, (3, 3), strides=2), (2, 6, 6, 3))],
    "Conv1D": [("", lambda: nn.Conv1D(4, 3, padding="VALID"), (2, 7, 3))],
    "Conv2D": [("", lambda: nn.Conv2D(4, 3, groups=2), (2, 5, 5, 4))],
    "Conv3D": [("", lambda: nn.Conv3D(2, 2), (1, 4, 4, 4, 2))],
    "ConvTranspose": [("", lambda: nn.ConvTranspose(4, (3, 3), strides=2), (2, 4, 4, 3))],
    "ConvTranspose1D": [("", lambda: nn.ConvTranspose1D(4, 3), (2, 5, 3))],
    "ConvTranspose2D": [("", lambda: nn.ConvTranspose2D(3, 2, strides=2), (2, 3, 3, 2))],
    "ConvTranspose3D": [("", lambda: nn.ConvTranspose3D(2, 2), (1, 3, 3, 3, 2))],
}


def _exported_layers() -> list[str]:
    out = []
    for name in sorted(set(getattr(nn, "__all__", ())) | {n for n in dir(nn) if n[:1] != "_"}):
        obj = getattr(nn, name, None)
        if isinstance(obj, type) and issubclass(obj, nn.Layer) and obj is not nn.Layer:
            out.append(name)
    return out


LAYERS = _exported_layers()
OPTIMIZERS = {"adam": lambda: optim.adam(1e-2), "sgd": lambda: optim.sgd(1e-2, momentum=0.9)}
BACKEND = os.environ.get("XOPS_TEST_COMPILE_BACKEND", "eager")
STEPS = 3  # compiled calls: the second and third are fed the previous outputs


@pytest.fixture(autouse=True)
def _fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def test_every_exported_layer_has_a_case():
    assert len(LAYERS) >= 20, LAYERS
    stale = sorted(set(CASES) - set(LAYERS))
    assert not stale, f"CASES names layers xops.nn does not export: {stale}"


def _setup(name: str, make, inp, seed: int = 0):
    layer = make()
    key = xr.key(seed, backend="torch", device=TORCH_DEVICE)
    k_init, k_x, k_drop = xr.split(key, 3)
    if inp[0] == "ids":
        _, shape, high = inp
        data = xr.randint(k_x, shape, 0, high, dtype=xnp.int32)
        trainable_x = None
    else:
        data = None
        trainable_x = xr.normal(k_x, inp)
    params, state = layer.init_with_state(k_init, data if data is not None else trainable_x)
    trainable = {"params": params}
    if trainable_x is not None:  # the input is trained too: parameter-free layers get a gradient
        trainable["x"] = trainable_x
    return layer, trainable, state, data, k_drop


def _make_step(layer, tx):
    stateful = layer.has_state

    def step(trainable, state, opt_state, data, key):
        def loss(tr):
            x = tr["x"] if data is None else data
            if stateful:
                y, new_state = layer.apply_with_state(tr["params"], state, x, key=key,
                                                      training=True)
            else:
                y, new_state = layer.apply(tr["params"], x, key=key, training=True), state
            return xnp.mean(xnp.square(y)), new_state

        (val, new_state), grads = xops.value_and_grad(loss, has_aux=True)(trainable)
        updates, opt_state = tx.update(grads, opt_state, trainable)
        return optim.apply_updates(trainable, updates), new_state, opt_state, val

    return step


def _np_leaves(tree):
    return [np.asarray(x.detach()) for x in nn.tree_leaves(tree)]


def _assert_same(got, want, what):
    g, w = _np_leaves(got), _np_leaves(want)
    assert len(g) == len(w), what
    for i, (a, b) in enumerate(zip(g, w)):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6, err_msg=f"{what}, leaf {i}")


def _check_one_graph(step, args, steps=STEPS):
    """Run ``step`` eagerly and compiled (fullgraph, counting frames) ``steps`` times, each call
    fed the previous outputs; compare, and check one frame was compiled and never again."""
    eager, out = [], args
    for _ in range(steps):
        out = step(*out[:3], *args[3:])
        eager.append(out)
    cnt = CompileCounterWithBackend(BACKEND)
    compiled = torch.compile(step, fullgraph=True, backend=cnt)
    out = args
    for i in range(steps):
        out = compiled(*out[:3], *args[3:])
        assert cnt.frame_count == 1, f"call {i + 1}: {cnt.frame_count} frames compiled " \
                                     "(recompiled; run with TORCH_LOGS=recompiles)"
        _assert_same(out, eager[i], f"step {i + 1}")
    return cnt


def _layer_params():
    out = []
    for name in LAYERS:
        for j, (cid, make, inp) in enumerate(CASES.get(name, [("", None, None)])):
            for opt in OPTIMIZERS if j == 0 else ["adam"]:
                out.append(pytest.param(name, make, inp, opt,
                                        id="-".join(p for p in (name, cid, opt) if p)))
    return out


@pytest.mark.parametrize("name,make,inp,opt", _layer_params())
def test_train_step_is_one_graph(name, make, inp, opt):
    assert name in CASES, (f"xops.nn.{name} has no entry in tests/test_nn_compile.py CASES: add "
                           "its constructor arguments and an input shape")
    layer, trainable, state, data, key = _setup(name, make, inp)
    tx = OPTIMIZERS[opt]()
    cnt = _check_one_graph(_make_step(layer, tx), (trainable, state, tx.init(trainable), data,
                                                   key))
    assert cnt.op_count > 0


# --- the other optimizers and transformations, on a tree with a parameter-free ({}) node --------
_MORE_OPTIMIZERS = {
    "adamw_mask": lambda: optim.adamw(1e-2, mask=lambda p: nn.tree_map(lambda a: a.ndim > 1, p)),
    "clip_adam_schedule": lambda: optim.chain(
        optim.clip_by_global_norm(0.5),
        optim.adam(optim.warmup_cosine_decay_schedule(0.0, 1e-2, 2, 10))),
    "rmsprop_centered": lambda: optim.rmsprop(1e-2, centered=True, momentum=0.9),
    "adagrad": lambda: optim.adagrad(1e-2),
    "lion": lambda: optim.lion(1e-3),
    "nadam": lambda: optim.adam(1e-2, nesterov=True),
    "sgd": lambda: optim.sgd(1e-2),
}


@pytest.mark.parametrize("opt", sorted(_MORE_OPTIMIZERS))
def test_optimizer_update_is_one_graph(opt):
    """``tx.update`` + ``apply_updates`` alone (no autodiff) on a Sequential-like tree with an
    empty ``{}`` node, a permuted (conv-kernel-like) gradient and several shapes."""
    k = xr.split(xr.key(3, backend="torch", device=TORCH_DEVICE), 4)
    params = {"0": {"w": xr.normal(k[0], (3, 3, 2, 4)), "b": xr.normal(k[1], (4,))},
              "1": {}, "2": {"w": xr.normal(k[2], (4, 2))}}
    tx = _MORE_OPTIMIZERS[opt]()

    def step(p, s, g):
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s, optim.global_norm(u)

    g = {"0": {"w": xr.normal(k[3], (4, 2, 3, 3)).permute(2, 3, 1, 0), "b": params["0"]["b"] * 2},
         "1": {}, "2": {"w": params["2"]["w"] - 1}}

    def run(f, n=STEPS):
        out, outs = (params, tx.init(params)), []
        for _ in range(n):
            out = f(*out[:2], g)
            outs.append(out)
        return outs

    eager = run(step)
    cnt = CompileCounterWithBackend("aot_eager")
    got = run(torch.compile(step, fullgraph=True, backend=cnt))
    assert cnt.frame_count == 1
    for i, (a, b) in enumerate(zip(got, eager)):
        _assert_same(a, b, f"step {i + 1}")


def test_optimizer_state_keeps_param_layout():
    """New optimizer state has the params' strides even for a permuted gradient (torch gives an
    elementwise result its first operand's layout), so a compiled step fed its own state meets
    the same stride guards and does not recompile."""
    p = {"w": torch.zeros(3, 3, 2, 4)}
    g = {"w": torch.randn(4, 2, 3, 3).permute(2, 3, 1, 0)}
    for tx in (optim.adam(1e-2), optim.sgd(1e-2, momentum=0.9), optim.rmsprop(1e-2, centered=True),
               optim.lion(1e-3), optim.adagrad(1e-2)):
        s = tx.init(p)
        _, s2 = tx.update(g, s, p)
        for a, b in zip(nn.tree_leaves(s), nn.tree_leaves(s2)):
            assert a.stride() == b.stride()


@pytest.mark.parametrize("model", ["mlp", "block"])
def test_inductor_train_step(model):
    """The benchmark's two models through the real compiler (inductor): one frame, eager
    values."""
    if model == "mlp":
        make, inp = (lambda: nn.MLP((16, 16, 4))), (8, 16)
    else:
        make, inp = (lambda: nn.TransformerBlock(2, 32)), (8, 8, 16)
    layer, trainable, state, data, key = _setup(model, make, inp)
    # eps 1e-3: the attention key bias has a gradient of exactly 0 in exact arithmetic (softmax
    # ignores a shift of a row's logits), so Adam with a tiny eps turns the compilers' different
    # rounding noise there into updates of +-lr
    tx = optim.adam(1e-2, eps=1e-3)
    step = _make_step(layer, tx)
    args = (trainable, state, tx.init(trainable), data, key)
    eager = step(*args)
    cnt = CompileCounterWithBackend("inductor")
    compiled = torch.compile(step, fullgraph=True, backend=cnt)
    out = compiled(*args)
    _assert_same(out, eager, "step 1")
    out = compiled(*out[:3], data, key)
    assert cnt.frame_count == 1


# --- devices (CPU here; the same code paths take "cuda:0") ---------------------------------------
def _tree(backend):
    layer = nn.Sequential(nn.Dense(3), F.relu, nn.BatchNorm())
    params, state = layer.init_with_state(xr.key(0, backend=backend), (2, 4))
    return layer, {"params": params, "state": state}


@pytest.mark.parametrize("device", ["cpu", "torch.device"])
def test_load_onto_torch_device(tmp_path, device):
    dev = torch.device("cpu") if device == "torch.device" else device
    layer, tree = _tree("numpy")
    path = tmp_path / "ck.npz"
    nn.save(path, tree)
    got = nn.load(path, backend="torch", device=dev)
    for (n, a), (_, b) in zip(nn.flatten_with_names(got), nn.flatten_with_names(tree)):
        assert isinstance(a, torch.Tensor) and a.device == torch.device("cpu"), n
        np.testing.assert_array_equal(a.numpy(), b)
    y, _ = layer.apply_with_state(got["params"], got["state"], torch.ones(2, 4))
    assert y.device.type == "cpu"


def test_load_device_other_backends(tmp_path):
    _, tree = _tree("numpy")
    path = tmp_path / "ck.npz"
    nn.save(path, tree)
    for a, b in zip(nn.tree_leaves(nn.load(path, device="cpu")), nn.tree_leaves(tree)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="device"):
        nn.load(path, backend="numpy", device="cuda:0")


@pytest.mark.needs_backend("jax")
def test_load_onto_jax_device(tmp_path):
    import jax
    _, tree = _tree("numpy")
    path = tmp_path / "ck.npz"
    nn.save(path, tree)
    cpu = jax.devices("cpu")[0]
    for dev in ("cpu", "cpu:0", cpu):
        got = nn.load(path, backend="jax", device=dev)
        for a, b in zip(nn.tree_leaves(got), nn.tree_leaves(tree)):
            assert isinstance(a, jax.Array) and a.devices() == {cpu}
            np.testing.assert_array_equal(np.asarray(a), b)


def test_to_torch_keeps_params_device():
    layer, tree = _tree("torch")
    dev = torch.device("cpu")
    mod = nn.to_torch(layer, tree["params"], tree["state"])
    for name, t in list(mod.named_parameters()) + list(mod.named_buffers()):
        assert t.device == dev, name
    # parameters share memory with torch params (no copy onto another device)
    assert mod.get_parameter("0.w").data_ptr() == tree["params"]["0"]["w"].data_ptr()
    y = mod.train()(torch.ones(2, 4))
    assert y.device == dev and mod.get_buffer("2.mean").device == dev
    # from a checkpoint loaded onto the device
    _, np_tree = _tree("numpy")
    mod2 = nn.to_torch(layer, *nn.tree_map(lambda a: torch.from_numpy(a), (np_tree["params"],
                                                                          np_tree["state"])))
    assert {p.device for p in mod2.parameters()} == {dev}

"""xops.nn.train / evaluate / predict and the pieces under them: the same call trains the
digits model (dropout included, so the per-step keys matter) on every backend to the same
history; the step-down path (make_train_step + own loop) gives the same parameters; stateful
layers, data forms, donation safety and the plain progress bar."""
from __future__ import annotations

import numpy as np
import pytest

import xops
from xops import nn
from xops import random as xr
from xops.nn import functional as F
from xops.nn import metrics, optim

from .conftest import INSTALLED, handle, needs_backend

pytest.importorskip("optree", reason="xops.nn needs optree")

MODEL = nn.MLP((64, 10), activation="relu")
LOSS = F.sparse_softmax_cross_entropy


def _digits():
    sk = pytest.importorskip("sklearn.datasets")
    d = sk.load_digits()
    x = (d.data / 16.0).astype(np.float32)
    y = d.target.astype(np.int32)
    perm = np.random.default_rng(0).permutation(len(x))
    train, test = perm[:512], perm[512:872]
    return x[train], y[train], x[test], y[test]


def _fit(name: str, jit: bool):
    xtr, ytr, xte, yte = _digits()
    params = MODEL.init(xr.key(0, backend=name), (64, 64))
    tx = optim.adam(2e-2)
    return nn.train(MODEL, params, tx, LOSS,
                    nn.batches(xtr, ytr, batch_size=64, shuffle=True, drop_remainder=True),
                    epochs=2, metrics=["accuracy"], validation_data=[(xte, yte)],
                    backend=name, key=1, jit=jit, progress=False)


_RESULTS: dict = {}


def _result(name: str):
    if name not in _RESULTS:
        # torch.compile (inductor) takes about a minute for this step on a 2-core CPU, so torch
        # runs eagerly here; test_train_step_under_torch_compile compiles the same step
        _RESULTS[name] = _fit(name, jit=name != "torch")
    return _RESULTS[name]


def test_same_call_same_accuracy_on_every_backend(backend):
    params, opt_state, hist = _result(backend.name)
    ref = _result("numpy")[2]
    assert set(hist) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 2 for v in hist.values())
    assert hist["val_accuracy"][-1] > 0.8, hist
    assert hist["loss"][-1] < hist["loss"][0]
    for k in hist:
        np.testing.assert_allclose(hist[k], ref[k], rtol=2e-4, atol=2e-4, err_msg=k)
    assert all(backend.is_native(v) for v in nn.tree_leaves(params))
    assert all(backend.is_native(v) for v in nn.tree_leaves(opt_state))


def test_step_down_loop_gives_the_same_params():
    """train(...) == make_train_step + a hand-written loop with the same batches and keys."""
    name = "jax" if "jax" in INSTALLED else "numpy"
    h = handle(name)
    xtr, ytr, _, _ = _digits()
    model = nn.MLP((32, 10), dropout_rate=0.2)
    tx = optim.sgd(0.1, momentum=0.9)
    params = model.init(h.key(0), (32, 64))
    data = [(h.arr(xtr[i:i + 32]), h.arr(ytr[i:i + 32])) for i in range(0, 128, 32)]
    p1, s1, hist = nn.train(model, params, tx, LOSS, data, epochs=2, key=5, progress=False)

    step = nn.make_train_step(model, LOSS, tx)
    p2, s2 = params, tx.init(params)
    key, i, losses = xr.key(5, like=data[0][0]), 0, []
    for _ in range(2):
        for x, y in data:
            p2, s2, loss, _ = step(p2, s2, x, y, xr.fold_in(key, i))
            losses.append(float(h.np(loss)))
            i += 1
    for a, b in zip(nn.tree_leaves(p1), nn.tree_leaves(p2)):
        np.testing.assert_allclose(h.np(a), h.np(b), rtol=1e-5, atol=1e-6)
    assert hist["loss"][-1] == pytest.approx(np.mean(losses[4:]), rel=1e-5)
    # the caller's params survive the donating compiled step (train copies them first)
    assert np.isfinite(h.np(nn.tree_leaves(params)[0])).all()


def test_train_step_under_torch_compile():
    """The step train builds compiles as one torch graph (dynamo, fullgraph) and equals eager."""
    torch = needs_backend("torch")
    h = handle("torch")
    xtr, ytr, _, _ = _digits()
    x, y = h.arr(xtr[:32]), h.arr(ytr[:32])
    tx = optim.adam(1e-2)
    params = MODEL.init(h.key(0), (32, 64))
    eager = nn.make_train_step(MODEL, LOSS, tx, jit=False)
    p_e, s_e, loss_e, _ = eager(params, tx.init(params), x, y, h.key(3))

    def step(p, s, x, y, k):
        return eager(p, s, x, y, k)

    compiled = torch.compile(step, backend="eager", fullgraph=True)
    p_c, s_c, loss_c, _ = compiled(params, tx.init(params), x, y, h.key(3))
    assert float(loss_c) == pytest.approx(float(loss_e), rel=1e-6)
    for a, b in zip(nn.tree_leaves(p_e), nn.tree_leaves(p_c)):
        np.testing.assert_allclose(h.np(a), h.np(b), rtol=1e-5, atol=1e-6)


def test_stateful_layer_evaluate_predict():
    name = "jax" if "jax" in INSTALLED else "numpy"
    h = handle(name)
    xtr, ytr, xte, yte = _digits()
    model = nn.Sequential(nn.Dense(32), nn.BatchNorm(), F.relu, nn.Dense(10))
    params, state = model.init_with_state(h.key(0), (64, 64))
    data = nn.batches(xtr, ytr, batch_size=64, drop_remainder=True)
    (p, new_state), _, hist = nn.train(model, (params, state), optim.adam(1e-2), LOSS, data,
                                       epochs=2, backend=name, progress=False,
                                       metrics=[metrics.f1_score(10, "macro")])
    assert not np.allclose(h.np(new_state["1"]["mean"]), h.np(state["1"]["mean"]))
    assert hist["f1"][-1] > hist["f1"][0]
    res = nn.evaluate(model, (p, new_state), (xte, yte), loss=LOSS, backend=name,
                      metrics={"acc": metrics.accuracy(), "top3": metrics.top_k_accuracy(3)})
    assert set(res) == {"loss", "acc", "top3"} and res["top3"] >= res["acc"] > 0.7
    out = nn.predict(model, (p, new_state), xte, batch_size=100, backend=name)
    assert h.is_native(out) and tuple(out.shape) == (len(xte), 10)
    acc = (h.np(out).argmax(-1) == yte).mean()
    assert acc == pytest.approx(res["acc"], abs=1e-6)


def test_data_forms_and_errors(backend):
    xtr, ytr, _, _ = _digits()
    model = nn.Dense(10)
    params = model.init(backend.key(0), (16, 64))
    native = [(backend.arr(xtr[i:i + 16]), backend.arr(ytr[i:i + 16])) for i in (0, 16)]
    tx = optim.sgd(0.1)
    # native batches, a callable epoch -> iterable, no jit
    _, _, h1 = nn.train(model, params, tx, LOSS, native, epochs=2, jit=False, progress=False)
    _, _, h2 = nn.train(model, params, tx, LOSS, lambda epoch: iter(native), epochs=2,
                        jit=False, progress=False)
    assert h1 == h2 and len(h1["loss"]) == 2
    # a one-shot iterator trains one epoch only
    _, _, h3 = nn.train(model, params, tx, LOSS, iter(native), jit=False, progress=False)
    assert h3["loss"] == h1["loss"][:1]
    with pytest.raises(ValueError, match="one-shot"):
        nn.train(model, params, tx, LOSS, iter(native), epochs=2, progress=False)
    with pytest.raises(ValueError, match="needs backend"):
        nn.train(model, params, tx, LOSS, native, device="cpu", progress=False)
    with pytest.raises(ValueError, match="unknown metric"):
        nn.train(model, params, tx, LOSS, native, metrics=["nope"], progress=False)
    with pytest.raises(TypeError, match="pair"):
        nn.train(model, params, tx, LOSS, [native[0][0]], jit=False, progress=False)
    out = nn.predict(model, params, native, jit=False)
    assert backend.is_native(out) and tuple(out.shape) == (32, 10)


def test_plain_progress_bar(capsys):
    bar = nn.training.ProgressBar(4, "epoch 1/1")
    if bar._tqdm is not None:  # pragma: no cover - tqdm installed
        pytest.skip("tqdm draws the bar")
    for _ in range(4):
        bar.update(1, {"loss": 0.5})
    bar.close({"loss": 0.25, "accuracy": 0.9})
    err = capsys.readouterr().err
    assert "epoch 1/1 [" in err and "4/4" in err and "loss 0.2500" in err
    assert "accuracy 0.9000" in err and err.endswith("\n")


def test_batches():
    x = np.arange(10)
    b = nn.batches(x, x * 2, batch_size=4, shuffle=True, seed=3)
    assert len(b) == 3 and len(nn.batches(x, batch_size=4, drop_remainder=True)) == 2
    e1, e2 = list(b), list(b)
    assert [len(p[0]) for p in e1] == [4, 4, 2]
    assert sorted(np.concatenate([p[0] for p in e1])) == list(range(10))
    assert not all(np.array_equal(a[0], c[0]) for a, c in zip(e1, e2))  # reshuffled
    assert all(np.array_equal(p[1], p[0] * 2) for p in e1)
    with pytest.raises(ValueError, match="lengths"):
        nn.batches(x, x[:3])


def test_exports():
    assert nn.train is nn.training.train and nn.metrics.accuracy is metrics.accuracy
    assert xops.nn.TrainResult._fields == ("params", "opt_state", "history")

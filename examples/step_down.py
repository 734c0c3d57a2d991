"""The digits model of examples/digits.py trained without ``xops.nn.train``: each way below
takes away one layer of help, down to raw ``xops.numpy`` ops (docs/training.md explains them).

    python examples/step_down.py                          # jax (or numpy), every way
    python examples/step_down.py --backend torch --way ops --epochs 5

1. ``step``: the compiled step ``train`` uses (``nn.make_train_step``) in a loop of your own,
   with ``xops.nn.metrics`` for the running loss and accuracy.
2. ``grad``: your own step from ``xops.value_and_grad``, an ``xops.nn.optim`` optimizer and
   ``xops.jit``; the model is still an ``xops.nn`` layer.
3. ``ops``: no layers and no optimizer library: a two-layer perceptron written with
   ``xops.numpy`` ops, initialised with ``xops.random``, updated by hand-written SGD with
   momentum.

All three start from the same seed and see the same batches on every backend.
Needs scikit-learn for the dataset.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import xops
from xops import nn
from xops import numpy as xnp
from xops import random as xr
from xops.backends import installed_backends
from xops.nn import functional as F
from xops.nn import metrics, optim

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from digits import load_digits_split  # noqa: E402  (the same split as examples/digits.py)

BATCH = 64


def way_step(backend: str, epochs: int, jit: bool) -> float:
    """1. make_train_step + a hand-written loop."""
    xtr, ytr, xte, yte = load_digits_split()
    model = nn.MLP((128, 64, 10), activation="relu")
    tx = optim.adam(3e-3)
    params = model.init(xr.key(0, backend=backend), (BATCH, xtr.shape[1]))
    opt_state = tx.init(params)
    step = nn.make_train_step(model, F.sparse_softmax_cross_entropy, tx, jit=jit)
    acc, mean = metrics.accuracy(), metrics.mean("loss")

    def track(states, loss, logits, y):  # metric states are pytrees: compiled like a step
        return {"loss": mean.update(states["loss"], loss),
                "accuracy": acc.update(states["accuracy"], logits, y)}

    track = xops.jit(track) if jit else track
    data = nn.batches(xtr, ytr, batch_size=BATCH, shuffle=True, drop_remainder=True)
    for epoch in range(epochs):
        states = {"loss": mean.init(like=params["0"]["w"]),
                  "accuracy": acc.init(like=params["0"]["w"])}
        for xb, yb in data:
            x, y = xops.convert(xb, backend), xops.convert(yb, backend)
            params, opt_state, loss, logits = step(params, opt_state, x, y, None)
            states = track(states, loss, logits, y)
        loss_v = float(xops.convert(mean.compute(states["loss"]), "numpy"))
        acc_v = float(xops.convert(acc.compute(states["accuracy"]), "numpy"))
        print(f"  epoch {epoch + 1}: loss {loss_v:.4f} train accuracy {acc_v:.3f}",
              file=sys.stderr)
    # evaluation: the inference step, then one metric update over the whole test set
    _, logits = nn.make_eval_step(model, jit=jit)(params, xops.convert(xte, backend))
    s = acc.update(acc.init(like=logits), logits, xops.convert(yte, backend))
    return float(xops.convert(acc.compute(s), "numpy"))


def way_grad(backend: str, epochs: int, jit: bool) -> float:
    """2. xops.value_and_grad + an xops.nn.optim optimizer + xops.jit."""
    xtr, ytr, xte, yte = load_digits_split()
    model = nn.MLP((128, 64, 10), activation="relu")
    tx = optim.adam(3e-3)
    params = model.init(xr.key(0, backend=backend), (BATCH, xtr.shape[1]))
    opt_state = tx.init(params)

    def loss_fn(p, x, y):
        return F.sparse_softmax_cross_entropy(model.apply(p, x), y)

    def step(p, s, x, y):
        loss, grads = xops.value_and_grad(loss_fn)(p, x, y)
        updates, s = tx.update(grads, s, p)
        return optim.apply_updates(p, updates), s, loss

    params, _ = _epochs(xops.jit(step) if jit else step, (params, opt_state), backend, epochs)
    return _accuracy(lambda x: model.apply(params, x), backend)


def way_ops(backend: str, epochs: int, jit: bool) -> float:
    """3. raw ops: the model, the loss and SGD with momentum written with xops.numpy."""
    xtr, ytr, xte, yte = load_digits_split()
    k1, k2 = xr.split(xr.key(0, backend=backend))
    n_in, n_hidden = xtr.shape[1], 128
    params = {  # LeCun-normal weights, zero biases
        "w1": xr.normal(k1, (n_in, n_hidden)) * n_in ** -0.5,
        "b1": xnp.zeros(n_hidden, dtype=xnp.float32, like=k1),
        "w2": xr.normal(k2, (n_hidden, 10)) * n_hidden ** -0.5,
        "b2": xnp.zeros(10, dtype=xnp.float32, like=k1),
    }
    velocity = {k: xnp.zeros_like(v) for k, v in params.items()}

    def forward(p, x):
        h = xnp.maximum(xnp.matmul(x, p["w1"]) + p["b1"], 0.0)
        return xnp.matmul(h, p["w2"]) + p["b2"]

    def loss_fn(p, x, y):
        logits = forward(p, x)
        logits = logits - xops.stop_gradient(xnp.max(logits, axis=-1, keepdims=True))
        logz = xnp.log(xnp.sum(xnp.exp(logits), axis=-1))
        picked = xnp.take_along_axis(logits, xnp.expand_dims(xnp.astype(y, xnp.int32), -1),
                                     axis=-1)[..., 0]
        return xnp.mean(logz - picked)

    def step(p, v, x, y):
        loss, g = xops.value_and_grad(loss_fn)(p, x, y)
        v = {k: 0.9 * v[k] + g[k] for k in p}
        return {k: p[k] - 0.05 * v[k] for k in p}, v, loss

    params, _ = _epochs(xops.jit(step) if jit else step, (params, velocity), backend, epochs)
    return _accuracy(lambda x: forward(params, x), backend)



def _epochs(step, state: tuple, backend: str, epochs: int) -> tuple:
    """``epochs`` passes of ``state = step(*state, x, y)[:2]`` over shuffled digits batches."""
    xtr, ytr, _, _ = load_digits_split()
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        order = rng.permutation(len(xtr))
        for b in range(len(xtr) // BATCH):
            idx = order[b * BATCH:(b + 1) * BATCH]
            state = step(*state, xops.convert(xtr[idx], backend),
                         xops.convert(ytr[idx], backend))[:2]
    return state


def _accuracy(predict, backend: str) -> float:
    """Test accuracy of ``predict`` (native logits of a native batch)."""
    _, _, xte, yte = load_digits_split()
    pred = xnp.argmax(predict(xops.convert(xte, backend)), axis=-1)
    return float(np.mean(xops.convert(pred, "numpy") == yte))


WAYS = {"step": way_step, "grad": way_grad, "ops": way_ops}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = "jax" if "jax" in installed_backends() else "numpy"
    ap.add_argument("--backend", default=default, help=f"numpy, jax, torch or tensorflow "
                                                      f"(default {default})")
    ap.add_argument("--way", default="all", choices=[*WAYS, "all"])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--no-jit", action="store_true", help="run eagerly")
    args = ap.parse_args(argv)
    ways = list(WAYS) if args.way == "all" else [args.way]
    print(f"\n| way ({args.backend}) | test accuracy | seconds |\n|---|---:|---:|")
    worst = 1.0
    for w in ways:
        t0 = time.perf_counter()
        acc = WAYS[w](args.backend, args.epochs, not args.no_jit)
        worst = min(worst, acc)
        print(f"| {w} | {acc:.3f} | {time.perf_counter() - t0:.1f} |", flush=True)
    return 0 if worst > 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())

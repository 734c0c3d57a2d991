"""Train one xops.nn classifier on the 8x8 handwritten digits that scikit-learn ships, on every
installed backend, and print the test accuracy per backend.

    python examples/digits.py                    # every installed backend
    python examples/digits.py --backend torch --epochs 20
    python examples/digits.py --backend torch --device cuda

The model, loss and optimizer are written once with xops (``xops.nn``, ``xops.nn.optim``) and
trained with one call, ``xops.nn.train`` (the step under ``xops.jit``, a progress bar, metrics,
validation); only the arrays change: numpy arrays, jax arrays, torch tensors or tensorflow
tensors. examples/step_down.py trains the same model with the pieces ``train`` is made of, down
to raw ops; docs/training.md walks through both. The same key gives the same initial
weights everywhere and the batches are the same, so the accuracies agree closely.
``--device`` (a torch device string: cpu by default, cuda, cuda:1, ...) puts the data, the key
and so every parameter and optimizer state on that device: torch tensors on it, jax arrays on
jax's device of that platform (its default device when it has none), tensorflow tensors under
``tf.device``; numpy runs on the CPU only and is skipped. xops never moves data: the arrays are
made on the device once, and every op and update stays there.
Needs scikit-learn (``pip install 'xops[examples]'``) for the dataset.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import xops
from xops import nn
from xops import random as xr
from xops.backends import installed_backends
from xops.nn import functional as F
from xops.nn import metrics, optim


def load_digits_split(seed: int = 0) -> tuple[np.ndarray, ...]:
    try:
        from sklearn.datasets import load_digits
    except ImportError:  # pragma: no cover - depends on the environment
        sys.exit("examples/digits.py needs scikit-learn for the dataset: "
                 "pip install 'xops[examples]' (or scikit-learn)")
    data = load_digits()
    x = (data.data / 16.0).astype(np.float32)  # pixels are 0..16
    y = data.target.astype(np.int32)
    perm = np.random.default_rng(seed).permutation(len(x))
    n_test = len(x) // 5
    test, train = perm[:n_test], perm[n_test:]
    return x[train], y[train], x[test], y[test]


def to_native(backend: str, a: np.ndarray, device: str = "cpu"):
    """The dataset (NumPy) as arrays of ``backend`` on ``device``: the one conversion and the
    one transfer in the script."""
    x = xops.convert(a, backend)
    plat, _, idx = device.partition(":")
    if backend == "torch":
        return x.to(device)
    if plat == "cpu" or backend == "numpy":
        return x
    if backend == "jax":
        import jax
        try:
            dev = jax.devices({"cuda": "gpu", "rocm": "gpu"}.get(plat, plat))[int(idx or 0)]
        except RuntimeError:  # jax has no such platform: its default device
            return x
        return jax.device_put(x, dev)
    if backend == "tensorflow":
        import tensorflow as tf
        name = "GPU" if plat in ("cuda", "gpu", "rocm") else plat.upper()
        with tf.device(f"/{name}:{idx or 0}"):
            return tf.identity(x)
    return x


def train(backend: str, epochs: int, batch_size: int = 64, seed: int = 0,
          jit: bool = True, device: str = "cpu") -> dict:
    xtr, ytr, xte, yte = load_digits_split(seed)
    model = nn.MLP((128, 64, 10), activation="relu")
    tx = optim.adam(optim.cosine_decay_schedule(3e-3, epochs * (len(xtr) // batch_size)))
    # the key takes the backend and device of an array on the device; every parameter and
    # optimizer state drawn or made from it follows
    key = xr.key(seed, like=to_native(backend, np.zeros(1, np.float32), device))
    params = model.init(key, (batch_size, xtr.shape[1]))
    t0 = time.perf_counter()
    # one call: the NumPy batches become arrays of the backend on the device one at a time,
    # the step runs under xops.jit, loss and metrics are read back when the bar redraws
    params, opt_state, history = nn.train(
        model, params, tx, F.sparse_softmax_cross_entropy,
        nn.batches(xtr, ytr, batch_size=batch_size, shuffle=True, seed=seed,
                   drop_remainder=True),
        epochs=epochs, metrics=[metrics.accuracy()],
        validation_data=[(to_native(backend, xte, device), to_native(backend, yte, device))],
        backend=backend, device=None if device == "cpu" else device, jit=jit,
        progress=backend)
    return {"backend": backend, "loss": history["loss"][-1],
            "accuracy": history["val_accuracy"][-1], "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", default="all",
                    help="numpy, jax, torch, tensorflow or all (default: every installed one)")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--no-jit", action="store_true",
                    help="run eagerly (skips compile time: torch.compile takes about a minute "
                         "on a small CPU)")
    ap.add_argument("--device", default="cpu",
                    help="cpu (default), cuda, cuda:1, ...: where the data and parameters live")
    args = ap.parse_args(argv)
    names = installed_backends() if args.backend == "all" else [args.backend]
    if args.device.split(":")[0] != "cpu" and "numpy" in names:
        if args.backend == "numpy":
            sys.exit(f"examples/digits.py: numpy runs on the CPU only, not {args.device}")
        print(f"skipping numpy: it runs on the CPU only, not {args.device}", file=sys.stderr)
        names = [n for n in names if n != "numpy"]
    results = [train(name, args.epochs, jit=not args.no_jit, device=args.device)
               for name in names]
    print("\n| backend | final train loss | test accuracy | seconds |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['backend']} | {r['loss']:.4f} | {r['accuracy']:.3f} | {r['seconds']:.1f} |")
    worst = min(r["accuracy"] for r in results)
    return 0 if worst > 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())

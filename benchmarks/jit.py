"""Compiled xops function vs the same function hand-written with native ops and compiled natively.

For each backend: ``xops.xla.jit(f_xops)`` against ``jax.jit(f_jnp)`` /
``torch.compile(f_torch)`` / ``tf.function(f_tf, jit_compile=True)``, timed in alternating rounds
in one process (so drift hits both sides equally); the ratio is median(xops) / median(native).
Targets: <= 1.02 on jax and torch, <= 1.05 on tensorflow. A benchmark, not a test: it prints.

    python benchmarks/jit.py [--backends jax,torch,tensorflow] [--quick] [--torch-backend eager]
                             [--torch-threads 1]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xops import numpy as xnp
from xops import xla

TARGET = {"jax": 1.02, "torch": 1.02, "tensorflow": 1.05}


def block_xops(x: Any, w1: Any, b1: Any, w2: Any, g: Any, labels: Any) -> Any:
    """MLP block + layer norm + softmax cross-entropy, written once with xnp."""
    h = xnp.maximum(xnp.matmul(x, w1) + b1, 0.0)
    h = xnp.matmul(h, w2)
    mu = xnp.mean(h, axis=-1, keepdims=True)
    var = xnp.mean(xnp.square(h - mu), axis=-1, keepdims=True)
    h = (h - mu) / xnp.sqrt(var + 1e-5) * g
    m = xnp.max(h, axis=-1, keepdims=True)
    lse = xnp.log(xnp.sum(xnp.exp(h - m), axis=-1, keepdims=True)) + m
    return -xnp.mean(xnp.take_along_axis(h - lse, xnp.expand_dims(labels, -1), axis=-1))


def native(name: str) -> Callable:
    if name == "jax":
        import jax.numpy as ns
        tal = ns.take_along_axis

        def relu_max(a: Any) -> Any:
            return ns.maximum(a, 0.0)
    elif name == "torch":
        import torch

        class ns:
            matmul = torch.matmul
            exp = torch.exp
            log = torch.log
            sqrt = torch.sqrt
            square = torch.square
            expand_dims = torch.unsqueeze

            @staticmethod
            def max(a, axis, keepdims):
                return torch.amax(a, dim=axis, keepdim=keepdims)

            @staticmethod
            def mean(a, axis=None, keepdims=False):
                return torch.mean(a) if axis is None else torch.mean(a, dim=axis,
                                                                     keepdim=keepdims)

            @staticmethod
            def sum(a, axis, keepdims):
                return torch.sum(a, dim=axis, keepdim=keepdims)

        def tal(a: Any, i: Any, axis: int) -> Any:
            return torch.take_along_dim(a, i, dim=axis)

        relu_max = torch.relu
    else:
        import tensorflow as tf

        class ns:
            matmul = tf.matmul
            exp = tf.exp
            log = tf.math.log
            sqrt = tf.sqrt
            square = tf.square

            @staticmethod
            def mean(a, axis=None, keepdims=False):
                return tf.reduce_mean(a, axis=axis, keepdims=keepdims)

            @staticmethod
            def max(a, axis, keepdims):
                return tf.reduce_max(a, axis=axis, keepdims=keepdims)

            @staticmethod
            def sum(a, axis, keepdims):
                return tf.reduce_sum(a, axis=axis, keepdims=keepdims)

            @staticmethod
            def expand_dims(a, axis):
                return tf.expand_dims(a, axis)

        def tal(a: Any, i: Any, axis: int) -> Any:
            return tf.gather(a, i, batch_dims=1, axis=1)

        relu_max = tf.nn.relu

    def block(x: Any, w1: Any, b1: Any, w2: Any, g: Any, labels: Any) -> Any:
        h = relu_max(ns.matmul(x, w1) + b1)
        h = ns.matmul(h, w2)
        mu = ns.mean(h, axis=-1, keepdims=True)
        var = ns.mean(ns.square(h - mu), axis=-1, keepdims=True)
        h = (h - mu) / ns.sqrt(var + 1e-5) * g
        m = ns.max(h, axis=-1, keepdims=True)
        lse = ns.log(ns.sum(ns.exp(h - m), axis=-1, keepdims=True)) + m
        return -ns.mean(tal(h - lse, ns.expand_dims(labels, -1), axis=-1))

    return block


def make_args(name: str, batch: int, dim: int) -> tuple:
    r = np.random.default_rng(0)
    a = [r.standard_normal(s).astype(np.float32) * 0.1
         for s in [(batch, dim), (dim, dim), (dim,), (dim, dim), (dim,)]]
    labels = r.integers(0, dim, size=batch).astype(np.int64 if name != "jax" else np.int32)
    if name == "jax":
        import jax.numpy as jnp
        return tuple(jnp.asarray(v) for v in a) + (jnp.asarray(labels),)
    if name == "torch":
        import torch
        return tuple(torch.from_numpy(v) for v in a) + (torch.from_numpy(labels),)
    import tensorflow as tf
    return tuple(tf.constant(v) for v in a) + (tf.constant(labels),)


def compile_native(name: str, fn: Callable, torch_backend: str) -> Callable:
    if name == "jax":
        import jax
        return jax.jit(fn)
    if name == "torch":
        import torch
        return torch.compile(fn, fullgraph=True, backend=torch_backend)
    import tensorflow as tf
    return tf.function(fn, jit_compile=True)


def sync(name: str, out: Any) -> None:
    if name == "jax":
        out.block_until_ready()
    elif name == "tensorflow":
        out.numpy()


def bench(name: str, rounds: int, inner: int, batch: int, dim: int,
          torch_backend: str) -> tuple[float, float, float]:
    args = make_args(name, batch, dim)
    opts = {"torch": {"fullgraph": True, "backend": torch_backend}}
    fx = xla.jit(block_xops, options=opts)
    fn = compile_native(name, native(name), torch_backend)
    a, b = fx(*args), fn(*args)  # compile both
    assert abs(float(a) - float(b)) < 1e-3 * max(1.0, abs(float(b))), (float(a), float(b))
    for _ in range(3):
        sync(name, fx(*args))
        sync(name, fn(*args))
    tx, tn = [], []
    for r in range(rounds):
        order = ((fx, tx), (fn, tn)) if r % 2 == 0 else ((fn, tn), (fx, tx))
        for f, acc in order:
            t0 = time.perf_counter()
            for _ in range(inner):
                out = f(*args)
            sync(name, out)
            acc.append((time.perf_counter() - t0) / inner)
    mx, mn = statistics.median(tx), statistics.median(tn)
    return mx * 1e6, mn * 1e6, mx / mn


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", default="jax,torch,tensorflow")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--torch-backend", default="inductor")
    p.add_argument("--torch-threads", type=int, default=0,
                   help="torch.set_num_threads (0: torch's default); 1 steadies a busy machine")
    a = p.parse_args()
    if a.torch_threads and "torch" in a.backends:
        import torch
        torch.set_num_threads(a.torch_threads)
    rounds, inner = (10, 20) if a.quick else (40, 50)
    rows = []
    for name in a.backends.split(","):
        try:
            rows.append((name, *bench(name, rounds, inner, a.batch, a.dim, a.torch_backend)))
        except ImportError as e:
            print(f"{name}: unavailable ({e})")
    print(f"\nMLP block + layer norm + softmax cross-entropy, batch={a.batch} dim={a.dim}, "
          f"{rounds} alternating rounds x {inner} calls, median per call")
    print("| backend    | xops.xla.jit (us) | native compiled (us) | ratio | target |")
    print("|------------|-------------------|----------------------|-------|--------|")
    for name, mx, mn, ratio in rows:
        ok = "ok" if ratio <= TARGET[name] else "OVER"
        print(f"| {name:<10} | {mx:17.1f} | {mn:20.1f} | {ratio:5.3f} "
              f"| <= {TARGET[name]:.2f} {ok} |")


if __name__ == "__main__":
    main()

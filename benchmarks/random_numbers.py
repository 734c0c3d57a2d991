"""1M float32 uniforms and normals: xops.random (Threefry-2x32 written with xops.numpy ops) against
each backend's own generator, eager and jitted, measured side by side in one run.

    python benchmarks/random.py                    # every installed backend
    python benchmarks/random.py --backends numpy,jax --n 1000000 --repeats 5
    python benchmarks/random.py --torch-compile    # also torch.compile (inductor): compiling the
                                                   # unrolled rounds takes minutes

Prints a markdown table of median wall times (ms) and the xops / native ratio. Native generators:
numpy ``default_rng().random/standard_normal``, ``jax.random.uniform/normal``, ``torch.rand/randn``,
``tf.random.stateless_uniform/stateless_normal``. The native and xops calls alternate inside each
repeat so both see the same machine load. Nothing here asserts on time.
"""
from __future__ import annotations

import os
import sys

# This file is named random.py: run as a script, its folder comes first on sys.path and would
# shadow the standard library's ``random`` (which numpy.random imports). Drop that entry.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import argparse
import importlib.util
import statistics
import time
from typing import Any, Callable

import numpy as np


def _timeit(fns: dict[str, Callable[[], Any]], repeats: int, sync: Callable[[Any], Any]
            ) -> dict[str, float]:
    for f in fns.values():  # warm-up (and compile)
        sync(f())
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():  # alternate native and xops in each repeat
            t = time.perf_counter()
            sync(f())
            times[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) * 1e3 for k, v in times.items()}


def bench_numpy(n: int, repeats: int, args: argparse.Namespace) -> list[tuple]:
    from xops import random as xr
    rng = np.random.default_rng(0)
    k = xr.key(0)
    t = _timeit({"nu": lambda: rng.random(n, dtype=np.float32),
                 "xu": lambda: xr.uniform(k, (n,)),
                 "nn": lambda: rng.standard_normal(n, dtype=np.float32),
                 "xn": lambda: xr.normal(k, (n,))}, repeats, lambda x: x)
    return [("numpy", "eager", "uniform", t["nu"], t["xu"]),
            ("numpy", "eager", "normal", t["nn"], t["xn"])]


def bench_jax(n: int, repeats: int, args: argparse.Namespace) -> list[tuple]:
    import jax

    from xops import random as xr
    jk = jax.random.key(0, impl="threefry2x32")
    k = xr.key(0, backend="jax")
    sync = jax.block_until_ready
    rows = []
    t = _timeit({"nu": lambda: jax.random.uniform(jk, (n,)), "xu": lambda: xr.uniform(k, (n,)),
                 "nn": lambda: jax.random.normal(jk, (n,)), "xn": lambda: xr.normal(k, (n,))},
                repeats, sync)
    rows += [("jax", "eager", "uniform", t["nu"], t["xu"]),
             ("jax", "eager", "normal", t["nn"], t["xn"])]
    ju = jax.jit(lambda kk: jax.random.uniform(kk, (n,)))
    jn = jax.jit(lambda kk: jax.random.normal(kk, (n,)))
    xu = jax.jit(lambda kk: xr.uniform(kk, (n,)))
    xn = jax.jit(lambda kk: xr.normal(kk, (n,)))
    t = _timeit({"nu": lambda: ju(jk), "xu": lambda: xu(k), "nn": lambda: jn(jk),
                 "xn": lambda: xn(k)}, repeats, sync)
    rows += [("jax", "jax.jit", "uniform", t["nu"], t["xu"]),
             ("jax", "jax.jit", "normal", t["nn"], t["xn"])]
    return rows


def bench_torch(n: int, repeats: int, args: argparse.Namespace) -> list[tuple]:
    import torch

    from xops import random as xr
    k = xr.key(0, backend="torch")
    rows = []
    t = _timeit({"nu": lambda: torch.rand(n), "xu": lambda: xr.uniform(k, (n,)),
                 "nn": lambda: torch.randn(n), "xn": lambda: xr.normal(k, (n,))},
                repeats, lambda x: x)
    rows += [("torch", "eager", "uniform", t["nu"], t["xu"]),
             ("torch", "eager", "normal", t["nn"], t["xn"])]
    if args.torch_compile:
        cu = torch.compile(lambda: torch.rand(n), fullgraph=True)
        cn = torch.compile(lambda: torch.randn(n), fullgraph=True)
        xu = torch.compile(lambda kk: xr.uniform(kk, (n,)), fullgraph=True)
        xn = torch.compile(lambda kk: xr.normal(kk, (n,)), fullgraph=True)
        t = _timeit({"nu": cu, "xu": lambda: xu(k), "nn": cn, "xn": lambda: xn(k)}, repeats,
                    lambda x: x)
        rows += [("torch", "torch.compile", "uniform", t["nu"], t["xu"]),
                 ("torch", "torch.compile", "normal", t["nn"], t["xn"])]
    return rows


def bench_tensorflow(n: int, repeats: int, args: argparse.Namespace) -> list[tuple]:
    import tensorflow as tf

    from xops import random as xr
    k = xr.key(0, backend="tensorflow")
    seed = tf.constant([0, 0], tf.int32)

    def sync(x: Any) -> Any:
        return x.numpy()

    rows = []
    t = _timeit({"nu": lambda: tf.random.stateless_uniform([n], seed),
                 "xu": lambda: xr.uniform(k, (n,)),
                 "nn": lambda: tf.random.stateless_normal([n], seed),
                 "xn": lambda: xr.normal(k, (n,))}, repeats, sync)
    rows += [("tensorflow", "eager", "uniform", t["nu"], t["xu"]),
             ("tensorflow", "eager", "normal", t["nn"], t["xn"])]
    fu = tf.function(lambda s: tf.random.stateless_uniform([n], s), jit_compile=True)
    fn = tf.function(lambda s: tf.random.stateless_normal([n], s), jit_compile=True)
    xu = tf.function(lambda kk: xr.uniform(kk, (n,)), jit_compile=True)
    xn = tf.function(lambda kk: xr.normal(kk, (n,)), jit_compile=True)
    t = _timeit({"nu": lambda: fu(seed), "xu": lambda: xu(k), "nn": lambda: fn(seed),
                 "xn": lambda: xn(k)}, repeats, sync)
    rows += [("tensorflow", "tf.function(jit_compile)", "uniform", t["nu"], t["xu"]),
             ("tensorflow", "tf.function(jit_compile)", "normal", t["nn"], t["xn"])]
    return rows


BENCHES = {"numpy": bench_numpy, "jax": bench_jax, "torch": bench_torch,
           "tensorflow": bench_tensorflow}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", default=",".join(BENCHES))
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--torch-compile", action="store_true")
    args = p.parse_args()
    rows = []
    for name in args.backends.split(","):
        name = name.strip()
        if importlib.util.find_spec(name) is None:
            print(f"{name}: not installed")
            continue
        rows += BENCHES[name](args.n, args.repeats, args)
    threads = ""
    if importlib.util.find_spec("torch") is not None:
        import torch
        threads = f", torch threads {torch.get_num_threads()}"
    print(f"\n{args.n:,} float32 values, median of {args.repeats} (ms){threads}\n")
    print("| backend | mode | distribution | native ms | xops ms | xops / native |")
    print("|---|---|---|---:|---:|---:|")
    for be, mode, dist, nat, xo in rows:
        print(f"| {be} | {mode} | {dist} | {nat:.2f} | {xo:.2f} | {xo / nat:.1f}x |")


if __name__ == "__main__":
    main()

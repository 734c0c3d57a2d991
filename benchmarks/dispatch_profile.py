"""Where the nanoseconds of a tiny eager call go: the steps of xops' fast path for
``xnp.add(x, y)`` and ``xnp.sum(x)`` timed one by one beside the native call (4-element float32
torch tensors by default; numpy with ``--backend numpy``). Prints only.

    python benchmarks/dispatch_profile.py [--backend torch|numpy] [--number 20000] [--repeat 30]

Each row is the best of ``repeat`` timeit runs of ``number`` calls (the minimum is the least
disturbed estimate of a deterministic step on a shared machine). The steps are what the fast
path executes, in order; their sum is an estimate of the dispatch cost, the last rows the
measured difference.
"""
from __future__ import annotations

import argparse
import timeit

import numpy as np

import xops.numpy as xnp
from xops import _dispatch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="torch", choices=["torch", "numpy"])
    ap.add_argument("--number", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=30)
    a = ap.parse_args()
    if a.backend == "torch":
        import torch
        x, y = torch.ones(4), torch.ones(4)
        native_add, native_sum = torch.add, torch.Tensor.sum
    else:
        x, y = np.ones(4, np.float32), np.ones(4, np.float32)
        native_add, native_sum = np.add, np.sum
    xnp.add(x, y), xnp.sum(x)  # fill the eager caches
    cache = {type(x): {x.dtype: native_add}}
    probe = _dispatch.IS_DYNAMO

    def empty2(a, b, /):
        return None

    def one_frame(a, b, /):  # a Python function whose only work is the native call
        return native_add(a, b)

    env = dict(x=x, y=y, native_add=native_add, native_sum=native_sum, xnp=xnp, cache=cache,
               probe=probe, empty2=empty2, one_frame=one_frame, t=type(x), d=x.dtype)
    steps = [
        ("Python call of a 2-argument function", "empty2(x, y)"),
        ("IS_DYNAMO() (torch.compiler.is_dynamo_compiling, a Python function)", "probe()"),
        ("type(x1), type(x2)", "type(x); type(y)"),
        ("cache.get(type)", "cache.get(t)"),
        ("x1.dtype, x2.dtype", "x.dtype; y.dtype"),
        ("dtype table .get(dtype)", "cache[t].get(d)"),
    ]
    measured = [
        ("native add", "native_add(x, y)"),
        ("one Python frame around the native add", "one_frame(x, y)"),
        ("xnp.add", "xnp.add(x, y)"),
        ("native sum", "native_sum(x)"),
        ("xnp.sum", "xnp.sum(x)"),
    ]

    def best(stmt: str) -> float:
        return min(timeit.repeat(stmt, globals=env, number=a.number, repeat=a.repeat)) \
            / a.number * 1e9

    print(f"{a.backend}, 4-element float32, best of {a.repeat} x {a.number} calls\n")
    print("| step of the add fast path | ns |\n|---|---|")
    total = 0.0
    for label, stmt in steps:
        ns = best(stmt)
        total += ns
        print(f"| {label} | {ns:.0f} |")
    print(f"| sum of the steps | {total:.0f} |\n")
    print("| call | ns |\n|---|---|")
    res = {label: best(stmt) for label, stmt in measured}
    for label, ns in res.items():
        print(f"| {label} | {ns:.0f} |")
    print(f"\nxnp.add - native: {res['xnp.add'] - res['native add']:.0f} ns "
          f"(ratio {res['xnp.add'] / res['native add']:.2f}); one frame alone: "
          f"{res['one Python frame around the native add'] - res['native add']:.0f} ns "
          f"(ratio {res['one Python frame around the native add'] / res['native add']:.2f})")
    print(f"xnp.sum - native: {res['xnp.sum'] - res['native sum']:.0f} ns "
          f"(ratio {res['xnp.sum'] / res['native sum']:.2f})")


if __name__ == "__main__":
    main()

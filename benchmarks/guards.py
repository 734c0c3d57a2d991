"""torch.compile guards and per-call time: a block written with xops against the same block
written with torch, both compiled with a plain ``torch.compile(fn, backend="eager")``.

Counts the guards dynamo installed for each (every leaf guard of the guard tree, plus the
Python-level "epilogue" checks that dynamo adds when one object is reachable two ways: those are
the expensive ones), times one guard evaluation, and times compiled calls (rounds alternate
xops/torch; median of per-round means). Prints only: nothing is asserted here (the structural
bound is tests/test_compile_guards.py).

    python benchmarks/guards.py [--rounds 15] [--show xops|torch]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np

import xops
from xops import numpy as xnp


def xops_block(x, w, b):
    """tests/test_transforms.py's block: MLP layer, leaky relu, layer norm, log-softmax loss."""
    h = xnp.add(xnp.matmul(x, w), b)
    h = xnp.where(xnp.greater(h, 0), h, xnp.multiply(h, 0.01))
    mu = xnp.mean(h, axis=-1, keepdims=True)
    var = xnp.var(h, axis=-1, keepdims=True)
    h = xnp.divide(xnp.subtract(h, mu), xnp.sqrt(xnp.add(var, 1e-5)))
    m = xnp.max(h, axis=-1, keepdims=True)
    lse = xnp.add(xnp.log(xnp.sum(xnp.exp(xnp.subtract(h, m)), axis=-1, keepdims=True)), m)
    logp = xnp.subtract(h, lse)
    return xnp.negative(xnp.mean(xnp.take_along_axis(
        logp, xnp.expand_dims(xnp.argmax(h, axis=-1), -1), axis=-1)))


def torch_block(x, w, b):
    import torch
    h = torch.matmul(x, w) + b
    h = torch.where(h > 0, h, h * 0.01)
    mu = h.mean(-1, keepdim=True)
    var = h.var(-1, keepdim=True, unbiased=False)
    h = (h - mu) / torch.sqrt(var + 1e-5)
    m = h.amax(-1, keepdim=True)
    lse = torch.log(torch.exp(h - m).sum(-1, keepdim=True)) + m
    logp = h - lse
    return -torch.take_along_dim(logp, h.argmax(-1).unsqueeze(-1), -1).mean()


def xops_elementwise(x, y):
    """Elementwise ops only (swish, a scaled residual, a comparison): the dispatch core."""
    s = xnp.multiply(x, xnp.reciprocal(xnp.add(1.0, xnp.exp(xnp.negative(x)))))
    r = xnp.add(xnp.multiply(s, 0.5), xnp.subtract(y, 1))
    return xnp.where(xnp.greater(r, 0), xnp.sqrt(xnp.abs(r)), xnp.divide(r, 2.0))


def torch_elementwise(x, y):
    import torch
    s = x * torch.reciprocal(1.0 + torch.exp(-x))
    r = s * 0.5 + (y - 1)
    return torch.where(r > 0, torch.sqrt(torch.abs(r)), r / 2.0)


def guard_report(fn: Callable) -> dict[str, Any]:
    """Guards dynamo holds for ``fn``'s compiled code: counts by kind and their text."""
    from torch._dynamo.eval_frame import _debug_get_cache_entry_list
    entries = _debug_get_cache_entry_list(fn)
    leaves: list[str] = []
    aliasing: list[str] = []
    for e in entries:
        gm = e.guard_manager

        def visit(m: Any) -> None:
            for g in m.get_leaf_guards():
                leaves.extend(g.verbose_code_parts())
            for c in m.get_child_managers():
                visit(c)

        visit(gm.root)
        for g in gm.root.get_epilogue_lambda_guards():
            aliasing.extend(g.verbose_code_parts())
    return {"entries": len(entries), "guards": len(leaves) + len(aliasing), "leaves": leaves,
            "aliasing": aliasing, "managers": [e.guard_manager for e in entries]}


def compiled(fn: Callable, args: tuple) -> tuple[Callable, dict[str, Any]]:
    import torch
    import torch._dynamo as dynamo
    dynamo.reset()
    c = torch.compile(fn, backend="eager", fullgraph=True)
    c(*args)
    c(*args)
    return c, guard_report(fn)


def time_guard_check(report: dict[str, Any], local_names: tuple[str, ...], args: tuple,
                     n: int = 2000) -> float:
    gm = report["managers"][0]
    loc = dict(zip(local_names, args))
    best = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(n):
            gm.check(loc)
        best.append((time.perf_counter() - t0) / n)
    return min(best) * 1e6


def alternate(fa: Callable, fb: Callable, args: tuple, rounds: int, n: int) -> tuple[float, float]:
    ta, tb = [], []
    for r in range(rounds):
        for first in ((fa, ta), (fb, tb)) if r % 2 == 0 else ((fb, tb), (fa, ta)):
            f, out = first
            t0 = time.perf_counter()
            for _ in range(n):
                f(*args)
            out.append((time.perf_counter() - t0) / n)
    return statistics.median(ta) * 1e6, statistics.median(tb) * 1e6


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--calls", type=int, default=200, help="compiled calls per round")
    p.add_argument("--show", choices=["xops", "torch"], default=None,
                   help="also print every guard of that side (for the block)")
    a = p.parse_args()
    import torch
    xops.get_backend("torch")  # loading the kernel table under tracing is a graph break
    rng = np.random.default_rng(0)
    blk = tuple(torch.from_numpy(rng.standard_normal(s).astype(np.float32))
                for s in ((4, 8), (8, 5), (5,)))
    ew = tuple(torch.from_numpy(rng.standard_normal((4, 8)).astype(np.float32)) for _ in range(2))
    print(f"torch {torch.__version__}, xops {xops.__version__}; torch.compile(backend='eager', "
          f"fullgraph=True); {a.rounds} alternating rounds of {a.calls} calls\n")
    rows = []
    for label, fx, ft, args, names in (("block", xops_block, torch_block, blk, ("x", "w", "b")),
                                       ("elementwise", xops_elementwise, torch_elementwise, ew,
                                        ("x", "y"))):
        cx, rx = compiled(fx, args)
        gx = time_guard_check(rx, names, args)
        ct, rt = compiled(ft, args)
        gt = time_guard_check(rt, names, args)
        np.testing.assert_allclose(cx(*args).detach().numpy(), ct(*args).detach().numpy(),
                                   rtol=1e-5, atol=1e-6)
        ux, ut = alternate(cx, ct, args, a.rounds, a.calls)
        rows.append((label, rx, rt, gx, gt, ux, ut))
        if a.show and label == "block":
            r = rx if a.show == "xops" else rt
            print(f"--- {a.show} guards ---")
            for g in r["leaves"] + r["aliasing"]:
                print("   ", g)
            print()
    head = ("program", "side", "guards", "aliasing", "guard check µs", "per call µs", "vs torch")
    print(" | ".join(head))
    print(" | ".join("-" * len(h) for h in head))
    for label, rx, rt, gx, gt, ux, ut in rows:
        print(f"{label} | torch | {rt['guards']} | {len(rt['aliasing'])} | {gt:.2f} | {ut:.1f} "
              "| 1.00")
        print(f"{label} | xops | {rx['guards']} | {len(rx['aliasing'])} | {gx:.2f} | {ux:.1f} | "
              f"{ux / ut:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

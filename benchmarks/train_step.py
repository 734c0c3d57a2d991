"""One training step (forward, backward, adam update) of an MLP and of a small pre-norm
transformer block: xops.nn + xops.nn.optim against hand-written native code, both compiled,
measured alternately in one run.

    python benchmarks/train_step.py [--backends jax,torch] [--repeats 15] [--steps 10]

- jax: hand-written jnp model + optax.adam under jax.jit, against xops.nn (MLP /
  TransformerBlock) + xops.nn.optim.adam under jax.jit.
- torch: torch.nn (Linear/ReLU stack, TransformerEncoderLayer(norm_first=True)) +
  torch.optim.Adam, model and optimizer step torch.compile'd, against xops.nn +
  xops.nn.optim.adam with the whole step under xops.jit (torch.compile).

Each repeat runs ``--steps`` native steps then ``--steps`` xops steps (synchronised); the table
reports median milliseconds per step and throughput relative to native (native time / xops
time; the target is >= 0.95).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

MLP_SHAPE = dict(batch=256, d_in=256, hidden=(512, 512), classes=10)
TF_SHAPE = dict(batch=8, seq=64, d=128, heads=4, mlp=256)


def _time(pairs: dict[str, Callable[[], Any]], repeats: int, steps: int,
          sync: Callable[[Any], Any]) -> dict[str, float]:
    for f in pairs.values():  # compile + warm up
        for _ in range(2):
            sync(f())
    out: dict[str, list[float]] = {k: [] for k in pairs}
    for _ in range(repeats):
        for k, f in pairs.items():
            t = time.perf_counter()
            r = None
            for _ in range(steps):
                r = f()
            sync(r)
            out[k].append((time.perf_counter() - t) / steps)
    return {k: statistics.median(v) * 1e3 for k, v in out.items()}


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    m = MLP_SHAPE
    x = rng.standard_normal((m["batch"], m["d_in"])).astype(np.float32)
    y = rng.integers(0, m["classes"], m["batch"]).astype(np.int32)
    t = TF_SHAPE
    xs = rng.standard_normal((t["batch"], t["seq"], t["d"])).astype(np.float32)
    return x, y, xs


def _xops_steps(backend: str, x, y, xs):
    """xops.nn models and their (uncompiled) train steps on ``backend`` arrays."""
    import xops
    from xops import nn
    from xops import numpy as xnp
    from xops import random as xr
    from xops.nn import functional as F
    from xops.nn import optim
    m, t = MLP_SHAPE, TF_SHAPE
    mlp = nn.MLP((*m["hidden"], m["classes"]))
    block = nn.TransformerBlock(num_heads=t["heads"], mlp_dim=t["mlp"])
    k1, k2 = xr.split(xr.key(0, backend=backend))
    p_mlp = mlp.init(k1, x)
    p_blk = block.init(k2, xs)
    tx = optim.adam(1e-3)

    def mlp_step(p, s, x, y):
        def loss(p):
            return F.sparse_softmax_cross_entropy(mlp.apply(p, x), y)
        val, g = xops.value_and_grad(loss)(p)
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s, val

    def blk_step(p, s, x):
        def loss(p):
            return xnp.mean(xnp.square(block.apply(p, x)))
        val, g = xops.value_and_grad(loss)(p)
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s, val

    return (mlp_step, p_mlp, tx.init(p_mlp)), (blk_step, p_blk, tx.init(p_blk))


def bench_jax(repeats: int, steps: int) -> list[tuple]:
    import jax
    import jax.numpy as jnp
    import optax
    x_np, y_np, xs_np = _data()
    x, y, xs = jnp.asarray(x_np), jnp.asarray(y_np), jnp.asarray(xs_np)
    t = TF_SHAPE
    (mlp_step, p_mlp, s_mlp), (blk_step, p_blk, s_blk) = _xops_steps("jax", x, y, xs)

    # hand-written jax, same shapes and initial values
    def mlp_fwd(p, x):
        n = len(p)
        for i in range(n):
            x = x @ p[str(i)]["w"] + p[str(i)]["b"]
            if i < n - 1:
                x = jax.nn.relu(x)
        return x

    def ln(p, x, eps=1e-5):
        mu = jnp.mean(x, -1, keepdims=True)
        var = jnp.mean(jnp.square(x - mu), -1, keepdims=True)
        return (x - mu) * jax.lax.rsqrt(var + eps) * p["scale"] + p["bias"]

    def blk_fwd(p, x):
        b, s, d = x.shape
        h = t["heads"]
        a = p["attn"]
        y = ln(p["ln1"], x)

        def proj(name):
            return (y @ a[name]["w"] + a[name]["b"]).reshape(b, s, h, d // h)
        q, k, v = proj("query"), proj("key"), proj("value")
        w = jnp.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(d // h)
        o = jnp.einsum("bhqk,bkhd->bqhd", jax.nn.softmax(w, -1), v).reshape(b, s, d)
        x = x + o @ a["out"]["w"] + a["out"]["b"]
        y = ln(p["ln2"], x)
        mp = p["mlp"]
        y = jax.nn.gelu(y @ mp["0"]["w"] + mp["0"]["b"], approximate=False)
        return x + y @ mp["1"]["w"] + mp["1"]["b"]

    opt = optax.adam(1e-3)

    @jax.jit
    def nat_mlp(p, s, x, y):
        def loss(p):
            return optax.softmax_cross_entropy_with_integer_labels(mlp_fwd(p, x), y).mean()
        val, g = jax.value_and_grad(loss)(p)
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s, val

    @jax.jit
    def nat_blk(p, s, x):
        val, g = jax.value_and_grad(lambda p: jnp.mean(jnp.square(blk_fwd(p, x))))(p)
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s, val

    _check_same_structure(p_blk, ("ln1", "attn", "ln2", "mlp"))
    # same computation: the hand-written models give xops' losses on the same parameters
    for nat, ours, p, s, data in ((nat_mlp, mlp_step, p_mlp, s_mlp, (x, y)),
                                  (nat_blk, blk_step, p_blk, s_blk, (xs,))):
        np.testing.assert_allclose(float(nat(p, opt.init(p), *data)[2]),
                                   float(ours(p, s, *data)[2]), rtol=1e-4)
    xm, xb = jax.jit(mlp_step), jax.jit(blk_step)
    st = {"nm": (p_mlp, opt.init(p_mlp)), "xm": (p_mlp, s_mlp),
          "nb": (p_blk, opt.init(p_blk)), "xb": (p_blk, s_blk)}

    def run(key, f, *data):
        def go():
            p, s, v = f(*st[key], *data)
            st[key] = (p, s)
            return v
        return go

    def sync(v: Any) -> Any:
        return v.block_until_ready()

    tm = _time({"native": run("nm", nat_mlp, x, y), "xops": run("xm", xm, x, y)}, repeats,
               steps, sync)
    tb = _time({"native": run("nb", nat_blk, xs), "xops": run("xb", xb, xs)}, repeats, steps,
               sync)
    return [("jax", "MLP", "jax.jit + optax", tm["native"], tm["xops"]),
            ("jax", "transformer block", "jax.jit + optax", tb["native"], tb["xops"])]


def _check_same_structure(p, keys):
    missing = [k for k in keys if k not in p]
    if missing:
        raise SystemExit(f"train_step.py: TransformerBlock params lack {missing}; update the "
                         "hand-written reference")


def bench_torch(repeats: int, steps: int) -> list[tuple]:
    import torch

    import xops
    torch.set_num_threads(max(1, torch.get_num_threads()))
    x_np, y_np, xs_np = _data()
    x, y, xs = torch.from_numpy(x_np), torch.from_numpy(y_np).long(), torch.from_numpy(xs_np)
    m, t = MLP_SHAPE, TF_SHAPE
    (mlp_step, p_mlp, s_mlp), (blk_step, p_blk, s_blk) = _xops_steps("torch", x, y.int(), xs)

    dims = [m["d_in"], *m["hidden"], m["classes"]]
    layers: list[torch.nn.Module] = []
    for i in range(len(dims) - 1):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(torch.nn.ReLU())
    mlp = torch.nn.Sequential(*layers)
    block = torch.nn.TransformerEncoderLayer(t["d"], t["heads"], t["mlp"], dropout=0.0,
                                             activation="gelu", batch_first=True,
                                             norm_first=True)
    opt_m = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(block.parameters(), lr=1e-3)
    cm, cb = torch.compile(mlp), torch.compile(block)
    step_m, step_b = torch.compile(opt_m.step), torch.compile(opt_b.step)
    ce = torch.nn.functional.cross_entropy

    def nat_mlp():
        opt_m.zero_grad(set_to_none=True)
        loss = ce(cm(x), y)
        loss.backward()
        step_m()
        return loss

    def nat_blk():
        opt_b.zero_grad(set_to_none=True)
        loss = torch.mean(torch.square(cb(xs)))
        loss.backward()
        step_b()
        return loss

    xm, xb = xops.jit(mlp_step), xops.jit(blk_step)
    st = {"m": (p_mlp, s_mlp), "b": (p_blk, s_blk)}
    yi = y.int()

    def x_mlp():
        p, s, v = xm(*st["m"], x, yi)
        st["m"] = (p, s)
        return v

    def x_blk():
        p, s, v = xb(*st["b"], xs)
        st["b"] = (p, s)
        return v

    def sync(v: Any) -> Any:
        return float(v.detach())

    tm = _time({"native": nat_mlp, "xops": x_mlp}, repeats, steps, sync)
    tb = _time({"native": nat_blk, "xops": x_blk}, repeats, steps, sync)
    return [("torch", "MLP", "torch.compile + torch.optim.Adam", tm["native"], tm["xops"]),
            ("torch", "transformer block", "torch.compile + torch.optim.Adam", tb["native"],
             tb["xops"])]


BENCHES = {"jax": bench_jax, "torch": bench_torch}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", default="jax,torch")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--steps", type=int, default=10)
    args = ap.parse_args(argv)
    rows = []
    for name in args.backends.split(","):
        rows += BENCHES[name.strip()](args.repeats, args.steps)
    print("| backend | model | native | native ms/step | xops ms/step | throughput vs native "
          "| target |")
    print("|---|---|---|---:|---:|---:|---|")
    for be, model, how, nat, xo in rows:
        r = nat / xo
        print(f"| {be} | {model} | {how} | {nat:.3f} | {xo:.3f} | {r:.2f}x | >= 0.95x "
              f"{'ok' if r >= 0.95 else 'MISS'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One training step (forward, backward, adam update) of an MLP and of a small pre-norm
transformer block: xops.nn + xops.nn.optim against hand-written native code, both compiled,
measured alternately in one run.

    python benchmarks/train_step.py [--backends jax,torch] [--repeats 15] [--steps 10]
        [--device cpu|cuda|cuda:1|...] [--tiny | --large] [--donate] [--cuda-graphs]
        [--dtype float32|bfloat16|float16|mixed_bfloat16|mixed_float16]

- jax: hand-written jnp model + optax.adam under jax.jit, against xops.nn (MLP /
  TransformerBlock) + xops.nn.optim.adam under xops.jit (jax.jit).
- torch: torch.nn (Linear/ReLU stack, TransformerEncoderLayer(norm_first=True)) +
  torch.optim.Adam, model and optimizer step torch.compile'd, against xops.nn +
  xops.nn.optim.adam with the whole step under xops.jit (torch.compile).

Shapes: the default preset is MLP 256-512-512-10 at batch 256 and a block of width 128, 4
heads, sequence 64, batch 8. ``--tiny``: MLP 16-16-16-4 at batch 8, block width 16, 2 heads,
sequence 8, batch 8 (launch overhead dominates). ``--large``: MLP 1024-4096-4096-1000 at batch
4096, block width 1024, 16 heads, MLP 4096, sequence 512, batch 16 (for a GPU).

Variants: ``xops.jit`` always; ``--donate`` adds ``xops.jit(donate_argnums=(0, 1))`` (params and
optimizer state updated in place on torch, jax's donation on jax, where the native step then
donates too); ``--cuda-graphs`` adds ``xops.jit(cuda_graphs=True)`` (torch: CUDA graphs through
torch.compile's triton.cudagraphs, a no-op on the CPU; jax: the same as plain, XLA records CUDA
graphs on its own); both flags add the combination. Every variant of a model is timed in the
same alternating rounds as its native baseline (the torch baseline is the default
torch.compile for every variant; torch.optim already updates in place).

``--device`` is a torch device string (cpu by default, cuda, cuda:1, ...). jax runs on its
default device, or on the device the flag names when jax has that platform (``cuda`` -> jax's
gpu platform). Each timed batch of steps ends with a device synchronisation
(``torch.cuda.synchronize`` / ``jax.block_until_ready`` of the whole state), so GPU times are
not just launch times.

``--dtype`` (default float32, the unchanged benchmark) trains in lower precision on both
sides. ``mixed_bfloat16``/``mixed_float16``: xops models get ``policy=`` that preset (float32
params, matmuls in 16 bits, norms/softmax/loss in float32; ``mixed_float16`` adds
``optim.loss_scale``), against torch.autocast (``GradScaler`` for float16) and, on jax,
float32 params cast to the compute dtype inside the jitted step (no loss scaling on jax's
native side: optax has none). ``bfloat16``/``float16``: params and data in that dtype on both
sides (xops: the pure preset; torch: ``model.to(dtype)``; jax: cast params). Run it once with
``--dtype float32`` and once with the low-precision dtype for the speedup of each side.

Each repeat runs ``--steps`` steps of each entry (synchronised); the table reports median
milliseconds per step and throughput relative to native (native time / xops time; the target
is >= 0.95).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

PRESETS = {
    "default": (dict(batch=256, d_in=256, hidden=(512, 512), classes=10),
                dict(batch=8, seq=64, d=128, heads=4, mlp=256)),
    "tiny": (dict(batch=8, d_in=16, hidden=(16, 16), classes=4),
             dict(batch=8, seq=8, d=16, heads=2, mlp=32)),
    "large": (dict(batch=4096, d_in=1024, hidden=(4096, 4096), classes=1000),
              dict(batch=16, seq=512, d=1024, heads=16, mlp=4096)),
}


def _variants(donate: bool, cuda_graphs: bool) -> list[tuple[str, dict]]:
    out = [("xops.jit", {})]
    if donate:
        out.append(("xops.jit donate", {"donate_argnums": (0, 1)}))
    if cuda_graphs:
        out.append(("xops.jit cuda_graphs", {"cuda_graphs": True}))
    if donate and cuda_graphs:
        out.append(("xops.jit donate+cuda_graphs", {"donate_argnums": (0, 1),
                                                     "cuda_graphs": True}))
    return out


def _time(pairs: dict[str, Callable[[], Any]], repeats: int, steps: int,
          sync: Callable[[Any], Any]) -> dict[str, float]:
    for f in pairs.values():  # compile + warm up (CUDA graphs record on the second call)
        for _ in range(3):
            sync(f())
    out: dict[str, list[float]] = {k: [] for k in pairs}
    for _ in range(repeats):
        for k, f in pairs.items():
            sync(None)
            t = time.perf_counter()
            r = None
            for _ in range(steps):
                r = f()
            sync(r)
            out[k].append((time.perf_counter() - t) / steps)
    return {k: statistics.median(v) * 1e3 for k, v in out.items()}


def _data(shapes: tuple[dict, dict], seed: int = 0):
    rng = np.random.default_rng(seed)
    m, t = shapes
    x = rng.standard_normal((m["batch"], m["d_in"])).astype(np.float32)
    y = rng.integers(0, m["classes"], m["batch"]).astype(np.int32)
    xs = rng.standard_normal((t["batch"], t["seq"], t["d"])).astype(np.float32)
    return x, y, xs


DTYPES = ("float32", "bfloat16", "float16", "mixed_bfloat16", "mixed_float16")


def _compute(dtype: str) -> str:
    return dtype.replace("mixed_", "")


def _xops_steps(shapes: tuple[dict, dict], x, y, xs, dtype: str = "float32"):
    """xops.nn models and their (uncompiled) train steps, on the backend and device of ``x``;
    ``dtype`` other than float32 is the models' dtype policy (losses in float32)."""
    import xops
    from xops import nn
    from xops import numpy as xnp
    from xops import random as xr
    from xops.nn import functional as F
    from xops.nn import optim
    m, t = shapes
    pol = None if dtype == "float32" else dtype
    mlp = nn.MLP((*m["hidden"], m["classes"]), policy=pol)
    block = nn.TransformerBlock(num_heads=t["heads"], mlp_dim=t["mlp"], policy=pol)
    k1, k2 = xr.split(xr.key(0, like=x))  # the key, and so every parameter, on x's device
    p_mlp = mlp.init(k1, x)
    p_blk = block.init(k2, xs)
    scaled = dtype == "mixed_float16"
    tx = optim.loss_scale(optim.adam(1e-3)) if scaled else optim.adam(1e-3)
    ce = nn.loss_in_float32(F.sparse_softmax_cross_entropy)

    def sq(out):
        return xnp.mean(xnp.square(xnp.astype(out, xnp.float32)))

    def mlp_step(p, s, x, y):
        def loss(p):
            v = ce(mlp.apply(p, x), y)
            return (optim.scale_loss(v, s) if scaled else v), v
        (_, val), g = xops.value_and_grad(loss, has_aux=True)(p)
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s, val

    def blk_step(p, s, x):
        def loss(p):
            v = sq(block.apply(p, x))
            return (optim.scale_loss(v, s) if scaled else v), v
        (_, val), g = xops.value_and_grad(loss, has_aux=True)(p)
        u, s = tx.update(g, s, p)
        return optim.apply_updates(p, u), s, val

    return (mlp_step, p_mlp, tx.init(p_mlp)), (blk_step, p_blk, tx.init(p_blk))


def _jax_device(spec: str) -> Any:
    """The jax device ``spec`` names (``cuda:1`` -> the second gpu), or None: jax's default."""
    import jax
    plat, _, idx = spec.partition(":")
    plat = {"cuda": "gpu", "rocm": "gpu"}.get(plat, plat)
    try:
        devs = jax.devices(plat)
    except RuntimeError:
        print(f"train_step.py: jax has no {plat!r} platform; jax runs on its default device "
              f"{jax.devices()[0]}", file=sys.stderr)
        return None
    return devs[int(idx) if idx else 0]


def bench_jax(shapes: tuple[dict, dict], device: str, variants: list[tuple[str, dict]],
              repeats: int, steps: int, dtype: str = "float32") -> list[tuple]:
    import contextlib

    import jax
    dev = _jax_device(device)
    with jax.default_device(dev) if dev is not None else contextlib.nullcontext():
        return _bench_jax(shapes, variants, repeats, steps, dev, dtype)


def _bench_jax(shapes, variants, repeats, steps, dev, dtype="float32") -> list[tuple]:
    import jax
    import jax.numpy as jnp
    import optax

    import xops
    x_np, y_np, xs_np = _data(shapes)
    x, y, xs = jnp.asarray(x_np), jnp.asarray(y_np), jnp.asarray(xs_np)
    t = shapes[1]
    (mlp_step, p_mlp, s_mlp), (blk_step, p_blk, s_blk) = _xops_steps(shapes, x, y, xs, dtype)
    cdt = jnp.dtype(_compute(dtype))

    def cast(p, x):  # the native low-precision setup: params and input in the compute dtype
        if dtype == "float32":
            return p, x
        return jax.tree_util.tree_map(lambda a: a.astype(cdt), p), x.astype(cdt)

    # hand-written jax, same shapes and initial values
    def mlp_fwd(p, x):
        p, x = cast(p, x)
        n = len(p)
        for i in range(n):
            x = x @ p[str(i)]["w"] + p[str(i)]["b"]
            if i < n - 1:
                x = jax.nn.relu(x)
        return x

    def ln(p, x, eps=1e-5):
        x32 = x.astype(jnp.float32)  # statistics in float32, as xops' norms
        mu = jnp.mean(x32, -1, keepdims=True)
        var = jnp.mean(jnp.square(x32 - mu), -1, keepdims=True)
        y = (x32 - mu) * jax.lax.rsqrt(var + eps) * p["scale"].astype(jnp.float32)
        return (y + p["bias"].astype(jnp.float32)).astype(x.dtype)

    def blk_fwd(p, x):
        p32 = p
        p, x = cast(p, x)
        p["ln1"], p["ln2"] = p32["ln1"], p32["ln2"]
        b, s, d = x.shape
        h = t["heads"]
        a = p["attn"]
        y = ln(p["ln1"], x)

        def proj(name):
            return (y @ a[name]["w"] + a[name]["b"]).reshape(b, s, h, d // h)
        q, k, v = proj("query"), proj("key"), proj("value")
        w = jnp.einsum("bqhd,bkhd->bhqk", q, k) / np.sqrt(d // h)
        sm = jax.nn.softmax(w.astype(jnp.float32), -1).astype(w.dtype)
        o = jnp.einsum("bhqk,bkhd->bqhd", sm, v).reshape(b, s, d)
        x = x + o @ a["out"]["w"] + a["out"]["b"]
        y = ln(p["ln2"], x)
        mp = p["mlp"]
        y = jax.nn.gelu(y @ mp["0"]["w"] + mp["0"]["b"], approximate=False)
        return x + y @ mp["1"]["w"] + mp["1"]["b"]

    opt = optax.adam(1e-3)

    def nat_mlp(p, s, x, y):
        def loss(p):
            logits = mlp_fwd(p, x).astype(jnp.float32)
            return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
        val, g = jax.value_and_grad(loss)(p)
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s, val

    def nat_blk(p, s, x):
        val, g = jax.value_and_grad(
            lambda p: jnp.mean(jnp.square(blk_fwd(p, x).astype(jnp.float32))))(p)
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s, val

    _check_same_structure(p_blk, ("ln1", "attn", "ln2", "mlp"))
    # same computation: the hand-written models give xops' losses on the same parameters
    # (TF32 matmuls on a GPU round differently in the two programs: a looser tolerance there)
    rtol = 1e-4 if dev is None or dev.platform == "cpu" else 2e-2
    if dtype != "float32":  # 16-bit matmuls: a few of the format's epsilons
        rtol = max(rtol, 4 * float(jnp.finfo(cdt).eps))
    for nat, ours, p, s, data in ((nat_mlp, mlp_step, p_mlp, s_mlp, (x, y)),
                                  (nat_blk, blk_step, p_blk, s_blk, (xs,))):
        np.testing.assert_allclose(float(jax.jit(nat)(p, opt.init(p), *data)[2]),
                                   float(jax.jit(ours)(p, s, *data)[2]), rtol=rtol)

    def sync(r: Any) -> Any:
        return jax.block_until_ready(r)

    def copy(tree):  # donation consumes buffers: every entry starts from its own copy
        return jax.tree_util.tree_map(jnp.copy, tree)

    def entry(f, state, *data):
        st = [copy(state)]

        def go():
            p, s, v = f(*st[0], *data)
            st[0] = (p, s)
            return p, s, v
        return go

    rows = []
    for model, nat, ours, p, s, data in (("MLP", nat_mlp, mlp_step, p_mlp, s_mlp, (x, y)),
                                         ("transformer block", nat_blk, blk_step, p_blk, s_blk,
                                          (xs,))):
        pairs = {"native": entry(jax.jit(nat), (p, opt.init(p)), *data)}
        if any("donate_argnums" in kw for _, kw in variants):
            pairs["native donate"] = entry(jax.jit(nat, donate_argnums=(0, 1)),
                                           (p, opt.init(p)), *data)
        for label, kw in variants:
            pairs[label] = entry(xops.jit(ours, **kw), (p, s), *data)
        tm = _time(pairs, repeats, steps, sync)
        for label, kw in variants:
            nat_key = "native donate" if "donate_argnums" in kw else "native"
            how = "jax.jit(donate) + optax" if "donate_argnums" in kw else "jax.jit + optax"
            rows.append(("jax", model, label, how + _suffix(dtype), tm[nat_key], tm[label]))
    return rows


def _suffix(dtype: str) -> str:
    return "" if dtype == "float32" else f" [{dtype}]"


def _check_same_structure(p, keys):
    missing = [k for k in keys if k not in p]
    if missing:
        raise SystemExit(f"train_step.py: TransformerBlock params lack {missing}; update the "
                         "hand-written reference")


def bench_torch(shapes: tuple[dict, dict], device: str, variants: list[tuple[str, dict]],
                repeats: int, steps: int, dtype: str = "float32") -> list[tuple]:
    import contextlib

    import torch

    import xops
    dev = torch.device(device)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    x_np, y_np, xs_np = _data(shapes)
    x = torch.from_numpy(x_np).to(dev)
    y = torch.from_numpy(y_np).long().to(dev)
    xs = torch.from_numpy(xs_np).to(dev)
    m, t = shapes
    (mlp_step, p_mlp, s_mlp), (blk_step, p_blk, s_blk) = _xops_steps(shapes, x, y.int(), xs,
                                                                      dtype)
    cdt = getattr(torch, _compute(dtype))
    mixed = dtype.startswith("mixed_")

    dims = [m["d_in"], *m["hidden"], m["classes"]]
    layers: list[torch.nn.Module] = []
    for i in range(len(dims) - 1):
        layers.append(torch.nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(torch.nn.ReLU())
    mlp = torch.nn.Sequential(*layers).to(dev)
    block = torch.nn.TransformerEncoderLayer(t["d"], t["heads"], t["mlp"], dropout=0.0,
                                             activation="gelu", batch_first=True,
                                             norm_first=True).to(dev)
    if dtype in ("bfloat16", "float16"):  # pure low precision: params and data in the dtype
        mlp, block = mlp.to(cdt), block.to(cdt)
        x, xs = x.to(cdt), xs.to(cdt)
    opt_m = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    opt_b = torch.optim.Adam(block.parameters(), lr=1e-3)
    cm, cb = torch.compile(mlp), torch.compile(block)
    step_m, step_b = torch.compile(opt_m.step), torch.compile(opt_b.step)
    ce = torch.nn.functional.cross_entropy

    def autocast():
        return torch.autocast(dev.type, dtype=cdt) if mixed else contextlib.nullcontext()

    scaler = torch.amp.GradScaler(dev.type) if dtype == "mixed_float16" else None

    def backward(loss, opt, step):
        if scaler is None:
            loss.backward()
            step()
        else:  # GradScaler's own step (unscale, skip on inf/NaN) around the eager optimizer
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()

    def nat_mlp():
        opt_m.zero_grad(set_to_none=True)
        with autocast():
            loss = ce(cm(x).float(), y)
        backward(loss, opt_m, step_m)
        return loss

    def nat_blk():
        opt_b.zero_grad(set_to_none=True)
        with autocast():
            loss = torch.mean(torch.square(cb(xs).float()))
        backward(loss, opt_b, step_b)
        return loss

    if dev.type == "cuda":
        def sync(r: Any) -> Any:
            torch.cuda.synchronize(dev)
    elif dev.type != "cpu" and hasattr(torch, "accelerator"):
        def sync(r: Any) -> Any:
            torch.accelerator.synchronize(dev)
    else:
        def sync(r: Any) -> Any:  # CPU kernels have returned when the call returns
            return r

    def copy(tree):  # donation writes into the state: every entry starts from its own copy
        return torch.utils._pytree.tree_map(torch.clone, tree)

    def entry(f, state, *data):
        st = [copy(state)]

        def go():
            p, s, v = f(*st[0], *data)
            st[0] = (p, s)
            return v
        return go

    yi = y.int()
    rows = []
    for model, nat, ours, p, s, data in (("MLP", nat_mlp, mlp_step, p_mlp, s_mlp, (x, yi)),
                                         ("transformer block", nat_blk, blk_step, p_blk, s_blk,
                                          (xs,))):
        pairs = {"native": nat}
        for label, kw in variants:
            pairs[label] = entry(xops.jit(ours, **kw), (p, s), *data)
        tm = _time(pairs, repeats, steps, sync)
        for label, _ in variants:
            how = "torch.compile + torch.optim.Adam"
            if mixed:
                how += " + autocast" + (" + GradScaler" if scaler is not None else "")
            rows.append(("torch", model, label, how + _suffix(dtype), tm["native"], tm[label]))
    return rows


BENCHES = {"jax": bench_jax, "torch": bench_torch}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", default="jax,torch")
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--device", default="cpu",
                    help="torch device (cpu, cuda, cuda:1, ...); jax uses that platform when it "
                         "has it, else its default device")
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--tiny", action="store_true",
                      help="batch 8, MLP 16-16-16-4; block d=16, seq 8, 2 heads")
    size.add_argument("--large", action="store_true",
                      help="batch 4096, MLP 1024-4096-4096-1000; block d=1024, seq 512, batch 16")
    ap.add_argument("--donate", action="store_true",
                    help="also time xops.jit(donate_argnums=(0, 1)) (params, optimizer state)")
    ap.add_argument("--cuda-graphs", action="store_true",
                    help="also time xops.jit(cuda_graphs=True) (torch on CUDA)")
    ap.add_argument("--dtype", default="float32", choices=DTYPES,
                    help="train both sides in this precision (xops: the dtype policy of that "
                         "name; native: autocast / casts, see the module docstring)")
    args = ap.parse_args(argv)
    shapes = PRESETS["tiny" if args.tiny else "large" if args.large else "default"]
    variants = _variants(args.donate, args.cuda_graphs)
    rows = []
    for name in args.backends.split(","):
        rows += BENCHES[name.strip()](shapes, args.device, variants, args.repeats, args.steps,
                                      args.dtype)
    print(f"device {args.device}; dtype {args.dtype}; shapes MLP {shapes[0]}, block {shapes[1]}")
    print("| backend | model | xops variant | native | native ms/step | xops ms/step "
          "| throughput vs native | target |")
    print("|---|---|---|---|---:|---:|---:|---|")
    for be, model, label, how, nat, xo in rows:
        r = nat / xo
        print(f"| {be} | {model} | {label} | {how} | {nat:.3f} | {xo:.3f} | {r:.2f}x "
              f"| >= 0.95x {'ok' if r >= 0.95 else 'MISS'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

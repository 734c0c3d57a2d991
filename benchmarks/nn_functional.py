"""Eager per-call time of xops.nn.functional's fused ops against the framework's own function,
measured side by side in one run.

For each backend and op three entries are timed in interleaved rounds (the order rotates every
round, so no entry always runs first): ``composition`` (the generic xops composition, what every
call ran before the ops dispatched to fused kernels: ``xops.nn._norm.layer_norm_composite``,
...), ``xops`` (``xops.nn.functional.<op>``, the fused kernel where the backend has one) and
``native`` (``torch.nn.functional.<op>``, ``tf.nn.<op>``, ``jax.nn.<op>``). The table reports
the median microseconds per call and the ratios to native. ``--grad`` times forward and
backward (torch autograd ``.backward()``, ``tf.GradientTape``, ``jax.grad``) instead.
Prints only: timings are never asserted.

    python benchmarks/nn_functional.py [--backends torch,tensorflow,jax] [--shape 8,128,256]
        [--rounds 15] [--calls 20] [--grad] [--step] [--device cpu|cuda|...] [--threads N]

``--threads N`` sets torch's and tensorflow's CPU thread pools to N (on a loaded machine, 1 keeps
the pools from waiting on each other and quantising the times).

``--step``: also an eager training step (forward and backward, no optimizer) of a GPT-ish
pre-norm block on torch: ``xops.nn.TransformerBlock`` + final ``layer_norm`` + ``Dense`` head +
``sparse_softmax_cross_entropy``, with torch autograd, against the same model written with
``torch.nn`` (``TransformerEncoderLayer(norm_first=True, activation="gelu")``, ``LayerNorm``,
``Linear``, ``F.cross_entropy``). benchmarks/train_step.py times compiled steps only; this is
the eager one. Run it with ``PYTHONPATH`` pointing at an older checkout to get its "before"
(the composition columns are skipped where the composites do not exist).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

OPS = ["layer_norm", "rms_norm", "softmax", "log_softmax", "gelu", "gelu_tanh",
       "sparse_softmax_cross_entropy"]


def _composites() -> dict[str, Callable] | None:
    """The generic compositions by op name (None on a checkout that predates them)."""
    try:
        from xops.nn._activations import gelu_composite
        from xops.nn._losses import sparse_softmax_cross_entropy_composite
        from xops.nn._norm import layer_norm_composite, rms_norm_composite
        from xops.nn._softmax import log_softmax_composite, softmax_composite
    except ImportError:
        return None
    return {
        "layer_norm": lambda x, w, b, lab: layer_norm_composite(x, w, b),
        "rms_norm": lambda x, w, b, lab: rms_norm_composite(x, w),
        "softmax": lambda x, w, b, lab: softmax_composite(x),
        "log_softmax": lambda x, w, b, lab: log_softmax_composite(x),
        "gelu": lambda x, w, b, lab: gelu_composite(x),
        "gelu_tanh": lambda x, w, b, lab: gelu_composite(x, True),
        "sparse_softmax_cross_entropy":
            lambda x, w, b, lab: sparse_softmax_cross_entropy_composite(x, lab),
    }


def _xops() -> dict[str, Callable]:
    from xops.nn import functional as F
    return {
        "layer_norm": lambda x, w, b, lab: F.layer_norm(x, w, b),
        "rms_norm": lambda x, w, b, lab: F.rms_norm(x, w),
        "softmax": lambda x, w, b, lab: F.softmax(x),
        "log_softmax": lambda x, w, b, lab: F.log_softmax(x),
        "gelu": lambda x, w, b, lab: F.gelu(x),
        "gelu_tanh": lambda x, w, b, lab: F.gelu(x, approximate=True),
        "sparse_softmax_cross_entropy":
            lambda x, w, b, lab: F.sparse_softmax_cross_entropy(x, lab),
    }


def _native(name: str) -> dict[str, Callable]:
    if name == "torch":
        import torch.nn.functional as F
        return {
            "layer_norm": lambda x, w, b, lab: F.layer_norm(x, x.shape[-1:], w, b, 1e-5),
            "rms_norm": lambda x, w, b, lab: F.rms_norm(x, x.shape[-1:], w, 1e-6),
            "softmax": lambda x, w, b, lab: F.softmax(x, -1),
            "log_softmax": lambda x, w, b, lab: F.log_softmax(x, -1),
            "gelu": lambda x, w, b, lab: F.gelu(x),
            "gelu_tanh": lambda x, w, b, lab: F.gelu(x, approximate="tanh"),
            "sparse_softmax_cross_entropy": lambda x, w, b, lab: F.cross_entropy(
                x.reshape(-1, x.shape[-1]), lab.reshape(-1)),
        }
    if name == "tensorflow":
        import tensorflow as tf

        def layer_norm(x, w, b, lab):
            m, v = tf.nn.moments(x, [-1], keepdims=True)
            return tf.nn.batch_normalization(x, m, v, b, w, 1e-5)

        def rms_norm(x, w, b, lab):
            return x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), -1, keepdims=True) + 1e-6) * w

        return {
            "layer_norm": layer_norm,
            "rms_norm": rms_norm,
            "softmax": lambda x, w, b, lab: tf.nn.softmax(x, -1),
            "log_softmax": lambda x, w, b, lab: tf.nn.log_softmax(x, -1),
            "gelu": lambda x, w, b, lab: tf.nn.gelu(x),
            "gelu_tanh": lambda x, w, b, lab: tf.nn.gelu(x, approximate=True),
            "sparse_softmax_cross_entropy": lambda x, w, b, lab: tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(lab, x)),
        }
    if name == "jax":
        import jax
        import jax.numpy as jnp

        def layer_norm(x, w, b, lab):
            m = x.mean(-1, keepdims=True)
            v = ((x - m) ** 2).mean(-1, keepdims=True)
            return (x - m) / jnp.sqrt(v + 1e-5) * w + b

        def rms_norm(x, w, b, lab):
            return x / jnp.sqrt((x * x).mean(-1, keepdims=True) + 1e-6) * w

        def ce(x, w, b, lab):
            lp = jax.nn.log_softmax(x, -1)
            return -jnp.take_along_axis(lp, lab[..., None], -1).mean()

        return {
            "layer_norm": layer_norm,  # jax.nn has none: the eager jnp composition
            "rms_norm": rms_norm,
            "softmax": lambda x, w, b, lab: jax.nn.softmax(x, -1),
            "log_softmax": lambda x, w, b, lab: jax.nn.log_softmax(x, -1),
            "gelu": lambda x, w, b, lab: jax.nn.gelu(x, approximate=False),
            "gelu_tanh": lambda x, w, b, lab: jax.nn.gelu(x, approximate=True),
            "sparse_softmax_cross_entropy": ce,
        }
    raise ValueError(name)


def _inputs(name: str, shape: tuple[int, ...], device: str) -> tuple[Any, ...]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal(shape[-1]).astype(np.float32)
    b = rng.standard_normal(shape[-1]).astype(np.float32)
    lab = rng.integers(0, shape[-1], shape[:-1]).astype(np.int64)
    if name == "torch":
        import torch
        return tuple(torch.from_numpy(a).to(device) for a in (x, w, b, lab))
    if name == "tensorflow":
        import tensorflow as tf
        return tuple(tf.constant(a) for a in (x, w, b, lab))
    import jax.numpy as jnp
    return tuple(jnp.asarray(a) for a in (x, w, b, lab.astype(np.int32)))


def _sync(name: str, device: str) -> Callable[[Any], Any]:
    if name == "torch":
        import torch
        if device.startswith("cuda"):
            return lambda r: torch.cuda.synchronize()
        return lambda r: r
    if name == "jax":
        import jax
        return lambda r: jax.block_until_ready(r)
    return lambda r: r if r is None else r.numpy()  # tf eager: the value is there already


def _with_grad(name: str, fn: Callable) -> Callable:
    """``fn``'s forward and backward w.r.t. x (the sum of its output as the loss)."""
    if name == "torch":
        def run(x, w, b, lab):
            xg = x.detach().requires_grad_(True)
            fn(xg, w, b, lab).sum().backward()
            return xg.grad
        return run
    if name == "tensorflow":
        import tensorflow as tf

        def run(x, w, b, lab):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(fn(x, w, b, lab))
            return tape.gradient(y, x)
        return run
    import jax
    import jax.numpy as jnp
    return lambda x, w, b, lab: jax.grad(lambda v: jnp.sum(fn(v, w, b, lab)))(x)


def time_entries(entries: dict[str, Callable[[], Any]], rounds: int, calls: int,
                 sync: Callable[[Any], Any]) -> dict[str, float]:
    """Median microseconds per call of each entry, rounds interleaved and rotated."""
    for f in entries.values():  # warm up (jax compiles, torch allocates)
        for _ in range(3):
            sync(f())
    names = list(entries)
    out: dict[str, list[float]] = {k: [] for k in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for k in order:
            f = entries[k]
            sync(None)
            t = time.perf_counter()
            res = None
            for _ in range(calls):
                res = f()
            sync(res)
            out[k].append((time.perf_counter() - t) / calls * 1e6)
    return {k: statistics.median(v) for k, v in out.items()}


def bench_ops(name: str, shape: tuple[int, ...], rounds: int, calls: int, grad: bool,
              device: str) -> list[tuple[str, dict[str, float]]]:
    args = _inputs(name, shape, device)
    comp = _composites()
    impls = {"composition": comp, "xops": _xops(), "native": _native(name)}
    sync = _sync(name, device)
    rows = []
    for op in OPS:
        entries = {}
        for kind, table in impls.items():
            if table is None:
                continue
            fn = table[op]
            if grad:
                fn = _with_grad(name, fn)
            entries[kind] = (lambda f: lambda: f(*args))(fn)
        rows.append((op, time_entries(entries, rounds, calls, sync)))
    return rows


def _print_table(title: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    print(f"\n{title}")
    print("| op | composition us | xops us | native us | composition/native | xops/native |")
    print("|---|---:|---:|---:|---:|---:|")
    for op, t in rows:
        c = t.get("composition")
        nat = t["native"]
        cs = f"{c:.1f}" if c is not None else "-"
        cr = f"{c / nat:.2f}" if c is not None else "-"
        print(f"| {op} | {cs} | {t['xops']:.1f} | {nat:.1f} | {cr} | {t['xops'] / nat:.2f} |")


# --- an eager GPT-ish step on torch ------------------------------------------------------------
def bench_step(rounds: int, calls: int, device: str, d: int = 256, heads: int = 4,
               mlp: int = 1024, batch: int = 8, seq: int = 128, vocab: int = 256
               ) -> dict[str, float]:
    import torch
    import torch.nn.functional as TF

    from xops import nn
    from xops import random as xr
    from xops.nn import functional as F

    torch.manual_seed(0)
    x = torch.randn(batch, seq, d, device=device)
    y = torch.randint(0, vocab, (batch, seq), device=device)

    # xops: TransformerBlock + final LayerNorm + Dense head, params as leaf tensors
    block, ln, head = nn.TransformerBlock(heads, mlp, causal=True), nn.LayerNorm(), nn.Dense(vocab)
    key = xr.key(0, backend="torch", device=device)
    k1, k2, k3 = xr.split(key, 3)
    params = {"block": block.init(k1, x), "ln": ln.init(k2, x), "head": head.init(k3, x)}
    leaves = []

    def leaf(t):
        t = t.detach().clone().requires_grad_(True)
        leaves.append(t)
        return t

    import optree
    params = optree.tree_map(leaf, params)

    def xops_step():
        h = block.apply(params["block"], x)
        h = head.apply(params["head"], ln.apply(params["ln"], h))
        loss = F.sparse_softmax_cross_entropy(h, y)
        loss.backward()
        for t in leaves:
            t.grad = None
        return loss

    enc = torch.nn.TransformerEncoderLayer(d, heads, mlp, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True).to(device)
    norm, lin = torch.nn.LayerNorm(d).to(device), torch.nn.Linear(d, vocab).to(device)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(seq, device=device)
    mods = [enc, norm, lin]

    def torch_step():
        h = lin(norm(enc(x, src_mask=mask, is_causal=True)))
        loss = TF.cross_entropy(h.reshape(-1, vocab), y.reshape(-1))
        loss.backward()
        for m in mods:
            m.zero_grad(set_to_none=True)
        return loss

    sync = _sync("torch", device)
    return time_entries({"xops": xops_step, "native": torch_step}, rounds, calls, sync)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", default="torch,tensorflow,jax")
    ap.add_argument("--shape", default="8,128,256")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--grad", action="store_true", help="time forward + backward")
    ap.add_argument("--step", action="store_true", help="also the eager torch training step")
    ap.add_argument("--device", default="cpu", help="torch device (torch only)")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads of torch and tf")
    a = ap.parse_args(argv)
    shape = tuple(int(s) for s in a.shape.split(","))
    what = "forward + backward" if a.grad else "forward"
    for name in a.backends.split(","):
        try:
            mod = __import__(name)
        except ImportError:
            print(f"\n{name}: not installed, skipped")
            continue
        if a.threads and name == "torch":
            mod.set_num_threads(a.threads)
        elif a.threads and name == "tensorflow":
            mod.config.threading.set_intra_op_parallelism_threads(a.threads)
            mod.config.threading.set_inter_op_parallelism_threads(a.threads)
        rows = bench_ops(name, shape, a.rounds, a.calls, a.grad, a.device)
        dev = f", {a.device}" if name == "torch" else ""
        _print_table(f"{name} ({what}, float32 {shape}{dev}; median us per call)", rows)
    if a.step:
        if a.threads:
            import torch
            torch.set_num_threads(a.threads)
        t = bench_step(a.rounds, max(a.calls // 4, 2), a.device)
        print(f"\ntorch eager step (forward + backward, {a.device}): xops {t['xops'] / 1e3:.2f} "
              f"ms, native {t['native'] / 1e3:.2f} ms, xops/native {t['xops'] / t['native']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

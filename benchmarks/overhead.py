"""Dispatch overhead of xops.numpy against the native call, measured side by side in one run.

For each installed backend, op and shape, rounds alternate a batch of N native calls with a batch
of N xops calls (the order flips every round so neither side always runs first); the median
per-call time of each side is reported. Also measures what ``import xops.numpy`` adds on top of
``import numpy`` in fresh interpreters. Prints only: timings are never asserted.

    python benchmarks/overhead.py [--backends numpy,torch] [--quick] [--device cuda]

``--device`` (a torch device string: cpu by default, cuda, cuda:1, ...) puts the inputs on that
device: torch tensors on it, jax arrays on jax's device of that platform (jax's default device
when it has none), tensorflow tensors under ``tf.device`` (``cuda:1`` -> ``/GPU:1``); numpy runs
on the CPU only. On the CPU every call waits for its result (jax: ``block_until_ready``); on an
accelerator the calls of a batch are queued and the batch ends with one synchronisation
(``torch.cuda.synchronize``, ``block_until_ready`` / ``.numpy()`` of the last result), so the
times are dispatch throughput, not kernel latency.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

import numpy as np

import xops
from xops import _fast
from xops import numpy as xnp
from xops.backends import _canonical_name

TARGETS = {"numpy": 1.7, "torch": 1.15, "jax": 1.05, "tensorflow": 1.05}
SHAPES = [(4,), (64, 64)]
OPS = ["add", "exp", "sum", "matmul", "where"]
IMPORT_TARGET_MS = 50.0


def _same(r: Any) -> Any:
    return r


def native_ops(name: str, device: str = "cpu") -> tuple[dict[str, Callable],
                                                         Callable[[Any], Any],
                                                         Callable[[Any], Any]]:
    """The framework's own spelling of each op, a 'wait for the result' function run after
    every call, and a 'synchronise' function run on the last result of a batch."""
    accel = device.split(":")[0] != "cpu"
    if name == "numpy":
        if accel:
            raise RuntimeError("numpy runs on the CPU only")
        return {"add": np.add, "exp": np.exp, "sum": np.sum, "matmul": np.matmul,
                "where": np.where}, _same, _same
    if name == "torch":
        import torch
        ops = {"add": torch.add, "exp": torch.exp, "sum": torch.sum, "matmul": torch.matmul,
               "where": torch.where}
        dev = torch.device(device)
        if dev.type == "cuda":
            return ops, _same, lambda r: torch.cuda.synchronize(dev)
        if accel and hasattr(torch, "accelerator"):
            return ops, _same, lambda r: torch.accelerator.synchronize(dev)
        return ops, _same, _same
    if name == "jax":
        import jax.numpy as jnp
        ops = {"add": jnp.add, "exp": jnp.exp, "sum": jnp.sum, "matmul": jnp.matmul,
               "where": jnp.where}
        if accel:
            return ops, _same, lambda r: r.block_until_ready()
        return ops, lambda r: r.block_until_ready(), _same
    if name == "tensorflow":
        import tensorflow as tf

        def matmul(a, b):  # tf.linalg.matmul needs rank >= 2; a 1-D matmul is a dot product
            return tf.linalg.matmul(a, b) if a.shape.rank >= 2 else tf.tensordot(a, b, 1)
        return {"add": tf.math.add, "exp": tf.math.exp, "sum": tf.math.reduce_sum,
                "matmul": matmul, "where": tf.where}, _same, (
                    (lambda r: r.numpy()) if accel else _same)
    raise ValueError(name)


def place(x: Any, name: str, device: str) -> Any:
    """Array ``x`` of backend ``name`` on ``device`` (see the module docstring)."""
    plat, _, idx = device.partition(":")
    if plat == "cpu" and name != "torch":
        return x
    if name == "torch":
        return x.to(device)
    if name == "jax":
        import jax
        try:
            dev = jax.devices({"cuda": "gpu", "rocm": "gpu"}.get(plat, plat))[int(idx or 0)]
        except RuntimeError:
            return x  # jax has no such platform: its default device
        return jax.device_put(x, dev)
    if name == "tensorflow":
        import tensorflow as tf
        with tf.device(f"/{'GPU' if plat in ('cuda', 'gpu', 'rocm') else plat.upper()}:"
                       f"{idx or 0}"):
            return tf.identity(x)
    return x


def xops_ops() -> dict[str, Callable]:
    return {op: getattr(xnp, op) for op in OPS}


def args_for(op: str, a: Any, b: Any, c: Any) -> tuple:
    return {"add": (a, b), "exp": (a,), "sum": (a,), "matmul": (a, b), "where": (c, a, b)}[op]


def batch(fn: Callable, args: tuple, wait: Callable, n: int, sync: Callable = _same) -> float:
    t0 = time.perf_counter()
    r = None
    for _ in range(n):
        r = wait(fn(*args))
    sync(r)
    return (time.perf_counter() - t0) / n


def calibrate(fn: Callable, args: tuple, wait: Callable, budget_s: float,
              sync: Callable = _same) -> int:
    per = batch(fn, args, wait, 20, sync)
    return int(min(5000, max(20, budget_s / max(per, 1e-9))))


def measure(native: Callable, ours: Callable, args: tuple, wait: Callable, rounds: int,
            budget_s: float, sync: Callable = _same) -> tuple[float, float]:
    for _ in range(3):  # warm-up: jax compiles, xops fills its fast-path cache
        sync(wait(native(*args))), sync(wait(ours(*args)))
    n = calibrate(native, args, wait, budget_s, sync)
    tn, tx = [], []
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            if r % 2 == 0:
                tn.append(batch(native, args, wait, n, sync))
                tx.append(batch(ours, args, wait, n, sync))
            else:
                tx.append(batch(ours, args, wait, n, sync))
                tn.append(batch(native, args, wait, n, sync))
    finally:
        if gc_was:
            gc.enable()
    return statistics.median(tn) * 1e6, statistics.median(tx) * 1e6


def bench_backend(name: str, rounds: int, budget_s: float,
                  device: str = "cpu") -> list[list[str]]:
    rows = []
    try:
        nat, wait, sync = native_ops(name, device)
        ours = xops_ops()
        rng = np.random.default_rng(0)
        inputs = {}
        for shape in SHAPES:
            a = rng.standard_normal(shape).astype(np.float32)
            b = rng.standard_normal(shape).astype(np.float32)
            inputs[shape] = tuple(place(xops.convert(v, name), name, device)
                                  for v in (a, b, a > 0))
    except Exception as e:  # noqa: BLE001 - a framework that cannot run is reported, not fatal
        return [[name, "-", "-", "-", "-", "-", f"≤ {TARGETS[name]}×", f"unavailable: {_why(e)}"]]
    for op in OPS:
        for shape in SHAPES:
            args = args_for(op, *inputs[shape])
            label = "x".join(map(str, shape))
            try:
                tn, tx = measure(nat[op], ours[op], args, wait, rounds, budget_s, sync)
            except Exception as e:  # noqa: BLE001 - one op failing must not hide the others
                rows.append([name, op, label, "-", "-", "-", f"≤ {TARGETS[name]}×",
                             f"unavailable: {_why(e)}"])
                continue
            ratio = tx / tn
            rows.append([name, op, label, f"{tn:.2f}", f"{tx:.2f}", f"{ratio:.2f}",
                         f"≤ {TARGETS[name]}×", "yes" if ratio <= TARGETS[name] else "no"])
    return rows


def _why(e: BaseException) -> str:
    if isinstance(e, ModuleNotFoundError) and (e.name or "").startswith("xops.backends."):
        return f"no kernel table {e.name}"
    return f"{type(e).__name__}: {(str(e).splitlines() or [''])[0][:80]}"


_IMPORT_PROBE = """
import sys, time
import numpy
t0 = time.perf_counter()
import xops.numpy
t1 = time.perf_counter()
frameworks = sorted({'torch', 'jax', 'tensorflow'} & set(sys.modules))
print((t1 - t0) * 1e3, ','.join(frameworks) or '-')
"""
_BARE = ("import time; t0 = time.perf_counter(); import numpy; "
         "print((time.perf_counter() - t0) * 1e3)")


def import_cost(reps: int) -> tuple[float, float, str]:
    """Median ms of `import xops.numpy` after `import numpy` (fresh interpreter each time), the
    median ms of `import numpy` alone, and which frameworks xops pulled in ('-': none)."""
    # As an installed package imports: from cached bytecode (pip compiles it at install time).
    # PYTHONDONTWRITEBYTECODE (set in some shells and CI images) would recompile every module
    # of xops in each fresh interpreter and measure the compiler instead; one warm-up run
    # writes the caches.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import xops.numpy, xops.nn"], env=env, check=True)
    xs, nps, fw = [], [], "-"
    for _ in range(reps):
        out = subprocess.run([sys.executable, "-c", _IMPORT_PROBE], capture_output=True,
                             text=True, check=True, env=env).stdout.split()
        xs.append(float(out[0]))
        fw = out[1]
        nps.append(float(subprocess.run([sys.executable, "-c", _BARE], capture_output=True,
                                        text=True, check=True, env=env).stdout))
    return statistics.median(xs), statistics.median(nps), fw


def table(header: list[str], rows: list[list[str]]) -> str:
    w = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(n) for c, n in zip(r, w)) + " |"

    return "\n".join([line(header), "|" + "|".join("-" * (n + 2) for n in w) + "|",
                      *map(line, rows)])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", default=None,
                   help="comma-separated subset of the installed backends (default: all)")
    p.add_argument("--quick", action="store_true", help="fewer rounds and shorter batches")
    p.add_argument("--device", default="cpu",
                   help="torch device string for the inputs (cpu, cuda, cuda:1, ...); see the "
                        "module docstring for jax, tensorflow and numpy")
    a = p.parse_args()
    installed = xops.installed_backends()
    names = installed if a.backends is None else [
        _canonical_name(n.strip()) for n in a.backends.split(",")]
    rounds, budget, reps = (5, 0.002, 3) if a.quick else (15, 0.005, 7)
    print(f"xops {xops.__version__}, python {sys.version.split()[0]}, numpy {np.__version__}; "
          f"{rounds} interleaved rounds, median per-call time, float32 inputs on "
          f"{a.device}; fast paths in {'C' if _fast.ACTIVE else 'Python'} (xops/_fast.py)\n")
    rows = []
    for name in names:
        if name not in installed:
            rows.append([name, "-", "-", "-", "-", "-", f"≤ {TARGETS[name]}×",
                         "unavailable: framework not installed"])
            continue
        rows += bench_backend(name, rounds, budget, a.device)
        print(f"  {name}: done", file=sys.stderr)
    print(table(["backend", "op", "shape", "native µs", "xops µs", "ratio", "target", "ok"], rows))
    ms, np_ms, fw = import_cost(reps)
    ok = "yes" if ms < IMPORT_TARGET_MS and fw == "-" else "no"
    print(f"\nimport xops.numpy on top of numpy: {ms:.1f} ms median of {reps} fresh interpreters "
          f"(import numpy alone: {np_ms:.1f} ms); target < {IMPORT_TARGET_MS:.0f} ms: {ok}; "
          f"frameworks imported by it: {fw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

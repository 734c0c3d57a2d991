"""The benchmark report: native, xops and the peers a user would pick instead, side by side.

    python benchmarks/report.py [--quick] [--backends numpy,torch] [--sections eager,jit,train]
                                [--out benchmarks/results]

Three sections, each timed in many short interleaved rounds in one process (the order of the
implementations rotates and flips every round, so drift and caches hit all of them alike), after
a warm-up and one discarded round:

- eager: ops add, exp, sum, matmul, where at shapes (4,) and (64, 64) on every installed backend:
  the native call (overhead.py's ``native_ops``), ``xops.numpy``, array-api-compat (namespace
  looked up once, and looked up on every call), autoray, and keras.ops (one subprocess per
  ``KERAS_BACKEND``, timing its own native calls alongside);
- jit: jit.py's MLP block + layer norm + cross-entropy, ``xops.xla.jit`` against the framework's
  own compiler (jax.jit, torch.compile, tf.function(jit_compile=True));
- train: train_step.py's tiny MLP and transformer-block training steps (forward, backward, adam),
  ``xops.jit`` against the hand-written native step, one subprocess per backend.

Every ratio is median(implementation) / median(native) of the per-call times; the spread is the
interquartile range of the implementation's rounds over the native median. Prints the report
and writes ``report.md`` and ``overhead.png`` (eager ratios, one panel per backend) to ``--out``.
Peers that are not installed are skipped with a note. ``--quick`` (under 2 minutes on 2 cores)
takes fewer rounds and leaves out the train step and torch's jit, whose compiles alone take
minutes there (the full run: about 10 minutes). torch runs on one thread unless
``--torch-threads`` says otherwise. A benchmark, not a test: nothing is asserted.
"""
from __future__ import annotations

import argparse
import datetime
import functools
import gc
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import _peers  # noqa: E402
from overhead import OPS, SHAPES, TARGETS, _same, _why, args_for, batch, calibrate  # noqa: E402
from overhead import table as md_table  # noqa: E402

import xops  # noqa: E402
from xops import _fast  # noqa: E402

IMPLS = ["xops", *_peers.PEERS, _peers.KERAS]
BACKENDS = ["numpy", "torch", "jax", "tensorflow"]
JIT_BACKENDS = ["jax", "tensorflow", "torch"]
TRAIN_BACKENDS = ["jax", "torch"]
TRAIN_TARGET = 0.95  # train_step.py: throughput (native time / xops time) >= 0.95
WORKER_TAG = "REPORT-JSON "


@dataclass(frozen=True)
class Mode:
    rounds: int  # interleaved rounds per eager case
    budget_s: float  # target length of one timed batch of eager calls
    jit_rounds: int
    jit_budget_s: float
    jit_batch: int
    jit_dim: int
    train_repeats: int
    train_steps: int
    jit_backends: tuple[str, ...]
    train_backends: tuple[str, ...]


QUICK = Mode(rounds=15, budget_s=0.001, jit_rounds=9, jit_budget_s=0.01, jit_batch=32, jit_dim=64,
             train_repeats=7, train_steps=5, jit_backends=("jax", "tensorflow"),
             train_backends=())
FULL = Mode(rounds=51, budget_s=0.002, jit_rounds=31, jit_budget_s=0.02, jit_batch=32, jit_dim=64,
            train_repeats=15, train_steps=10, jit_backends=tuple(JIT_BACKENDS),
            train_backends=tuple(TRAIN_BACKENDS))


# ----------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Stats:
    """Median, quartiles and range of a sample."""
    median: float
    q1: float
    q3: float
    lo: float
    hi: float
    n: int


def summarize(xs: list[float]) -> Stats:
    if not xs:
        raise ValueError("no samples")
    q1, q3 = (statistics.quantiles(xs, n=4, method="inclusive")[::2] if len(xs) > 1
              else (xs[0], xs[0]))
    return Stats(statistics.median(xs), q1, q3, min(xs), max(xs), len(xs))


@dataclass(frozen=True)
class Ratio:
    """median(impl) / median(native); the spread: the implementation's per-round times over the
    native median (so its quartiles bracket the ratio); the medians in µs."""
    value: float
    spread: Stats
    impl_us: float
    native_us: float


def ratio(impl: list[float], native: list[float]) -> Ratio:
    """Of per-call times, one per round."""
    mi, mn = statistics.median(impl), statistics.median(native)
    return Ratio(mi / mn, summarize([t / mn for t in impl]), mi * 1e6, mn * 1e6)


def geomean(xs: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(x) for x in xs))


# ----------------------------------------------------------------------------- measurement


def interleaved(thunks: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run every thunk (which times a batch and returns seconds per call) once per round; the
    order rotates by one each round and flips every other round. Round 0 is a discarded
    warm-up. The garbage collector is off while timing."""
    names = list(thunks)
    out: dict[str, list[float]] = {k: [] for k in names}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds + 1):
            k = r % len(names)
            order = names[k:] + names[:k]
            for name in reversed(order) if r % 2 else order:
                t = thunks[name]()
                if r:
                    out[name].append(t)
    finally:
        if gc_was:
            gc.enable()
    return out


def _agree(got: Any, want: Any) -> bool:
    g, w = np.asarray(got), np.asarray(want)
    return g.shape == w.shape and np.allclose(g, w, rtol=1e-4, atol=1e-5)


def time_case(impls: dict[str, Callable], args: tuple, wait: Callable, sync: Callable,
              rounds: int, budget_s: float) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Per-call seconds of each implementation (``impls["native"]`` first, the reference) on
    ``args``, and why any other could not be timed (it raised, or its result differs)."""
    fine, errors = {}, {}
    want = None
    for name, f in impls.items():
        try:
            for _ in range(3):  # warm-up: jax compiles, xops fills its fast-path caches
                got = wait(f(*args))
                sync(got)
        except Exception as e:  # noqa: BLE001 - one implementation failing must not hide others
            if name == "native":
                raise
            errors[name] = _why(e)
            continue
        if name == "native":
            want = got
        elif not _agree(got, want):
            errors[name] = "result differs from the native call"
            continue
        fine[name] = f
    # batches of about budget_s of native calls, but at most 4 budgets of the slowest
    # implementation's (keras.ops can be 100x slower than the native call)
    n = min(calibrate(fine["native"], args, wait, budget_s, sync),
            4 * min(calibrate(f, args, wait, budget_s, sync) for f in fine.values()))
    return interleaved({k: functools.partial(batch, f, args, wait, n, sync)
                        for k, f in fine.items()}, rounds), errors


def inputs(backend: str) -> dict[tuple[int, ...], tuple]:
    """float32 a, b and the boolean a > 0 for each shape, as ``backend``'s arrays."""
    rng = np.random.default_rng(0)
    out = {}
    for shape in SHAPES:
        a, b = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
        out[shape] = tuple(xops.convert(v, backend) for v in (a, b, a > 0))
    return out


def case_label(op: str, shape: tuple[int, ...]) -> str:
    return f"{op}@{'x'.join(map(str, shape))}"


# ----------------------------------------------------------------------------- sections


@dataclass
class Row:
    """One eager case: the native call's per-call µs and, per implementation, a Ratio or the
    reason it has none."""
    backend: str
    case: str
    native: Stats | None
    cells: dict[str, Ratio | str] = field(default_factory=dict)


def bench_eager(backend: str, mode: Mode, notes: list[str]) -> list[Row]:
    from overhead import native_ops, xops_ops
    nat, wait, sync = native_ops(backend)
    ours = xops_ops()
    data = inputs(backend)
    peers = {p: _peers.peer_ops(p, OPS, data[SHAPES[0]][0]) for p in _peers.PEERS}
    for p, got in peers.items():
        if isinstance(got, str) and got != "not installed":
            notes.append(f"{_peers.DISTRIBUTIONS[p]} on {backend}: {got}")
    rows = []
    for op in OPS:
        for shape in SHAPES:
            impls = {"native": nat[op], "xops": ours[op]}
            impls.update({p: fns[op] for p, fns in peers.items() if not isinstance(fns, str)})
            try:
                samples, errors = time_case(impls, args_for(op, *data[shape]), wait, sync,
                                            mode.rounds, mode.budget_s)
            except Exception as e:  # noqa: BLE001 - the native call failing skips one case
                rows.append(Row(backend, case_label(op, shape), None,
                                {"xops": f"native call failed: {_why(e)}"}))
                continue
            row = Row(backend, case_label(op, shape),
                      summarize([t * 1e6 for t in samples["native"]]))
            for name in ["xops", *_peers.PEERS]:
                if name in samples:
                    row.cells[name] = ratio(samples[name], samples["native"])
                else:
                    row.cells[name] = errors.get(name) or (
                        "not installed" if peers.get(name) == "not installed" else "n/a")
            rows.append(row)
    return rows


def keras_worker(backend: str, rounds: int, budget_s: float) -> dict:
    """In a process with KERAS_BACKEND=backend: native vs keras.ops samples per case."""
    import keras
    from overhead import native_ops
    nat, wait, sync = native_ops(backend)
    kops = _peers.keras_ops(OPS)
    data = inputs(backend)
    cases = {}
    for op in OPS:
        for shape in SHAPES:
            samples, errors = time_case({"native": nat[op], _peers.KERAS: kops[op]},
                                        args_for(op, *data[shape]), wait, sync, rounds, budget_s)
            cases[case_label(op, shape)] = {"samples": samples, "errors": errors}
    return {"keras": keras.__version__, "keras_backend": keras.backend.backend(), "cases": cases}


def train_worker(backend: str, repeats: int, steps: int) -> dict:
    """train_step.py's tiny preset on ``backend``, with its timer swapped for the interleaved
    rounds (so the report has each round's times, not only the medians)."""
    import train_step
    recorded: list[dict[str, list[float]]] = []

    def timer(pairs: dict[str, Callable[[], Any]], repeats: int, steps: int,
              sync: Callable[[Any], Any]) -> dict[str, float]:
        for f in pairs.values():  # compile and warm up, as train_step._time does
            for _ in range(3):
                sync(f())

        def timed(f: Callable[[], Any]) -> float:
            sync(None)
            return batch(f, (), _same, steps, sync)
        got = interleaved({k: functools.partial(timed, f) for k, f in pairs.items()}, repeats)
        recorded.append(got)
        return {k: statistics.median(v) * 1e3 for k, v in got.items()}

    train_step._time = timer
    shapes = train_step.PRESETS["tiny"]
    rows = train_step.BENCHES[backend](shapes, "cpu", train_step._variants(False, False),
                                       repeats, steps)
    return {"shapes": [shapes[0], shapes[1]],
            "rows": [{"model": row[1], "variant": row[2], "native_how": row[3],
                      "native": rec["native"], "xops": rec[row[2]]}
                     for row, rec in zip(rows, recorded)]}


@dataclass(frozen=True)
class Job:
    """This script run as ``--worker kind --backends backend *args`` with ``env`` added."""
    kind: str
    backend: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()


class Workers:
    """Each job as a fresh interpreter, all started at once so that their imports overlap (with
    each other and with this process's), measuring one at a time: a worker imports, touches its
    ready file and waits for its go file, which ``results`` touches once every worker is ready
    (or dead) and the previous one has finished. A context manager: leaving it kills any worker
    still running."""

    def __init__(self, jobs: list[Job], timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._tmp = tempfile.TemporaryDirectory(prefix="xops-bench-")
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.procs: list[tuple[subprocess.Popen, str]] = []
        for i, job in enumerate(jobs):
            base = f"{self._tmp.name}/worker{i}"
            cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", job.kind,
                   "--backends", job.backend, "--ready", base, *job.args]
            with open(f"{base}.out", "w") as out, open(f"{base}.err", "w") as err:
                self.procs.append((subprocess.Popen(cmd, stdout=out, stderr=err,
                                                    env={**env, **dict(job.env)}), base))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for p, _ in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self._tmp.cleanup()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline and not all(
                p.poll() is not None or Path(f"{b}.ready").exists() for p, b in self.procs):
            time.sleep(0.1)

    def results(self) -> list[dict | str]:
        """Each job's JSON, or why there is none."""
        self.wait_ready()
        out: list[dict | str] = []
        for p, base in self.procs:
            Path(f"{base}.go").touch()
            try:
                p.wait(timeout=self.timeout_s)
            except subprocess.TimeoutExpired:
                p.kill()
                out.append(f"timed out after {self.timeout_s:.0f} s")
                continue
            out.append(parse_worker_output(Path(f"{base}.out").read_text(),
                                           Path(f"{base}.err").read_text(), p.returncode))
        return out


def worker_ready(kind: str, backend: str, ready: str, wait_s: float = 3600) -> None:
    """In a worker: import what the measurement needs, say so, and wait for the go file."""
    xops.convert(np.zeros(1, np.float32), backend)  # the framework and xops' kernels
    more = {"keras": ["keras.ops"], "train": ["train_step", "xops.nn"]}[kind]
    for name in more + (["optax"] if kind == "train" and backend == "jax" else []):
        importlib.import_module(name)
    Path(f"{ready}.ready").touch()
    go, stop = Path(f"{ready}.go"), time.monotonic() + wait_s
    while not go.exists():
        if time.monotonic() > stop:
            raise SystemExit("no go file")
        time.sleep(0.02)


def parse_worker_output(stdout: str, stderr: str, returncode: int) -> dict | str:
    for line in reversed(stdout.splitlines()):
        if line.startswith(WORKER_TAG):
            return json.loads(line[len(WORKER_TAG):])
    last = [ln for ln in (stderr or stdout).splitlines() if ln.strip()][-1:] or ["no output"]
    return f"worker failed (exit {returncode}): {last[0][:120]}"


def merge_keras(rows: list[Row], backend: str, got: dict | str, notes: list[str]) -> None:
    if isinstance(got, str):
        notes.append(f"{_peers.KERAS} on {backend}: {got}")
    for row in rows:
        if row.backend != backend:
            continue
        if isinstance(got, str):
            row.cells[_peers.KERAS] = "n/a"
            continue
        case = got["cases"][row.case]
        s = case["samples"]
        row.cells[_peers.KERAS] = (ratio(s[_peers.KERAS], s["native"]) if _peers.KERAS in s
                                   else case["errors"].get(_peers.KERAS, "n/a"))


@dataclass
class Compiled:
    """One jit or train-step comparison: per-call (per-step) xops / native."""
    backend: str
    what: str
    native_how: str
    r: Ratio | None
    note: str = ""


def bench_jit(backend: str, mode: Mode) -> Compiled:
    import jit as jit_bench

    from xops import xla
    what = f"MLP block + layer norm + cross-entropy, batch {mode.jit_batch}, dim {mode.jit_dim}"
    how = {"jax": "jax.jit", "torch": "torch.compile (inductor)",
           "tensorflow": "tf.function(jit_compile=True)"}[backend]
    try:
        args = jit_bench.make_args(backend, mode.jit_batch, mode.jit_dim)
        fns = {"native": jit_bench.compile_native(backend, jit_bench.native(backend), "inductor"),
               "xops.jit": xla.jit(jit_bench.block_xops,
                                   options={"torch": {"fullgraph": True, "backend": "inductor"}})}
        samples, errors = time_case(fns, args, _same, functools.partial(jit_bench.sync, backend),
                                    mode.jit_rounds, mode.jit_budget_s)
    except Exception as e:  # noqa: BLE001 - a backend that cannot compile is reported
        return Compiled(backend, what, how, None, f"unavailable: {_why(e)}")
    if errors:
        return Compiled(backend, what, how, None, errors["xops.jit"])
    return Compiled(backend, what, how, ratio(samples["xops.jit"], samples["native"]))


def train_results(backend: str, got: dict | str) -> list[Compiled]:
    if isinstance(got, str):
        return [Compiled(backend, "train step (tiny preset)", "-", None, got)]
    return [Compiled(backend, f"{row['model']} train step", row["native_how"],
                     ratio(row["xops"], row["native"])) for row in got["rows"]]


# ----------------------------------------------------------------------------- output


def fmt_ratio(r: Ratio | str) -> str:
    if isinstance(r, str):
        return r
    return f"{r.value:.2f}× ({r.spread.q1:.2f}–{r.spread.q3:.2f})"


def eager_table(rows: list[Row], impls: list[str]) -> str:
    header = ["backend", "op@shape", "native µs", *impls]
    body = []
    for row in rows:
        nat = "-" if row.native is None else f"{row.native.median:.2f}"
        body.append([row.backend, row.case, nat,
                     *(fmt_ratio(row.cells.get(i, "n/a")) for i in impls)])
    return md_table(header, body)


def compiled_table(results: list[Compiled], target: Callable[[str], str], unit: str) -> str:
    header = ["backend", "what", "native", f"native {unit}", f"xops {unit}", "xops / native",
              "target"]
    scale = 1e3 if unit == "ms" else 1.0
    body = []
    for c in results:
        if c.r is None:
            body.append([c.backend, c.what, c.native_how, "-", "-", c.note, target(c.backend)])
            continue
        digits = 3 if unit == "ms" else 1
        body.append([c.backend, c.what, c.native_how, f"{c.r.native_us / scale:.{digits}f}",
                     f"{c.r.impl_us / scale:.{digits}f}", fmt_ratio(c.r), target(c.backend)])
    return md_table(header, body)


def _tiny_mean(rows: list[Row], backend: str, impl: str) -> str | None:
    """The geometric mean of ``impl``'s ratios on ``backend`` at the smallest shape."""
    small = case_label("", SHAPES[0])
    rs = [r.cells[impl].value for r in rows if r.backend == backend
          and r.case.endswith(small) and isinstance(r.cells.get(impl), Ratio)]
    return f"{geomean(rs):.2g}x" if rs else None


def headline(rows: list[Row]) -> str:
    """Per backend, the geometric mean over the ops at the smallest shape of each
    implementation's ratio to native (array-api-compat: looked up per call, like xops'
    dispatch, and in parentheses with the namespace cached)."""
    parts = []
    for backend in dict.fromkeys(r.backend for r in rows):
        got = []
        for impl in ["xops", "array-api-compat", "autoray", _peers.KERAS]:
            g = _tiny_mean(rows, backend, impl)
            if impl == "array-api-compat":
                ns = _tiny_mean(rows, backend, "array-api-compat+ns")
                g = (f"{ns} ({g} with the namespace cached)" if ns and g
                     else ns or (g and f"{g} (namespace cached)"))
            if g:
                got.append(f"{impl} {g}")
        if got:
            parts.append(f"{backend}: " + ", ".join(got))
    shape = "x".join(map(str, SHAPES[0]))
    return (f"Tiny ops (shape {shape}; geometric mean over {', '.join(OPS)}), time relative to "
            f"the native call: " + "; ".join(parts) + ".")


def write_plot(rows: list[Row], path: Path, targets: dict[str, float] = TARGETS) -> Path:
    """Ratio to native per case, one panel per backend, one marker series per implementation
    (the bar: the interquartile range of its rounds); log y, a line at 1 and at xops' target."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    backends = list(dict.fromkeys(r.backend for r in rows))
    ncol = 2 if len(backends) > 1 else 1
    nrow = math.ceil(len(backends) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(7 * ncol, 4 * nrow + 0.8), squeeze=False)
    style = {impl: (m, f"C{k}") for k, (impl, m) in enumerate(zip(IMPLS, "o^vsD"))}
    drawn: dict[str, Any] = {}
    for ax, backend in zip(axes.flat, backends):
        mine = [r for r in rows if r.backend == backend]
        xs = np.arange(len(mine))
        for k, impl in enumerate(IMPLS):
            pts = [(x + (k - (len(IMPLS) - 1) / 2) * 0.13, r.cells[impl])
                   for x, r in zip(xs, mine) if isinstance(r.cells.get(impl), Ratio)]
            if not pts:
                continue
            ys = [c.value for _, c in pts]
            err = np.clip([[c.value - c.spread.q1 for _, c in pts],
                           [c.spread.q3 - c.value for _, c in pts]], 0, None)
            drawn[impl] = ax.errorbar([x for x, _ in pts], ys, yerr=err, fmt=style[impl][0],
                                      color=style[impl][1], capsize=2, markersize=5,
                                      linestyle="none")
        ax.axhline(1.0, color="black", linewidth=0.8)
        if backend in targets:
            ax.axhline(targets[backend], color="tab:red", linestyle="--", linewidth=0.8)
            ax.annotate(f"xops target {targets[backend]}×", (1.0, targets[backend]),
                        xycoords=("axes fraction", "data"), xytext=(-2, 2),
                        textcoords="offset points", ha="right", va="bottom", fontsize=7,
                        color="tab:red")
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xticks(xs, [r.case for r in mine], rotation=45, ha="right", fontsize=8)
        ax.set_xlim(-0.6, len(mine) - 0.4)
        ax.set_title(backend)
        ax.set_ylabel("time / native")
        ax.grid(True, which="major", axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(backends):]:
        ax.set_visible(False)
    handles = [*drawn.values(), Line2D([], [], color="tab:red", linestyle="--", linewidth=0.8)]
    fig.legend(handles, [*drawn, "xops target"], loc="upper center", ncol=len(handles),
               bbox_to_anchor=(0.5, 0.965), fontsize=8, frameon=False)
    fig.suptitle("Per-call time relative to the native call (median of the rounds; bars: "
                 "interquartile range)", y=0.995)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    def git(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True)
    try:
        head = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
        dirty = git("diff", "--quiet", "HEAD", "--", "xops").returncode != 0
    except OSError:
        return "unknown"
    return head + (" (xops/ has uncommitted changes)" if dirty else "")


def header_lines(mode_name: str, mode: Mode, argv: list[str], started: float,
                 load: tuple[float, float]) -> list[str]:
    dists = ["numpy", "torch", "jax", "jaxlib", "tensorflow-cpu", "tensorflow", "keras",
             "array-api-compat", "autoray", "optax", "matplotlib"]
    versions = ", ".join(f"{d} {v}" for d in dists if (v := _version(d)))
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    threads = ""
    if "torch" in sys.modules:
        threads = f"; torch.get_num_threads() = {sys.modules['torch'].get_num_threads()}"
    when = datetime.datetime.fromtimestamp(started, datetime.timezone.utc)
    cmd = " ".join(["python benchmarks/report.py", *argv])
    return [
        f"- date: {when:%Y-%m-%d %H:%M} UTC; run took {time.time() - started:.0f} s",
        f"- machine: {_cpu_model()}, {os.cpu_count()} cores ({usable} usable){threads}; "
        f"{platform.system()} {platform.release()}; load average (1 min) {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end",
        f"- python {platform.python_version()}; {versions}",
        f"- xops {xops.__version__} at commit {_commit()}; eager fast paths in "
        f"{'C (xops/_speedups.c)' if _fast.ACTIVE else 'Python (the C speedups are not built)'}",
        f"- mode: {mode_name} (`{cmd}`); eager: "
        f"{mode.rounds} interleaved rounds of about {mode.budget_s * 1e3:g} ms per "
        f"implementation; jit: {mode.jit_rounds} rounds; train: {mode.train_repeats} rounds of "
        f"{mode.train_steps} steps",
    ]


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def render(head: str, header: list[str], rows: list[Row], jits: list[Compiled],
           trains: list[Compiled], notes: list[str], plot: str | None) -> str:
    impls = [i for i in IMPLS
             if any(isinstance(c, Ratio) or c not in ("n/a", "not installed")
                    for c in (r.cells.get(i, "n/a") for r in rows))] or ["xops"]
    out = ["# xops benchmark report", "", f"**{head}**", "", *header, ""]
    out += ["## Eager ops", "",
            "Per-call time of each implementation divided by the native call's (medians of the "
            "rounds); in parentheses the interquartile range of the implementation's rounds over "
            "the native median. native µs: the native call's median per-call time. xops' "
            "targets: "
            + ", ".join(f"{b} ≤ {t}×" for b, t in TARGETS.items()) + ".", "",
            eager_table(rows, impls), ""]
    out += [f"- **{i}**: {_peers.LEGEND[i]}" for i in impls]
    if plot:
        out += ["", f"![ratio to native per op and backend]({plot})"]
    if jits:
        import jit as jit_bench
        out += ["", "## Compiled function", "",
                "jit.py's function compiled by `xops.xla.jit` and, written natively, by the "
                "framework's own compiler; per-call µs. (array-api-compat and autoray code "
                "traces to the framework's own program under its jit, so it is not timed here.)",
                "", compiled_table(jits, lambda b: f"≤ {jit_bench.TARGET.get(b, '-')}×", "µs")]
    if trains:
        out += ["", "## Train step", "",
                "train_step.py's tiny preset (MLP 16-16-16-4 at batch 8; transformer block "
                "width 16, 2 heads, sequence 8, batch 8): forward, backward and adam update, "
                "`xops.jit` against the native compiled step; ms per step.", "",
                compiled_table(trains, lambda b: f"≤ {1 / TRAIN_TARGET:.2f}×", "ms")]
    if notes:
        out += ["", "## Notes", "", *(f"- {n}" for n in dict.fromkeys(notes))]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- main


def _torch_threads(n: int) -> None:
    if n:
        import torch
        torch.set_num_threads(n)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer rounds; no torch.compile")
    p.add_argument("--backends", default=None,
                   help="comma-separated subset of the installed backends (default: all)")
    p.add_argument("--sections", default="eager,jit,train")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    p.add_argument("--torch-threads", type=int, default=1,
                   help="torch.set_num_threads for the torch measurements (0: torch's default; "
                        "the default 1 keeps torch's thread pool from stalling on a busy "
                        "machine)")
    p.add_argument("--worker", choices=["keras", "train"], help=argparse.SUPPRESS)
    p.add_argument("--ready", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    started, load0 = time.time(), _load()
    mode_name, mode = ("quick", QUICK) if a.quick else ("full", FULL)
    if a.worker:
        if a.backends == "torch":
            _torch_threads(a.torch_threads)
        if a.ready:
            worker_ready(a.worker, a.backends, a.ready)
        result = (keras_worker(a.backends, mode.rounds, mode.budget_s) if a.worker == "keras"
                  else train_worker(a.backends, mode.train_repeats, mode.train_steps))
        print(WORKER_TAG + json.dumps(result))
        return 0

    installed = xops.installed_backends()
    wanted = BACKENDS if a.backends is None else [b.strip() for b in a.backends.split(",")]
    backends = [b for b in wanted if b in installed]
    sections = set(a.sections.split(","))
    notes = [f"{b}: not installed; skipped" for b in wanted if b not in installed]
    for peer in {_peers.DISTRIBUTIONS[p]: p for p in [*_peers.PEERS, _peers.KERAS]}.values():
        if not _peers.installed(peer):
            notes.append(_peers.missing_note(peer))

    def say(msg: str) -> None:
        print(f"[{time.time() - started:5.0f} s] {msg}", file=sys.stderr, flush=True)

    worker_args = (*(["--quick"] if a.quick else []), f"--torch-threads={a.torch_threads}")
    # the workers import while this process does; all are timed afterwards, one at a time
    keras = [b for b in backends if "eager" in sections and _peers.installed(_peers.KERAS)]
    trains_todo = [b for b in backends if "train" in sections and b in mode.train_backends]
    with Workers([Job("keras", b, worker_args, (("KERAS_BACKEND", b),)) for b in keras],
                 300) as keras_workers, \
            Workers([Job("train", b, worker_args) for b in trains_todo], 600) as train_workers:
        if "torch" in backends:
            _torch_threads(a.torch_threads)
        for b in backends:
            inputs(b)  # imports the framework
        keras_workers.wait_ready()
        train_workers.wait_ready()
        say("imports: done")
        rows: list[Row] = []
        if "eager" in sections:
            for b in backends:
                rows += bench_eager(b, mode, notes)
                say(f"eager {b}: done")
        for b, got in zip(keras, keras_workers.results()):
            merge_keras(rows, b, got, notes)
        if keras:
            say(f"keras.ops on {', '.join(keras)}: done")
        jits = []
        if "jit" in sections:
            for b in backends:
                if b in mode.jit_backends:
                    jits.append(bench_jit(b, mode))
                    say(f"jit {b}: done")
                elif b in JIT_BACKENDS:
                    notes.append(f"jit on {b}: left out of --quick (torch.compile takes a "
                                 "minute or more here)")
        trains: list[Compiled] = []
        for b, got in zip(trains_todo, train_workers.results()):
            trains += train_results(b, got)
        if trains_todo:
            say(f"train on {', '.join(trains_todo)}: done")
        if "train" in sections:
            notes += [f"train step on {b}: left out of --quick (compiling the steps takes "
                      "minutes here)" for b in backends if b in TRAIN_BACKENDS
                      and b not in trains_todo]
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    plot = None
    if rows:
        try:
            write_plot(rows, out / "overhead.png")
            plot = "overhead.png"
        except ImportError:
            notes.append("matplotlib not installed: no plot (the `bench` extra installs it)")
    head = headline(rows) if rows else "No eager section in this run."
    text = render(head, header_lines(mode_name, mode, argv, started, (load0, _load())), rows,
                  jits, trains, notes, plot)
    (out / "report.md").write_text(text)
    print(text)
    say(f"wrote {out / 'report.md'}" + (f" and {out / plot}" if plot else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

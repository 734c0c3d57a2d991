"""The 2-rank torch.distributed work of tests/sharded/test_torch_dtensor.py, run in a child
process (``python -m tests.sharded._torch_worker {ops,train} OUT.json``) that spawns two gloo
ranks on localhost: every registry op on DTensors (``ops``) and FSDP2 training (``train``).
Results go to ``OUT.json``; the test asserts on them. One spawn per mode: a spawn costs seconds.
"""
from __future__ import annotations

import json
import os
import sys
import time
import traceback
import warnings
from datetime import timedelta

import numpy as np

from tests.sharded._gloo import rank_scope, spawn

WORLD = 2


def _init(rank: int, port: int):
    import torch
    import torch.distributed as dist
    from torch.distributed.device_mesh import init_device_mesh

    torch.set_num_threads(1)  # two ranks share the machine's cores
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=WORLD, timeout=timedelta(seconds=30))
    return init_device_mesh("cpu", (WORLD,))


# --------------------------------------------------------------------------------------------
# every registry op on DTensors
# --------------------------------------------------------------------------------------------
# a cell's status is its worst case's, in this order
ORDER = ("wrong", "unclear", "error", "plain", "ok", "skip")
DRAWN = 10  # hypothesis examples drawn per op; the (up to) two best suited to sharding are run


def _arrays(case) -> list[np.ndarray]:
    out = []
    for a in case.args:
        if isinstance(a, np.ndarray):
            out.append(a)
        elif isinstance(a, list) and a and all(isinstance(e, np.ndarray) for e in a):
            out.extend(a)
    return out


def _fit(case) -> tuple[int, int]:
    """How well a case suits sharding: (leading axes of its largest array that every rank gets
    a part of, its number of dimensions); (-1, -1) when it holds an empty array or none."""
    arrs = _arrays(case)
    if not arrs or any(a.size == 0 for a in arrs):
        return -1, -1
    big = max(arrs, key=lambda a: a.ndim)
    return sum(1 for n in big.shape[:2] if n >= WORLD), big.ndim


def draw_cases(name: str, h) -> list:
    """Up to two cases of op ``name``, the same on every rank (derandomized hypothesis): the
    first that suits sharding best (see _fit), then the first non-empty one with fewer
    dimensions."""
    from hypothesis import HealthCheck, Phase, given, settings

    from tests.specs import spec_for

    drawn: list = []

    @settings(derandomize=True, max_examples=DRAWN, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=spec_for(name, h))
    def collect(case):
        drawn.append(case)

    collect()
    ranked = sorted(range(len(drawn)), key=lambda i: (tuple(-v for v in _fit(drawn[i])), i))
    picked = [drawn[ranked[0]]] if ranked else []
    for i in ranked[1:]:
        if 0 < _fit(drawn[i])[1] < _fit(picked[0])[1]:
            picked.append(drawn[i])
            break
    return picked


def _placements():
    from torch.distributed.tensor import Replicate, Shard
    return [("Shard(0)", Shard(0), 1), ("Shard(1)", Shard(1), 2), ("Replicate()", Replicate(), 0)]


def _takes(t, need: int) -> bool:
    """Whether tensor ``t`` is sharded along axis ``need - 1`` (0: replicated): only where
    every rank gets a part. A rank with an empty shard fails some local kernels that the other
    rank runs: the ranks then part ways between collectives and wait for each other for ever."""
    return need == 0 or (t.ndim >= need and t.shape[need - 1] >= WORLD)


def _distribute(v, mesh, placement, need):
    """``v`` (a torch tensor, a list of them, anything else) on the mesh: ``placement`` where
    the tensor takes it (_takes), else replicated."""
    import torch
    from torch.distributed.tensor import Replicate, distribute_tensor
    if isinstance(v, torch.Tensor):
        # every rank holds the same data: no broadcast from a source rank (src_data_rank=None)
        return distribute_tensor(v, mesh, [placement if _takes(v, need) else Replicate()],
                                 src_data_rank=None)
    if isinstance(v, list) and v and all(isinstance(e, torch.Tensor) for e in v):
        return [_distribute(e, mesh, placement, need) for e in v]
    return v


def _leaves(r):
    return list(r) if isinstance(r, (list, tuple)) else [r]


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0][:400] if text else ''}"


def _full(r):
    """The whole tensor of DTensor ``r`` on every rank: ``full_tensor()``, except for dtypes
    gloo cannot gather or reduce (int16, uint16, uint32; sums of bool and int8), whose local
    shards travel as Python objects and are joined here as DTensor would (shards in rank order,
    partial results reduced)."""
    import torch
    import torch.distributed as dist
    try:
        return r.full_tensor()
    except RuntimeError as e:
        if "Invalid scalar type" not in str(e):
            raise
    loc = r.to_local()
    parts: list = [None] * WORLD  # as NumPy arrays: torch cannot unpickle uint32 tensors
    dist.all_gather_object(parts, loc.detach().numpy().copy())
    (p,) = r.placements
    if p.is_shard():
        return torch.from_numpy(np.concatenate(parts, axis=p.dim))
    if p.is_partial():
        op = {"sum": np.add, "max": np.maximum, "min": np.minimum}[p.reduce_op]
        return torch.from_numpy(np.asarray(op(parts[0], parts[1]), parts[0].dtype))
    return torch.from_numpy(parts[0])


def _agree(record: dict) -> dict:
    """The record of the first rank whose record is not ok (each rank's own otherwise): the
    ranks exchange records after every call, so that one rank's failure never leaves the
    other waiting in a collective."""
    import torch.distributed as dist
    both: list = [None] * WORLD
    dist.all_gather_object(both, record)
    return next((r for r in both if r["status"] != "ok"), record)


def is_clear(name: str, placement, e: BaseException) -> bool:
    """The error xops promises for an op DTensor cannot run: NotImplementedError naming the
    op, the placement and DTensor."""
    op = f"xops.nn.functional.{name[3:]}" if name.startswith("nn.") else f"xops.numpy.{name}"
    text = str(e)
    return (isinstance(e, NotImplementedError) and "DTensor" in text and op in text
            and repr(placement) in text)


def run_case(name, h, case, mesh, placement, need) -> dict:
    """One op, one case, one placement, on every rank together: {'status': ok | error (the
    clear error) | unclear (another error) | wrong | plain (a plain tensor result) | skip,
    'detail': ...}."""
    import torch
    from torch.distributed.tensor import DTensor

    from tests.test_agreement import _native_args, compare
    from xops.numpy_api import REGISTRY

    fn = REGISTRY[name].fn
    args, kwargs = _native_args(h, case)
    if need and not any(isinstance(t, torch.Tensor) and _takes(t, need)
                        for a in [*args, *kwargs.values()] for t in _leaves(a)):
        return {"status": "skip", "detail": f"no array with {WORLD} or more rows on axis "
                                            f"{need - 1}"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            local = fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - the case itself fails on plain tensors
            return {"status": "skip", "detail": f"fails on plain tensors: {_short(e)}"}
        dargs = [_distribute(a, mesh, placement, need) for a in args]
        dkwargs = {k: _distribute(v, mesh, placement, need) for k, v in kwargs.items()}
        try:
            out = fn(*dargs, **dkwargs)
            record = {"status": "ok", "detail": ""}
        except Exception as e:  # noqa: BLE001 - recorded, judged by the test
            clear = is_clear(name, placement, e)
            record = {"status": "error" if clear else "unclear", "detail": _short(e),
                      "trace": "" if clear else traceback.format_exc()[-3000:]}
    record = _agree(record)
    if record["status"] != "ok":
        return record
    got = []
    for r in _leaves(out):
        if not isinstance(r, torch.Tensor):
            return _agree({"status": "wrong", "detail": f"result is {type(r).__name__}"})
        got.append(_full(r) if isinstance(r, DTensor) else r)
    plain = [type(r).__name__ for r in _leaves(out) if not isinstance(r, DTensor)]
    try:
        compare(h, case, got if isinstance(out, (list, tuple)) else got[0],
                h.np(list(local) if isinstance(local, (list, tuple)) else local))
        record = ({"status": "plain", "detail": f"result is a plain {plain[0]}, not a DTensor"}
                  if plain else {"status": "ok", "detail": ""})
    except AssertionError as e:
        record = {"status": "wrong", "detail": str(e).strip()[:600]}
    return _agree(record)


def sweep(rank: int, mesh, out: str, only: list[str] | None) -> None:
    from tests.conftest import handle
    from tests.test_agreement import OPS

    h = handle("torch")
    results: dict = {}
    log = open(f"{out}.rank{rank}.log", "w")  # noqa: SIM115 - progress, read when a run hangs
    t0 = time.perf_counter()
    for name in only or OPS:
        print(name, file=log, flush=True)
        try:
            cases = draw_cases(name, h)
        except Exception as e:  # noqa: BLE001
            results[name] = {"draw": {"status": "unclear", "detail": _short(e)}}
            continue
        cells: dict = {}
        for label, placement, need in _placements():
            per = []
            for c in cases:
                print(f"  {label} {[(a.dtype.name, a.shape) for a in _arrays(c)]}", file=log,
                      flush=True)
                per.append(run_case(name, h, c, mesh, placement, need))
                print(f"    {per[-1]['status']} {per[-1]['detail'][:200]}", file=log, flush=True)
            per = [p for p in per if p["status"] != "skip"] or per[:1]
            worst = next((p for s in ORDER for p in per if p["status"] == s),
                         {"status": "skip", "detail": "no case"})
            cells[label] = {**worst, "cases": [p["status"] for p in per]}
        results[name] = cells
    print(f"done in {time.perf_counter() - t0:.1f}s", file=log, flush=True)
    if rank == 0:
        with open(out, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)


# --------------------------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------------------------
def _rank(rank: int, port: int, mode: str, out: str, only: list[str] | None) -> None:
    mesh = _init(rank, port)
    with rank_scope():  # on a failure: destroy the group, raise; else leave
        if mode == "ops":
            sweep(rank, mesh, out, only)
        else:
            from tests.sharded._torch_train import train_rank
            train_rank(rank, mesh, out)


def main(argv: list[str]) -> None:
    mode, out, only = argv[0], argv[1], argv[2:] or None
    spawn(_rank, mode, out, only, world=WORLD)
    if mode == "train":
        from tests.sharded._torch_train import single_process
        single_process(out)


if __name__ == "__main__":
    main(sys.argv[1:])

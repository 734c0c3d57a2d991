"""Run as ``python -m tests.sharded._torch_partial OUT.json``: 2 gloo ranks check what xops does
with values DTensor keeps per rank (tests/sharded/test_torch_partial.py). Each rank records,
per check, what it saw; rank 0 writes both ranks' records.

- Host reads: a DTensor reduction is ``Partial`` until something reduces it, and its ``int()``
  / ``bool()`` read this rank's part. xops' own reads (bincount's length, the bounds checks
  of take and unravel_index, ``xops.cond``'s predicate) must see the global value on every rank.
- Constants xops makes beside a DTensor (a padding, an index) are replicated, so composites
  run; a plain tensor the *user* passes beside a DTensor stays DTensor's error.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta

from tests.sharded._gloo import gather_to_file, rank_scope, spawn


def _outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - recorded, the test judges it
        return {"raised": type(e).__name__, "message": str(e)[:400]}
    return {"value": r}


def rank_main(rank: int, port: int, out: str) -> None:
    import torch
    import torch.distributed as dist
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import DTensor, Replicate, Shard, distribute_tensor

    import xops
    from xops import numpy as xnp

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    # ranks that part ways (one raises, the other waits in a collective) fail in a minute
    dist.init_process_group("gloo", rank=rank, world_size=2, timeout=timedelta(seconds=60))
    with rank_scope():  # on a failure: destroy the group, raise; else leave
        mesh = init_device_mesh("cpu", (2,))

        def shard(values, dim=0):
            return distribute_tensor(torch.as_tensor(values), mesh, [Shard(dim)])

        def full(r):
            assert isinstance(r, DTensor), type(r)
            return r.full_tensor().tolist()

        # rank 0 holds [0, 1, 1], rank 1 [3, 2, 0]: the local maxima differ (1 and 3)
        counts = shard([0, 1, 1, 3, 2, 0])
        # rank 0 holds in-range indices, rank 1 one out of range
        idx = shard([0, 1, 2, 7])
        x = shard(torch.arange(12.0).reshape(4, 3))
        checks = {
            "bincount": lambda: full(xnp.bincount(counts)),
            "bincount weights": lambda: full(xnp.bincount(counts, weights=shard(
                [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))),
            "take out of range": lambda: full(xnp.take(distribute_tensor(
                torch.arange(5.0), mesh, [Replicate()]), idx)),
            "unravel_index out of range": lambda: [full(a) for a in xnp.unravel_index(idx, (2, 3))],
            "cond": lambda: float(xops.cond(xnp.max(counts) > 2, lambda v: v + 1.0,
                                            lambda v: v - 1.0, torch.tensor(0.0))),
            "cumulative_sum include_initial": lambda: full(xnp.cumulative_sum(
                x, axis=0, include_initial=True)),
            "repeat": lambda: full(xnp.repeat(x, (1, 2, 0, 1), axis=0)),
            "quantile": lambda: full(xnp.quantile(x, 0.25, axis=0)),
            "user plain tensor beside a DTensor": lambda: full(xnp.concatenate(
                [x, torch.zeros(1, 3)])),
        }
        gather_to_file({name: _outcome(fn) for name, fn in checks.items()}, out, rank)


if __name__ == "__main__":
    spawn(rank_main, sys.argv[1])

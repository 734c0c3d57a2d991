"""Run as ``python -m tests.sharded._torch_random OUT.json``: 2 gloo ranks draw with
``xops.random.sharded`` on a 1-d and a 2x1 mesh; rank 0 writes, per sampler and placement,
whether ``full_tensor()`` equals the unsharded draw and the numbers of counters each rank
hashed (each rank must hash its shard only)."""
from __future__ import annotations

import os
import sys

from tests.sharded._gloo import gather_to_file, rank_scope, spawn
from tests.test_random import _SHARDED_ARGS as ARGS  # each sampler's arguments for a shape

SHAPE = (5, 6)   # 5 rows over 2 ranks: uneven shards (3 + 2)


def rank_main(rank: int, port: int, out: str) -> None:
    import torch
    import torch.distributed as dist
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.tensor import Replicate, Shard

    import xops.random._keys as keys
    from xops import random as xr

    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=2)
    hashed: list[int] = []
    real = keys.threefry2x32

    def counting(k0, k1, x0, x1):
        hashed.append(int(x1.numel()))
        return real(k0, k1, x0, x1)

    keys.threefry2x32 = counting
    with rank_scope():  # on a failure: destroy the group, raise; else leave
        mesh = init_device_mesh("cpu", (2,))
        results = {}
        for name, args in ARGS.items():
            fn = getattr(xr, name)
            key = xr.key(7, backend="torch")
            whole = fn(key, *args(SHAPE))
            for label, placement in (("Shard(0)", Shard(0)), ("Shard(1)", Shard(1)),
                                     ("Replicate()", Replicate())):
                hashed.clear()
                d = xr.sharded(fn, mesh, [placement])(key, *args(SHAPE))
                part = d.to_local()
                # this rank's block of the whole draw, by torch's chunking (no collective:
                # gloo cannot gather uint32)
                if label == "Shard(0)":
                    want = whole[rank * 3:rank * 3 + part.shape[0]]
                elif label == "Shard(1)":
                    want = whole[:, rank * 3:rank * 3 + part.shape[1]]
                else:
                    want = whole
                results[f"{name} {label}"] = {
                    "equal": bool(torch.equal(part, want)) and tuple(d.shape) == SHAPE
                    and d.dtype == whole.dtype, "dtype": str(part.dtype),
                    "local": tuple(part.shape), "hashed": sum(n for n in hashed if n != 2),
                    "placements": str(d.placements)}
                if whole.dtype in (torch.float32, torch.int64, torch.bool):  # gloo can gather
                    results[f"{name} {label}"]["equal"] &= bool(torch.equal(d.full_tensor(),
                                                                            whole))
        gather_to_file(results, out, rank)


if __name__ == "__main__":
    spawn(rank_main, sys.argv[1])

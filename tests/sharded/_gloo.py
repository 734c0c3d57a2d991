"""What the 2-rank torch workers of tests/sharded share: a free port, spawning the ranks, and
the way a rank leaves (_torch_worker.py, _torch_random.py, _torch_partial.py)."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from typing import Any, Callable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(rank_main: Callable[..., None], *args: Any, world: int = 2) -> None:
    """``rank_main(rank, port, *args)`` on ``world`` ranks (a failed rank fails the call)."""
    import torch.multiprocessing as mp
    mp.spawn(rank_main, args=(free_port(), *args), nprocs=world, join=True)


def gather_to_file(results: Any, out: str, rank: int, world: int = 2) -> None:
    """Every rank's ``results``; rank 0 writes ``{"rank0": ..., "rank1": ...}`` to ``out``."""
    import torch.distributed as dist
    both: list[Any] = [None] * world
    dist.all_gather_object(both, results)
    if rank == 0:
        with open(out, "w") as f:
            json.dump({f"rank{r}": v for r, v in enumerate(both)}, f)


@contextlib.contextmanager
def rank_scope():
    """The body of a rank after ``init_process_group``: on a failure the group is destroyed
    and the error raised; on success the rank leaves (:func:`leave`)."""
    import torch.distributed as dist
    try:
        yield
    except BaseException:
        dist.destroy_process_group()
        raise
    leave()


def leave() -> None:
    """Meet the other ranks, then leave the process. gloo's teardown (destroy_process_group,
    then interpreter exit) in torch 2.13 now and then aborts a rank that has finished (SIGABRT,
    "terminate called without an active exception"), after all the work is done and written:
    a finished rank leaves without it. On a failure call ``dist.destroy_process_group()`` and
    raise instead."""
    import torch.distributed as dist
    dist.barrier()  # both ranks leave together (a rank exiting early aborts gloo)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def run_worker(module: str, out: Any, timeout: float = 300) -> Any:
    """Run ``python -m <module> OUT`` (a worker that spawns the ranks; the tests' fixtures) and
    return the JSON it wrote to ``out``."""
    import subprocess
    from pathlib import Path
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    p = subprocess.run([sys.executable, "-m", module, str(out)], cwd=Path(__file__).parents[2],
                       env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0 and Path(out).exists(), p.stderr[-6000:]
    return json.loads(Path(out).read_text())

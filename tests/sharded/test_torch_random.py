"""``xops.random.sharded`` on 2 gloo ranks: a sampler's draw made as a DTensor (Shard(0) with
uneven shards, Shard(1), Replicate()) equals the unsharded draw bit for bit, and each rank
hashes the counters of its own shard only (tests/sharded/_torch_random.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

if not os.environ.get("XOPS_SHARDED"):
    pytest.skip("the sharded suite runs in its own pytest process (XOPS_SHARDED=1)",
                allow_module_level=True)
pytest.importorskip("torch.distributed")

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def draws(tmp_path_factory):
    from ._gloo import run_worker
    return run_worker("tests.sharded._torch_random",
                      tmp_path_factory.mktemp("random") / "draws.json")


def test_sharded_draws_equal_the_whole_draw(draws):
    from ._torch_random import ARGS, SHAPE
    for rank in ("rank0", "rank1"):
        res = draws[rank]
        assert len(res) == 3 * len(ARGS)
        for what, r in res.items():
            assert r["equal"], (rank, what, r)
    # each rank's local block: torch's chunking (5 rows -> 3 + 2; 6 columns -> 3 + 3)
    rows = {"rank0": 3, "rank1": 2}
    for rank, res in draws.items():
        for name in ARGS:
            assert tuple(res[f"{name} Shard(0)"]["local"]) == (rows[rank], SHAPE[1])
            assert tuple(res[f"{name} Shard(1)"]["local"]) == (SHAPE[0], 3)
            assert tuple(res[f"{name} Replicate()"]["local"]) == SHAPE


def test_each_rank_hashes_its_own_shard_only(draws):
    # the counters hashed for the values (key splits hash 2): a Shard(0) rank hashes its rows
    # (twice for randint's two words), a Replicate() rank the whole draw
    for rank, rows in (("rank0", 3), ("rank1", 2)):
        res = draws[rank]
        for name in ("bits", "uniform", "normal", "gumbel", "bernoulli", "dropout_mask"):
            assert res[f"{name} Shard(0)"]["hashed"] == rows * 6, (rank, name, res)
            assert res[f"{name} Replicate()"]["hashed"] == 30, (rank, name)
        assert res["randint Shard(0)"]["hashed"] == 2 * rows * 6

"""What xops does with values a torch DTensor keeps per rank, on 2 gloo ranks
(tests/sharded/_torch_partial.py): every host read xops makes sees the global value on every
rank (the ranks agree: the same result, or the same error), the constants xops makes beside
DTensors are replicated so composites run, and a plain tensor the user passes beside a
DTensor stays an error."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

if not os.environ.get("XOPS_SHARDED"):
    pytest.skip("the sharded suite runs in its own pytest process (XOPS_SHARDED=1)",
                allow_module_level=True)
pytest.importorskip("torch.distributed")

ROOT = Path(__file__).parents[2]
COUNTS = np.array([0, 1, 1, 3, 2, 0])
X = np.arange(12.0).reshape(4, 3)


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    from ._gloo import run_worker
    return run_worker("tests.sharded._torch_partial",
                      tmp_path_factory.mktemp("partial") / "partial.json", timeout=180)


def test_the_ranks_agree(seen):
    assert seen["rank0"].keys() == seen["rank1"].keys()
    for name, r in seen["rank0"].items():
        assert seen["rank1"][name] == r, name


@pytest.mark.parametrize("name, want", [
    ("bincount", np.bincount(COUNTS)),
    ("bincount weights", np.bincount(COUNTS, weights=[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])),
    ("cond", 1.0),
    ("cumulative_sum include_initial", np.concatenate([np.zeros((1, 3)), np.cumsum(X, 0)])),
    ("repeat", np.repeat(X, (1, 2, 0, 1), axis=0)),
    ("quantile", np.quantile(X, 0.25, axis=0)),
])
def test_values(seen, name, want):
    for rank in ("rank0", "rank1"):
        got = seen[rank][name]
        assert "value" in got, (rank, name, got)
        np.testing.assert_allclose(got["value"], want)


@pytest.mark.parametrize("name, error, words", [
    ("take out of range", "IndexError", "index 7 is out of bounds"),
    ("unravel_index out of range", "ValueError", "out of bounds"),
    ("user plain tensor beside a DTensor", "NotImplementedError", "mixed torch.Tensor and DTensor"),
])
def test_errors_on_every_rank(seen, name, error, words):
    for rank in ("rank0", "rank1"):
        got = seen[rank][name]
        assert got.get("raised") == error and words in got["message"], (rank, got)

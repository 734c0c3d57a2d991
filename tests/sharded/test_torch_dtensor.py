"""xops ops and training on torch.distributed.tensor (DTensor), 2 gloo ranks on localhost.

Every registry op runs on DTensors placed ``Shard(0)``, ``Shard(1)`` and ``Replicate()``: the
result is a DTensor whose ``full_tensor()`` equals the op on plain tensors, or xops raises one
NotImplementedError naming the op, the placement and DTensor; never different numbers. FSDP2
(``fully_shard``) training of an ``xops.nn.to_torch`` module with torch.optim.SGD/Adam and with
an xops optimizer on the sharded DTensor parameters gives the losses of one process.

The work runs once per module in child processes (tests/sharded/_torch_worker.py; a spawn costs
seconds), about a minute on 2 cores. Skipped unless XOPS_SHARDED is set:

    XOPS_SHARDED=torch python -m pytest -q -p no:cacheprovider tests/sharded/test_torch_dtensor.py

``XOPS_DTENSOR_TABLE=1`` also rewrites docs/distributed_dtensor.md (tests/sharded/dtensor_table.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

if not os.environ.get("XOPS_SHARDED"):
    pytest.skip("the sharded suite runs in its own pytest process (XOPS_SHARDED=torch)",
                allow_module_level=True)
pytest.importorskip("torch.distributed")

ROOT = Path(__file__).parents[2]
PLACEMENTS = ("Shard(0)", "Shard(1)", "Replicate()")

# Ops whose result is a plain torch.Tensor with the right values: creation ops whose only array
# is ``like=`` (it names the backend and device, docs/semantics.md), and composites that build
# their result from values they read (0-d flags, bin edges from min/max).
PLAIN_OK = {"arange", "asarray", "bartlett", "blackman", "diag_indices", "empty", "eye",
            "fft.fftfreq", "fft.rfftfreq", "full", "geomspace", "hamming", "hanning",
            "identity", "indices", "kaiser", "linspace", "logspace", "ones", "tri",
            "tril_indices", "triu_indices", "zeros", "array_equal", "average", "histogram",
            "histogram_bin_edges"}


def _run(mode: str, out: Path, timeout: int) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    p = subprocess.run([sys.executable, "-m", "tests.sharded._torch_worker", mode, str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0 or not out.exists():
        logs = "".join(f.read_text()[-1500:] for f in out.parent.glob(out.name + ".rank*.log"))
        pytest.fail(f"the 2-rank {mode} run failed ({p.returncode}):\n{p.stderr[-6000:]}\n"
                    f"progress:\n{logs}")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("dtensor") / "ops.json"
    _run("ops", out, timeout=420)
    results = json.loads(out.read_text())
    if os.environ.get("XOPS_DTENSOR_TABLE"):
        from .dtensor_table import write
        write(results)
    return results


@pytest.fixture(scope="module")
def training(tmp_path_factory):
    out = tmp_path_factory.mktemp("fsdp") / "train.json"
    _run("train", out, timeout=300)
    return json.loads(out.read_text())


def _cells(results, status):
    return {(op, p): c for op, cells in results.items() for p, c in cells.items()
            if c["status"] == status}


def test_every_registry_op_is_swept(sweep):
    from xops.numpy_api import REGISTRY

    from ..test_agreement import OPS
    assert set(sweep) == set(OPS) and set(OPS) <= set(REGISTRY)
    for op, cells in sweep.items():
        assert set(cells) == set(PLACEMENTS), (op, cells)
    # every op ran on at least one placement (replicated at least)
    assert not [op for op, cells in sweep.items()
                if all(c["status"] == "skip" for c in cells.values())]


def test_no_wrong_numbers(sweep):
    wrong = _cells(sweep, "wrong")
    assert not wrong, "\n".join(f"{op} {p}: {c['detail']}" for (op, p), c in wrong.items())


def test_every_failure_is_the_one_clear_error(sweep):
    """NotImplementedError naming the op (xops.numpy.<op>), the placement (Shard(dim=0)) and
    DTensor: checked by the worker (_torch_worker.is_clear) on the exception itself."""
    unclear = _cells(sweep, "unclear")
    assert not unclear, "\n".join(f"{op} {p}: {c['detail']}\n{c.get('trace', '')}"
                                  for (op, p), c in unclear.items())


def test_constants_xops_makes_meet_dtensors_replicated(sweep):
    """An index or constant an op's kernel builds as a plain tensor is replicated beside the
    op's DTensors (the op runs again under implicit replication): no cell fails with DTensor's
    mixed-tensor error (the sweep passes no plain tensor of its own)."""
    mixed = {(op, p): c for (op, p), c in _cells(sweep, "error").items()
             if "got mixed torch.Tensor and DTensor" in c["detail"]}
    assert not mixed, "\n".join(f"{op} {p}: {c['detail']}" for (op, p), c in mixed.items())


def test_results_are_dtensors(sweep):
    plain = {op for op, _ in _cells(sweep, "plain")}
    assert plain <= PLAIN_OK, sorted(plain - PLAIN_OK)


def test_most_ops_run_on_dtensors(sweep):
    ok = _cells(sweep, "ok")
    assert len({op for op, _ in ok}) > 200
    for op in ("add", "sum", "matmul", "mean", "nn.softmax", "nn.layer_norm", "zeros_like",
               "ptp", "where", "exp"):
        assert (op, "Replicate()") in ok and (op, "Shard(0)") in ok, (op, sweep[op])


def test_generated_table_is_current(sweep):
    """docs/distributed_dtensor.md lists every op (regenerate with XOPS_DTENSOR_TABLE=1)."""
    text = (ROOT / "docs" / "distributed_dtensor.md").read_text()
    missing = [op for op in sweep if f"| `{op}` |" not in text]
    assert not missing, missing


# --- FSDP2 training ------------------------------------------------------------------------------
def test_fsdp2_training_matches_one_process(training):
    from ._torch_train import OPTIMIZERS, STEPS
    for which in OPTIMIZERS:
        got = training["sharded"][which]
        assert "error" not in got, (which, got["error"])
        assert got["dtensor_params"], which   # fully_shard made the parameters DTensors
        single = training["single"][which]
        assert len(got["losses"]) == len(single) == STEPS
        np.testing.assert_allclose(got["losses"], single, rtol=0, atol=1e-5, err_msg=which)
        assert single[-1] < single[0], which  # it trained

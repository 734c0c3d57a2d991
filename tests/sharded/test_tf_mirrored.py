"""tf.distribute.MirroredStrategy over 2 logical CPU devices: an xops.nn model trained
data-parallel (xops optimizers, gradients all-reduced by the strategy) gives the one-device
losses. The training runs in its own process (tests/sharded/_tf_mirrored_worker.py): logical
devices must be configured before tensorflow initialises, which the main suite has done."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

if not os.environ.get("XOPS_SHARDED"):
    pytest.skip("the sharded suite runs in its own pytest process (make test: XOPS_SHARDED=1)",
                allow_module_level=True)
pytest.importorskip("tensorflow")


def test_mirrored_strategy_training_matches_one_device():
    worker = Path(__file__).with_name("_tf_mirrored_worker.py")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, str(worker)], capture_output=True, text=True,
                         timeout=300, env=env, cwd=Path(__file__).parents[2])
    assert out.returncode == 0, out.stderr[-4000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["replicas"] == 2
    for opt in ("sgd", "adam"):
        np.testing.assert_allclose(res[opt]["mirrored"], res[opt]["single"], rtol=1e-5,
                                   err_msg=opt)
    # the optimizers really stepped (different updates give different later losses)
    assert res["sgd"]["single"][0] == res["adam"]["single"][0]
    assert abs(res["sgd"]["single"][-1] - res["adam"]["single"][-1]) > 1e-3

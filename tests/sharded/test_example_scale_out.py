"""examples/scale_out.py: the same model trained on jax (8 simulated devices, sharded batch
and parameters), torch FSDP2 (2 gloo ranks) and tensorflow MirroredStrategy (2 logical CPUs)
gives each engine's one-device losses, and the three engines agree with each other."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

if not os.environ.get("XOPS_SHARDED"):
    pytest.skip("the sharded suite runs in its own pytest process (make test: XOPS_SHARDED=1)",
                allow_module_level=True)


def test_distributed_example_matches_one_device_on_every_engine():
    root = Path(__file__).parents[2]
    out = subprocess.run([sys.executable, str(root / "examples" / "scale_out.py")],
                         capture_output=True, text=True, timeout=540, cwd=root)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-4000:]
    found = re.findall(r"^(\w+) \(.*loss ([\d.]+) -> ([\d.]+) over 20 steps; largest difference "
                       r"from one device ([\d.e+-]+)$", out.stdout, re.M)
    assert [f[0] for f in found] == ["jax", "torch", "tensorflow"], out.stdout
    for engine, first, last, diff in found:
        assert float(diff) < 1e-5, engine
        assert float(last) < float(first) - 0.3, engine       # it trained
    lasts = [float(f[2]) for f in found]
    assert max(lasts) - min(lasts) < 1e-3, found              # the engines agree

"""`from xops import numpy` loads no op area, no transform and no framework: areas load on first
use. The generated modules (op wrappers, name index) match the declarations."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

import xops.nn  # noqa: F401 - every declaration, for the generated-file checks
import xops.numpy_api as na
from xops.numpy_api import _registry

ROOT = pathlib.Path(na.__file__).parent.parent


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300).stdout


def test_generated_wrappers_and_index_are_current():
    na.load_all()
    hint = "declarations changed: run `make wrappers` and commit the generated files"
    assert (ROOT / "numpy_api" / "_wrappers.py").read_text() == _registry.wrappers_source(), hint
    assert (ROOT / "numpy" / "_index.py").read_text() == _registry.index_source(), hint
    assert not _registry._COMPILED, (hint, "compiled at import:", list(_registry._COMPILED))


_PROBE = """
import sys
{setup}
mods = sorted(m for m in sys.modules if m.startswith('xops') or m.split('.')[0] in
              ('torch', 'jax', 'tensorflow'))
print(' '.join(mods))
"""


def _loaded(setup: str) -> set[str]:
    return set(_fresh(_PROBE.format(setup=setup)).split())


AREAS = {f"xops.numpy_api.{a}" for a in na.AREAS}


def test_import_xops_numpy_loads_no_area_transform_or_framework():
    mods = _loaded("import xops\nfrom xops import numpy as xnp\nxnp.float32, xnp.pi, xnp.e")
    assert not mods & AREAS, mods & AREAS
    assert not {m for m in mods if m.startswith(("xops.xla", "xops.nn", "xops.random"))}, mods
    assert not {m for m in mods if not m.startswith("xops")}, "a framework was imported"
    assert "xops.numpy_api._wrappers" not in mods


def test_first_use_loads_only_the_area_and_its_layers():
    mods = _loaded("import numpy as np\nfrom xops import numpy as xnp\n"
                   "assert float(xnp.add(np.ones(2), 1)[0]) == 2.0")
    assert "xops.numpy_api.elementwise" in mods
    assert not {f"xops.numpy_api.{a}" for a in ("linalg", "fft", "nn", "statistics", "sets",
                                                 "signal", "histograms")} & mods, mods
    assert not {m for m in mods if m.startswith("xops.xla")}, mods


def test_lazy_names_resolve_like_the_registry():
    import xops
    import xops.numpy as xnp
    for name in ("add", "absolute", "sum", "linalg", "fft", "bind", "__array_namespace_info__"):
        assert getattr(xnp, name) is not None
    assert xnp.absolute is xnp.abs  # an alias is the same function
    assert set(na.public_names()) <= set(xnp.__all__) <= set(dir(xnp))
    for name in na.public_names():
        assert getattr(xnp, name) is na.lookup(name).fn, name
    with pytest.raises(AttributeError, match="no_such_op"):
        xnp.no_such_op  # noqa: B018
    assert xops.jit is xops.xla.jit and "jit" in dir(xops)
    with pytest.raises(AttributeError):
        xops.no_such_transform  # noqa: B018


def test_transforms_load_on_first_use():
    mods = _loaded("import xops\nf = xops.jit")
    assert "xops.xla" in mods


def test_first_use_inside_torch_compile_fullgraph():
    pytest.importorskip("torch")
    out = _fresh("import torch\nimport xops.numpy as xnp\n"
                 "f = torch.compile(lambda x: xnp.sin(xnp.add(x, 1.0)), fullgraph=True, "
                 "backend='eager')\nprint(float(f(torch.zeros(2))[0]))")
    assert abs(float(out) - 0.8414709848) < 1e-6


def test_frameworks_can_be_configured_after_import_xops():
    """xops loads a framework's backend when the framework is imported, and that load runs no
    op: device settings that must precede the framework's start (jax's CPU device count,
    tensorflow's virtual devices) still work after ``import xops``, and xops' probes run later,
    at first use (tf softmax: tensorflow/nn.py)."""
    pytest.importorskip("jax")
    pytest.importorskip("tensorflow")
    out = _fresh(
        "import xops, xops.numpy as xnp\n"
        "import jax\n"
        "jax.config.update('jax_num_cpu_devices', 2)\n"
        "import tensorflow as tf\n"
        "cpu = tf.config.list_physical_devices('CPU')[0]\n"
        "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()]"
        " * 2)\n"
        "from xops.nn import functional as F\n"
        "y = F.softmax(tf.constant([[0.0, float('nan')]]))\n"
        "print(len(jax.devices()), len(tf.config.list_logical_devices('CPU')),\n"
        "      bool(tf.reduce_all(tf.math.is_nan(y))))\n")
    assert out.split()[-3:] == ["2", "2", "True"], out

"""Drop-in rough edges a new user hits first (issue: drop-in without surprises): a framework
dtype selects its framework, framework shape objects are shapes, typed jax keys get a hint."""
from __future__ import annotations

import numpy as np
import pytest

import xops
import xops.numpy as xnp

from .conftest import needs_backend

_CREATORS = {
    "zeros": lambda dt: xnp.zeros(3, dtype=dt), "ones": lambda dt: xnp.ones((2, 2), dtype=dt),
    "full": lambda dt: xnp.full(2, 1, dtype=dt), "empty": lambda dt: xnp.empty(2, dtype=dt),
    "arange": lambda dt: xnp.arange(3, dtype=dt), "eye": lambda dt: xnp.eye(2, dtype=dt),
    "linspace": lambda dt: xnp.linspace(0, 1, 3, dtype=dt),
    "asarray": lambda dt: xnp.asarray([1, 2], dtype=dt), "tri": lambda dt: xnp.tri(2, dtype=dt),
}


def _native_float32(name):
    if name == "torch":
        return needs_backend("torch").float32
    if name == "jax":
        needs_backend("jax")
        import jax.numpy as jnp
        return jnp.float32
    return needs_backend("tensorflow").float32


@pytest.mark.parametrize("fw", ["torch", "jax", "tensorflow"])
@pytest.mark.parametrize("op", sorted(_CREATORS))
def test_a_framework_dtype_selects_its_framework(fw, op):
    from .conftest import handle
    out = _CREATORS[op](_native_float32(fw))
    assert handle(fw).is_native(out), type(out)
    assert xops.dtype(out) is xnp.float32


def test_numpy_dtypes_keep_the_default_backend():
    assert isinstance(xnp.zeros(2, dtype=np.float32), np.ndarray)
    assert isinstance(xnp.zeros(2, dtype="float32"), np.ndarray)


def test_a_scope_naming_another_backend_refuses_a_framework_dtype():
    torch = needs_backend("torch")
    with xops.default_backend("numpy"), pytest.raises(
            TypeError, match=r"xops.numpy.zeros: dtype torch.float32 is a torch dtype but the "
                             r"default backend is numpy"):
        xnp.zeros(3, dtype=torch.float32)


def test_tensorshape_is_a_shape():
    tf = needs_backend("tensorflow")
    s = tf.ones((2, 3)).shape
    assert xnp.zeros(s).shape == (2, 3)
    assert xnp.reshape(np.arange(6), s).shape == (2, 3)
    assert xnp.broadcast_to(np.ones(3), s).shape == (2, 3)
    assert xnp.ones(s, like=tf.ones(1)).shape == (2, 3)
    with pytest.raises(ValueError, match="unknown dimensions"):
        xnp.zeros(tf.TensorShape([None, 2]))


def test_typed_jax_key_error_says_what_to_pass():
    jax = needs_backend("jax")
    with pytest.raises(TypeError, match=r"typed jax PRNG key.*key_data"):
        xnp.add(jax.random.key(0), 1)


def test_torch_compile_whatever_the_import_order():
    needs_backend("torch")
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[1]
    code = ("import xops.numpy as xnp\n"  # xops first, torch after, first call compiled
            "import torch\n"
            "f = lambda x: xnp.sum(xnp.multiply(x, 2.0))\n"
            "print(float(torch.compile(f, fullgraph=True)(torch.ones(3))))\n"
            "e = torch._dynamo.explain(f)(torch.ones(4))\n"
            "print(e.graph_count, e.graph_break_count)\n")
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["6.0", "1", "0"], out.stdout


def test_no_autograph_warning_on_the_first_call_inside_tf_function():
    needs_backend("tensorflow")
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[1]
    code = ("import xops.numpy as xnp\n"  # xops first, tensorflow after
            "import tensorflow as tf\n"
            "print(float(tf.function(lambda x: xnp.sum(xnp.multiply(x, 2.0)))(tf.ones(3))))\n")
    env = dict(os.environ, PYTHONPATH=str(root), TF_CPP_MIN_LOG_LEVEL="2")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["6.0"]
    assert "AutoGraph" not in out.stderr, out.stderr[-2000:]


def _fresh(code: str) -> str:
    """stdout of ``code`` in a fresh interpreter running this checkout's xops."""
    import os
    import pathlib
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_numpy_calls_do_not_import_ml_dtypes_until_bfloat16_is_asked_for():
    # ml_dtypes costs about 1 s to import; a NumPy-only program never asked for bfloat16
    pytest.importorskip("ml_dtypes")
    out = _fresh("import sys, numpy as np\n"
                 "import xops.numpy as xnp\n"
                 "xnp.sort(xnp.add(np.ones(3), 1)); xnp.astype(np.ones(2), 'int8')\n"
                 "print('ml_dtypes' in sys.modules)\n"
                 "z = xnp.add(xnp.zeros(3, dtype='bfloat16'), 1.5)\n"
                 "print('ml_dtypes' in sys.modules, z.dtype, xnp.sum(z))\n")
    assert out.split() == ["False", "True", "bfloat16", "4.5"], out


def test_bfloat16_arrays_work_when_ml_dtypes_is_imported_after_the_first_call():
    pytest.importorskip("ml_dtypes")
    out = _fresh("import numpy as np\n"
                 "import xops.numpy as xnp\n"
                 "xnp.add(np.ones(2), 1)\n"
                 "import ml_dtypes\n"
                 "a = np.array([3, float('nan'), 1], dtype=ml_dtypes.bfloat16)\n"
                 "print(xnp.multiply(a, 2).dtype, xnp.sort(a), xnp.astype(a, 'int8'))\n")
    assert out.split() == ["bfloat16", "[1", "3", "nan]", "[3", "0", "1]"], out

"""The generic backend (xops/backends/arrayapi/): detection, naming, errors, and dask laziness
(no op computes: graph executions are counted by a scheduler that counts its calls)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import xops
import xops.nn.functional
from xops import numpy as xnp

from .conftest import GENERIC


@pytest.mark.skipif("array_api_strict" not in GENERIC, reason="array-api-strict not installed")
def test_strict_detection_names_and_errors():
    import array_api_strict as xp
    a = xp.asarray([1.0, -2.0, 3.0])
    i = xp.asarray([1, 2, 3], dtype=xp.int8)
    assert xops.backend(a) == "array_api_strict"
    out = xnp.add(a, i)  # mixed-kind promotion: strict refuses it natively, xops casts first
    assert type(out) is type(a) and xops.dtype(out) is xnp.float64
    e = xp.asarray([-1, 0, 2], dtype=xp.int8)
    np.testing.assert_array_equal(np.from_dlpack(xnp.power(i, e)), [1, 1, 9])
    with pytest.raises(NotImplementedError, match=r"xops\.numpy\.erf.*array_api_strict"):
        xnp.erf(a)
    with pytest.raises(TypeError, match="array_api_strict backend cannot hold float16"):
        xnp.zeros(3, dtype=xnp.float16, like=a)


def test_import_xops_imports_no_generic_library():
    code = ("import sys, xops; from xops import numpy as xnp; import numpy as np; "
            "xnp.add(np.ones(2), 1.0); "
            "bad = [m for m in ('array_api_compat', 'dask', 'array_api_strict') "
            "if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.skipif("dask.array" not in GENERIC, reason="dask not installed")
def test_dask_ops_stay_lazy_and_keep_chunks():
    import dask
    import dask.array as da

    calls = []

    def counting_get(dsk, keys, **kwargs):
        calls.append(1)
        return dask.get(dsk, keys, **kwargs)

    rng = np.random.default_rng(0)
    xn = rng.standard_normal((40, 30))
    x = da.from_array(xn, chunks=(10, 15))
    with dask.config.set(scheduler=counting_get):
        y = xnp.tanh(xnp.multiply(x, 2.0))
        assert y.chunks == x.chunks
        m = xnp.mean(y, axis=0)
        s = xnp.std(y, axis=1, keepdims=True)
        z = xnp.where(xnp.greater(y, 0), y, xnp.zeros_like(y))
        c = xnp.concatenate([z, y], axis=0)
        t = xnp.transpose(c)
        p = xnp.matmul(t, c)
        q = xnp.clip(xnp.cumsum(y, axis=1), -1.0, 1.0)
        r = xnp.astype(xnp.sort(y, axis=1), xnp.int32)
        sm = xops.nn.functional.softmax(y, axis=-1)
        assert calls == [], f"an op computed the graph {len(calls)} times"
        got = dask.compute(m, s, z, p, q, r, sm)
    assert len(calls) == 1
    yn = np.tanh(xn * 2.0)
    np.testing.assert_allclose(got[0], yn.mean(0), rtol=1e-12)
    np.testing.assert_allclose(got[1], yn.std(1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(got[3], np.concatenate([np.where(yn > 0, yn, 0), yn]).T
                               @ np.concatenate([np.where(yn > 0, yn, 0), yn]), rtol=1e-10)
    np.testing.assert_allclose(got[4], np.clip(np.cumsum(yn, 1), -1, 1), rtol=1e-12)
    np.testing.assert_array_equal(got[5], np.sort(yn, 1).astype(np.int32))
    e = np.exp(yn - yn.max(-1, keepdims=True))
    np.testing.assert_allclose(got[6], e / e.sum(-1, keepdims=True), rtol=1e-12)


@pytest.mark.skipif("dask.array" not in GENERIC, reason="dask not installed")
@pytest.mark.parametrize(("shape", "new", "want"), [
    ((2, 0), (-1,), (0,)), ((0, 3), (3, -1), (3, 0)), ((2, 0, 3), (0, 6), (0, 6))])
def test_dask_reshapes_empty_arrays(shape, new, want):
    # dask's own reshape fails on these (its chunk regrouping takes the product of an empty run)
    import dask.array as da
    x = da.from_array(np.zeros(shape, np.float32), chunks=1)
    y = xnp.reshape(x, new)
    assert isinstance(y, da.Array) and y.shape == want and y.dtype == np.float32
    np.testing.assert_array_equal(y.compute(), np.reshape(np.zeros(shape, np.float32), new))
    with pytest.raises(ValueError):
        xnp.reshape(x, (1, 1))


@pytest.mark.skipif("dask.array" not in GENERIC, reason="dask not installed")
def test_dask_data_dependent_shape_is_a_clear_error():
    import dask.array as da
    x = da.from_array(np.arange(6.0), chunks=3)
    with pytest.raises(NotImplementedError, match=r"nonzero.*dask\.array"):
        xnp.nonzero(x)


@pytest.mark.skipif("dask.array" not in GENERIC, reason="dask not installed")
def test_dask_stats_example_runs():
    import os
    import pathlib
    root = pathlib.Path(__file__).parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, str(root / "examples" / "dask_stats.py"), "--rows",
                          "20000"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "computed 20000 x 32 on 2 workers" in out.stdout
    std = [float(v) for v in out.stdout.split("std: [")[1].split("]")[0].split()]
    assert all(0.9 < v < 1.1 for v in std), std  # standard normal columns


@pytest.mark.skipif("array_api_strict" not in GENERIC, reason="array-api-strict not installed")
@pytest.mark.parametrize("dtype", ["float32", "int16", "uint8", "bool", "complex64"])
def test_convert_to_and_from_an_array_api_library(backend, dtype):
    import array_api_strict as xps
    a = np.arange(6).reshape(2, 3).astype(dtype)
    s = xps.asarray(a)
    native = xops.convert(s, backend.name)
    assert backend.is_native(native) and xops.dtype(native) is xops.dtype(a.dtype)
    np.testing.assert_array_equal(backend.np(native), a)
    back = xops.convert(native, "array_api_strict")
    assert type(back) is type(s) and back.dtype == s.dtype
    np.testing.assert_array_equal(np.from_dlpack(back), a)


@pytest.mark.skipif("array_api_strict" not in GENERIC, reason="array-api-strict not installed")
def test_convert_shares_memory_through_dlpack_and_keeps_dtypes():
    import array_api_strict as xps
    a = np.zeros(3, np.float32)
    s = xops.convert(a, "array_api_strict")
    a[0] = 5.0
    assert float(s[0]) == 5.0          # DLPack: no copy
    with pytest.raises(TypeError, match=r"convert.*float16.*array_api_strict"):
        xops.convert(np.ones(2, np.float16), "array_api_strict")
    assert xops.convert(xps.asarray([1.0], dtype=xps.float64), "numpy").dtype == np.float64


@pytest.mark.skipif("dask.array" not in GENERIC, reason="dask not installed")
def test_convert_never_computes_a_lazy_array():
    import dask.array as da
    x = xops.convert(np.arange(4.0), "dask.array")
    assert isinstance(x, da.Array) and x.dtype == np.float64
    np.testing.assert_array_equal(x.compute(), np.arange(4.0))
    with pytest.raises(TypeError, match=r"dask\.array array is lazy.*compute"):
        xops.convert(da.ones(3, chunks=1), "numpy")

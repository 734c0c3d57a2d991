"""The C fast paths (xops/_speedups.c, loaded by xops/_fast.py) against the Python fast paths
they replace: for every argument combination the same result or the same exception, so that an
install without a C compiler (or with ``XOPS_PURE_PYTHON=1``) behaves exactly as one with. And
the C functions' own contract: MISS wherever the cache has no kernel, kernel errors passed on,
no crash when the cache changes under a running kernel."""
from __future__ import annotations

import inspect
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xops import _dispatch, _fast
from xops import numpy as xnp
from xops.numpy_api import elementwise as ew
from xops.numpy_api import reductions as red

from .conftest import INSTALLED, handle

pytestmark = pytest.mark.skipif(not _fast.ACTIVE, reason="the C speedups are not built here "
                                "(no C compiler at install, or XOPS_PURE_PYTHON is set)")

DTYPES = ["float32", "float64", "int32", "int64", "uint8", "bool", "complex64", "float16"]
BINARY = ["add", "multiply", "maximum", "equal", "floor_divide", "logical_and", "bitwise_and",
          "arctan2"]
UNARY = ["exp", "negative", "abs", "sqrt", "isnan", "bitwise_not"]
REDUCTIONS = ["sum", "prod", "mean", "all", "any"]


def _declared(public, key="op"):
    """The declared op that a public op's fast path falls back to (from its closure)."""
    free = inspect.getclosurevars(public).nonlocals
    if key not in free and "public" in free:  # all/any: a wrapper without dtype=
        free = inspect.getclosurevars(free["public"]).nonlocals
    return free[key]


@pytest.fixture(scope="module")
def python_paths():
    """The same public ops made with the C functions switched off: the Python fast paths
    (what an install without a C compiler runs), falling back to the same declared ops."""
    saved = (_fast.unary, _fast.binary, _fast.where)
    _fast.unary = _fast.binary = _fast.where = None
    try:
        ops = {n: _dispatch.make_binary(_dispatch._ELEMENTWISE[n]) for n in BINARY}
        ops.update({n: _dispatch.make_unary(_dispatch._ELEMENTWISE[n]) for n in UNARY})
        for n in REDUCTIONS:
            ops[n] = red._public(getattr(red, f"_{n.upper()}"), n in ("sum", "prod", "mean"))(
                _declared(getattr(xnp, n), "checked"))
        ops["where"] = ew._where_fast(_declared(xnp.where))
        ops["matmul"] = _dispatch.same_dtype_fast("matmul", _declared(xnp.matmul, "cache"),
                                                  _declared(xnp.matmul))
    finally:
        _fast.unary, _fast.binary, _fast.where = saved
    for n, f in ops.items():  # the Python variants, not the C ones
        assert f.__code__.co_name not in ("fn_c", "fast_c", "where_c", "op_c"), n
    return ops


def _outcome(fn, *args):
    try:
        r = fn(*args)
    except Exception as e:  # noqa: BLE001 - compared between the two paths
        return ("raised", type(e), str(e))
    # repr: NaN compares equal to NaN, and -0.0 differs from 0.0
    return ("value", type(r), str(getattr(r, "dtype", None)), repr(np.asarray(
        handle_of(r).np(r) if hasattr(r, "shape") else r).tolist()))


def handle_of(r):
    for n in INSTALLED:
        h = handle(n)
        if h.is_native(r):
            return h
    return handle("numpy")


def _value(h, dtype, shape, seed):
    a = np.random.default_rng(seed).normal(size=shape) * 3
    return h.arr(a.astype(dtype)) if dtype != "bool" else h.arr(a > 0)


ARG = st.one_of(
    st.tuples(st.sampled_from(DTYPES), st.sampled_from([(4,), (2, 3), (3,), ()])),
    st.sampled_from([2, -1, 2.5, True, None, [1.0, 2.0, 3.0, 4.0], "s"]))


def _make(h, spec, seed):
    if isinstance(spec, tuple):
        d, shape = spec
        if h.name == "jax" and d in ("float64", "int64", "complex64"):
            d = {"float64": "float32", "int64": "int32", "complex64": "complex64"}[d]
        return _value(h, d, shape, seed)
    return spec


@pytest.mark.parametrize("name", INSTALLED)
@settings(max_examples=60, deadline=None)
@given(op=st.sampled_from(BINARY + UNARY + REDUCTIONS + ["where", "matmul"]),
       a=ARG, b=ARG, c=ARG, seed=st.integers(0, 3))
def test_c_and_python_paths_agree(python_paths, name, op, a, b, c, seed):
    h = handle(name)
    x, y, z = (_make(h, s, seed + i) for i, s in enumerate((a, b, c)))
    if op in UNARY or op in REDUCTIONS:
        args = (x,)
    elif op == "where":
        args = (_make(h, ("bool", a[1] if isinstance(a, tuple) else (4,)), seed), y, z)
    else:
        args = (x, y)
    public = getattr(xnp, op)
    assert _outcome(public, *args) == _outcome(python_paths[op], *args)


def test_cached_calls_take_the_c_path(monkeypatch):
    """A repeated call of a cached type and dtype is answered by the C function (the kernel is
    called from C, not through the Python path)."""
    x = np.ones(4, np.float32)
    xnp.add(x, x), xnp.exp(x), xnp.sum(x), xnp.where(x > 0, x, x)
    calls = []
    real = _fast.binary

    def spy(cache, a, b):
        calls.append(1)
        return real(cache, a, b)

    monkeypatch.setattr(_fast, "binary", spy)
    fn = _dispatch.make_binary(_dispatch._ELEMENTWISE["add"])
    np.testing.assert_array_equal(fn(x, x), x + x)
    assert calls == [1]


def test_miss_where_the_cache_has_no_kernel():
    from xops import _speedups as s
    x = np.ones(3, np.float32)
    k = {np.ndarray: {x.dtype: np.add}}
    assert s.binary({}, x, x) is s.MISS
    assert s.binary(k, x, x.astype(np.float64)) is s.MISS     # mixed dtypes
    assert s.binary(k, x, 2.0) is s.MISS                       # a Python scalar
    assert s.binary(k, x.astype(np.int8), x.astype(np.int8)) is s.MISS  # no kernel for int8
    assert s.binary(k, [1.0], [1.0]) is s.MISS                 # no type entry
    np.testing.assert_array_equal(s.binary(k, x, x), x + x)
    assert s.unary({np.ndarray: {x.dtype: np.exp}}, object()) is s.MISS  # no dtype attribute
    assert s.where({np.ndarray: (np.dtype(bool), {x.dtype: np.where})}, x, x, x) is s.MISS
    np.testing.assert_array_equal(
        s.where({np.ndarray: (np.dtype(bool), {x.dtype: np.where})}, x > 0, x, -x), x)


def test_bad_caches_and_kernel_errors():
    from xops import _speedups as s
    x = np.ones(3, np.float32)
    with pytest.raises(TypeError, match="cache must be a dict"):
        s.unary([], x)
    with pytest.raises(TypeError, match="table must be a dict"):
        s.unary({np.ndarray: [np.exp]}, x)
    with pytest.raises(TypeError, match="takes 3 arguments"):
        s.binary({}, x)

    def boom(a, b):
        raise ValueError("from the kernel")

    with pytest.raises(ValueError, match="from the kernel"):
        s.binary({np.ndarray: {x.dtype: boom}}, x, x)

    class BadDtype:
        @property
        def dtype(self):
            raise RuntimeError("dtype read failed")

    with pytest.raises(RuntimeError, match="dtype read failed"):  # not a miss: as Python's read
        s.unary({BadDtype: {}}, BadDtype())


def test_cache_changed_by_a_running_kernel():
    """The kernel is held while it runs: clearing the cache from inside it is safe."""
    from xops import _speedups as s
    x = np.ones(3, np.float32)
    cache = {}

    def clearing(a, b):
        cache.clear()
        return a + b

    cache[np.ndarray] = {x.dtype: clearing}
    np.testing.assert_array_equal(s.binary(cache, x, x), x + x)
    assert cache == {}


def test_pure_python_switch():
    """XOPS_PURE_PYTHON=1 runs the Python paths (what an install without a compiler runs)."""
    out = subprocess.run(
        [sys.executable, "-c", "import numpy as np, xops._fast as f, xops.numpy as xnp; "
         "x = np.ones(3, np.float32); print(f.ACTIVE, xnp.add(x, x).tolist(), "
         "xnp.add.__code__.co_name)"],
        env={**os.environ, "XOPS_PURE_PYTHON": "1"}, capture_output=True, text=True, check=True)
    assert out.stdout.split()[0] == "False" and "[2.0, 2.0, 2.0]" in out.stdout

"""Structural regression tests for torch.compile: how many guards dynamo installs for code written
with xops, against the same code written with torch (no timing is asserted; see
benchmarks/guards.py for the timings), that traced paths add no aliasing guards, that eager calls
after compiling do not cause recompiles, and that traced results equal eager ones."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from .conftest import TORCH_DEVICE, handle, needs_backend

torch = needs_backend("torch")
T = handle("torch")

# benchmarks/guards.py is the module under test, importable only once its folder is on the path
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benchmarks"))
import guards as G  # noqa: E402

import xops  # noqa: E402
from xops import numpy as xnp  # noqa: E402


@pytest.fixture(autouse=True)
def _torch_backend():
    xops.get_backend("torch")  # loading the kernel table under tracing is a graph break
    yield
    torch._dynamo.reset()


def _args(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return tuple(T.arr(rng.standard_normal(s).astype(np.float32)) for s in shapes)


def test_elementwise_guards_close_to_hand_written_torch():
    args = _args((4, 8), (4, 8))
    cx, rx = G.compiled(G.xops_elementwise, args)
    ct, rt = G.compiled(G.torch_elementwise, args)
    # xops: per op one guard on the wrapper's code and one on its op name, plus a fixed set for
    # the dispatch functions; hand-written torch has neither. 2x + 30 leaves room for neither
    # a per-op table guard nor the dict-key aliasing checks of the eager caches.
    assert rx["entries"] == 1
    # +5 (55): the traced path's check for a NumPy constant beside a tensor and the declared
    # ops' wrapper (host constants, None checks), which dynamo guards on (97-99 measured).
    assert rx["guards"] <= 2 * rt["guards"] + 55, rx["leaves"] + rx["aliasing"]
    np.testing.assert_allclose(T.np(cx(*args)), T.np(ct(*args)), rtol=1e-6, atol=1e-7)


def test_traced_elementwise_paths_add_no_aliasing_guards():
    """Aliasing guards (one object reached two ways) run as Python code on every call; the
    traced elementwise path must not create any (the eager caches, keyed by type, did)."""
    args = _args((3, 5), (3, 5))

    def f(x, y):
        s = xnp.add(xnp.multiply(x, 2.0), xnp.exp(y))
        return xnp.negative(xnp.maximum(xnp.subtract(s, 1), xnp.sqrt(xnp.abs(y))))

    for _ in range(2):  # with the eager caches filled, too
        f(*args)
    _, r = G.compiled(f, args)
    assert r["aliasing"] == [], r["aliasing"]
    assert not any("fast" in g or "TYPE_CACHE" in g for g in r["leaves"]), r["leaves"]


def test_block_guard_count_stays_bounded():
    args = _args((4, 8), (8, 5), (5,))
    cx, rx = G.compiled(G.xops_block, args)
    ct, rt = G.compiled(G.torch_block, args)
    # Before the traced paths: 387 guards with ~440 aliasing checks once promote_args ran.
    # The elementwise ops and resolve/promote_args/call are traced-path now; the reductions,
    # where and matmul fast caches (numpy_api/reductions.py, indexing.py) still add guards.
    # +10: declared ops are wrapped once more (host constants, None checks), and dynamo
    # guards each wrapper's closure (one guard on the body's code per op): 284 measured.
    # +5: reductions, where and matmul answer eager cache hits in a public function around
    # the declared op (declare(fast=), one closure more each): 289 measured.
    assert rx["guards"] <= 8 * rt["guards"] + 45, rx["guards"]
    assert len(rx["aliasing"]) <= 8, rx["aliasing"]
    np.testing.assert_allclose(float(cx(*args)), float(ct(*args)), rtol=1e-5)


def _ew_only(x, y):
    s = xnp.multiply(x, xnp.reciprocal(xnp.add(1.0, xnp.exp(xnp.negative(x)))))
    return xnp.add(xnp.multiply(s, 0.5), xnp.subtract(y, 1))


def test_eager_calls_after_compiling_do_not_recompile():
    """The eager caches fill after the compile (new dtypes, scalar calls): the compiled function
    must not be guarded on them. (Elementwise ops only: where/matmul/reductions still read their
    eager caches under tracing, see numpy_api/indexing.py and reductions.py.)"""
    args = _args((4, 8), (4, 8))
    c, r = G.compiled(_ew_only, args)
    for dt in (torch.float64, torch.int32, torch.float32, torch.float16):
        a = tuple(t.to(dt) for t in args)
        if dt is torch.int32:
            xnp.add(a[0], a[1]), xnp.multiply(a[0], 3), xnp.exp(a[0])
        else:
            _ew_only(*a)
    c(*args)
    assert G.guard_report(_ew_only)["entries"] == 1


@pytest.mark.parametrize("dtype", [torch.int32, torch.float16, torch.bool, torch.float64])
def test_traced_promotion_and_scalars_match_eager(dtype):
    """The traced plans apply the same promotion, weak-scalar and range rules as eager."""
    x = (torch.arange(6, device=TORCH_DEVICE) - 2).reshape(2, 3).to(dtype)
    y = torch.ones(2, 3, dtype=torch.float32, device=TORCH_DEVICE)

    def f(x, y):
        return (xnp.add(x, y), xnp.multiply(x, 2), xnp.add(x, 1.5), xnp.exp(x),
                xnp.greater(x, 0), xnp.where(xnp.greater(y, 0), x, 0))

    eager = f(x, y)
    torch._dynamo.reset()
    traced = torch.compile(f, backend="eager", fullgraph=True)(x, y)
    for e, t in zip(eager, traced):
        assert type(t) is torch.Tensor and t.dtype == e.dtype, (t.dtype, e.dtype)
        torch.testing.assert_close(t, e, equal_nan=True)


def test_traced_int_scalar_out_of_range_is_an_error():
    x = torch.ones(3, dtype=torch.int8, device=TORCH_DEVICE)
    with pytest.raises(OverflowError, match="xops.numpy.add"):
        xnp.add(x, 1000)
    torch._dynamo.reset()
    with pytest.raises(Exception, match="out of range"):
        torch.compile(lambda v: xnp.add(v, 1000), backend="eager", fullgraph=True)(x)


def test_trace_constant_is_what_torch_assume_constant_result_sets():
    """xops marks its trace-time constants without importing torch._dynamo; torch's public API
    must still set that same marker (fails loudly if a torch release changes the mechanism)."""
    def probe():
        return 1

    torch.compiler.assume_constant_result(probe)
    from xops.backends import trace_constant
    marked = trace_constant(lambda: 1)
    assert {k for k in vars(probe)} == {k for k in vars(marked)}

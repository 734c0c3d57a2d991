"""xops.jit donation (``donate_argnums``) and CUDA graphs (``cuda_graphs``).

torch: a donated argument's tensors receive the matching outputs in place (``copy_`` inside the
compiled graph) and the returned leaves are the donated tensors; jax: ``jax.jit``'s donation;
tensorflow and numpy: the hint is ignored. Argument checks name ``xops.jit``. CUDA graphs run
(and are skipped by torch) on the CPU; the GPU-only checks run where CUDA is available.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import xops
from xops import numpy as xnp

from .conftest import TORCH_DEVICE as D
from .conftest import needs_backend

RNG = np.random.default_rng(0)
W = RNG.standard_normal((3, 2)).astype(np.float32)
B = RNG.standard_normal(2).astype(np.float32)
X = RNG.standard_normal((4, 3)).astype(np.float32)


def step(p, s, x):
    """A training-step shape: ``(params, opt_state, batch) -> (params, opt_state, loss)``."""
    def loss(p):
        return xnp.mean(xnp.square(xnp.matmul(x, p["w"]) + p["b"]))

    val, g = xops.value_and_grad(loss)(p)
    s = {k: 0.9 * s[k] + g[k] for k in s}
    return {k: p[k] - 0.1 * s[k] for k in p}, s, val


def _state(torch, device=None, requires_grad=False):
    device = device or D
    p = {"w": torch.tensor(W, device=device, requires_grad=requires_grad),
         "b": torch.tensor(B, device=device, requires_grad=requires_grad)}
    s = {"w": torch.zeros(3, 2, device=device), "b": torch.zeros(2, device=device)}
    return p, s, torch.tensor(X, device=device)


def _counted(torch):
    from torch._dynamo.testing import CompileCounter
    cnt = CompileCounter()
    return cnt, {"torch": {"backend": cnt, "fullgraph": True}}


def _close(a, b, tol=1e-6):
    """Leaf by leaf within ``tol`` (compiled kernels round differently from eager ones: 1e-5
    where inductor compiles)."""
    import torch
    return all(torch.allclose(x, y, rtol=tol, atol=tol)
               for x, y in zip(torch.utils._pytree.tree_leaves(a),
                               torch.utils._pytree.tree_leaves(b)))


# --------------------------------------------------------------------------------------------
# torch: in-place writes into the donated tensors
# --------------------------------------------------------------------------------------------
def test_torch_step_writes_into_donated_tensors():
    torch = needs_backend("torch")
    ref = step(*_state(torch))
    cnt, opts = _counted(torch)
    f = xops.jit(step, donate_argnums=(0, 1), options=opts)
    p, s, x = _state(torch)
    ptrs = [t.data_ptr() for t in (*p.values(), *s.values())]
    p2, s2, loss = f(p, s, x)
    assert _close((p2, s2, loss), ref)
    assert all(p2[k] is p[k] for k in p) and all(s2[k] is s[k] for k in s)
    assert [t.data_ptr() for t in (*p2.values(), *s2.values())] == ptrs
    assert cnt.frame_count == 1  # one graph, no break
    # the usual loop: the returned state goes back in, no recompile, same buffers
    ref2 = step(*ref[:2], x)
    p3, s3, loss3 = f(p2, s2, x)
    assert _close((p3, s3, loss3), ref2)
    assert [t.data_ptr() for t in (*p3.values(), *s3.values())] == ptrs
    assert cnt.frame_count == 1


def test_torch_donation_through_functionalization():
    """aot_eager: the AOTAutograd graph (functionalised, input mutations kept) that inductor
    compiles; the outputs still are the donated tensors."""
    torch = needs_backend("torch")
    ref = step(*_state(torch))
    f = xops.jit(step, donate_argnums=(0, 1), options={"torch": {"backend": "aot_eager"}})
    p, s, x = _state(torch)
    out = f(p, s, x)
    assert _close(out, ref)
    assert all(out[0][k].data_ptr() == p[k].data_ptr() for k in p)


def test_torch_donation_with_inductor():
    torch = needs_backend("torch")
    from torch._dynamo.utils import counters

    def sgd(p, g):
        return {k: p[k] - 0.5 * g[k] for k in p}

    p = {"w": torch.ones(8, 4, device=D), "b": torch.ones(4, device=D)}
    g = {"w": torch.full((8, 4), 2.0, device=D), "b": torch.full((4,), 2.0, device=D)}
    counters.clear()
    f = xops.jit(sgd, donate_argnums=0)
    ptrs = {k: v.data_ptr() for k, v in p.items()}
    out = f(p, g)
    assert all(torch.equal(out[k], torch.zeros_like(out[k])) for k in out)
    assert {k: v.data_ptr() for k, v in out.items()} == ptrs
    assert counters["stats"]["unique_graphs"] == 1


def test_torch_donated_keyword_argument():
    torch = needs_backend("torch")
    ref = step(*_state(torch))
    cnt, opts = _counted(torch)
    f = xops.jit(step, donate_argnums=(0, 1), options=opts)
    p, s, x = _state(torch)
    out = f(p, s=s, x=x)
    assert _close(out, ref)
    assert out[1]["w"] is s["w"] and out[0]["w"] is p["w"]


def test_torch_outputs_found_anywhere_in_the_output():
    """The matching part may be the output itself, or any tuple / list / dict element."""
    torch = needs_backend("torch")
    cnt, opts = _counted(torch)
    f = xops.jit(lambda x: x * 2, donate_argnums=0, options=opts)
    x = torch.ones(3, device=D)
    assert f(x) is x and torch.equal(x, torch.full((3,), 2.0, device=D))
    g = xops.jit(lambda x, y: {"loss": xnp.sum(x), "new": (y, x + y)}, donate_argnums=0,
                 options=opts)
    x, y = torch.ones(3, device=D), torch.ones(3, device=D)
    out = g(x, y)
    assert out["new"][1] is x and torch.equal(x, torch.full((3,), 2.0, device=D))
    assert out["loss"].item() == 3.0 and out["new"][0] is y


def test_torch_aliasing_outputs_stay_correct():
    torch = needs_backend("torch")
    for backend in ("eager", "aot_eager"):
        opts = {"torch": {"backend": backend, "fullgraph": True}}
        swap = xops.jit(lambda a, b: (b, a), donate_argnums=(0, 1), options=opts)
        a, b = torch.ones(3, device=D), torch.zeros(3, device=D)
        r = swap(a, b)  # values already in the donated buffers: returned as they are
        assert torch.equal(r[0], torch.zeros(3, device=D))
        assert torch.equal(r[1], torch.ones(3, device=D))
        both = xops.jit(lambda a: (a * 2, a, a.t(), a[0]), donate_argnums=0, options=opts)
        a = torch.arange(4.0, device=D).reshape(2, 2)
        new, old, t, row = both(a)
        assert new is a and torch.equal(new, 2 * torch.arange(4.0, device=D).reshape(2, 2))
        # the value before the write
        assert torch.equal(old, torch.arange(4.0, device=D).reshape(2, 2))
        assert torch.equal(t, torch.arange(4.0, device=D).reshape(2, 2).t())
        assert torch.equal(row, torch.tensor([0.0, 1.0], device=D))


def test_torch_tied_leaves_written_once():
    torch = needs_backend("torch")
    cnt, opts = _counted(torch)
    f = xops.jit(lambda p: {"a": p["a"] + 1, "b": p["b"] * 3}, donate_argnums=0, options=opts)
    t = torch.ones(2, device=D)
    out = f({"a": t, "b": t})
    assert torch.equal(out["a"], torch.full((2,), 2.0, device=D))
    assert torch.equal(out["b"], torch.full((2,), 3.0, device=D))


def test_torch_requires_grad_is_a_clear_error_and_no_grad_updates_in_place():
    torch = needs_backend("torch")
    cnt, opts = _counted(torch)
    f = xops.jit(step, donate_argnums=(0, 1), options=opts)
    p, s, x = _state(torch, requires_grad=True)
    with pytest.raises(ValueError, match=r"xops\.jit: argument 0 \('p'\) is donated.*require "
                                         r"grad.*torch\.no_grad"):
        f(p, s, x)
    assert torch.equal(p["w"].detach(), torch.tensor(W, device=D))  # nothing written
    with torch.no_grad():
        ref = step(*_state(torch))
        out = f(p, s, x)
    assert _close(out, ref)
    assert out[0]["w"] is p["w"] and p["w"].requires_grad and p["w"].is_leaf


def test_torch_history_carrying_outputs_are_not_written():
    """An output autograd tracks would lose its history in the copy: it is returned as is."""
    torch = needs_backend("torch")
    w = torch.ones(3, requires_grad=True, device=D)
    f = xops.jit(lambda x: x * w, donate_argnums=0,
                 options={"torch": {"backend": "eager", "fullgraph": True}})
    x = torch.full((3,), 2.0, device=D)
    with pytest.warns(UserWarning, match=r"xops\.jit: donated argument\(s\) 0 \('x'\) were not "
                                         "reused"):
        y = f(x)
    assert y is not x and y.requires_grad
    y.sum().backward()
    assert torch.equal(w.grad, torch.full((3,), 2.0, device=D))


def test_torch_unusable_donation_warns():
    torch = needs_backend("torch")
    cnt, opts = _counted(torch)
    f = xops.jit(lambda x: xnp.sum(x), donate_argnums=0, options=opts)
    with pytest.warns(UserWarning, match=r"xops\.jit: donated argument\(s\) 0 \('x'\)"):
        assert f(torch.ones(3, device=D)).item() == 3.0


def test_torch_no_donation_is_plain_torch_compile():
    torch = needs_backend("torch")
    f = xops.jit(lambda x: x * 2, options={"torch": {"backend": "eager"}})
    x = torch.ones(3, device=D)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = f(x)
    assert y is not x and torch.equal(x, torch.ones(3, device=D))


# --------------------------------------------------------------------------------------------
# jax, numpy, tensorflow
# --------------------------------------------------------------------------------------------
def test_jax_donation_still_works():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    ref = step({"w": jnp.asarray(W), "b": jnp.asarray(B)},
               {"w": jnp.zeros((3, 2)), "b": jnp.zeros(2)}, jnp.asarray(X))
    p = {"w": jnp.asarray(W), "b": jnp.asarray(B)}
    s = {"w": jnp.zeros((3, 2)), "b": jnp.zeros(2)}
    x = jnp.asarray(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Some donated buffers were not usable" on some hosts
        out = xops.jit(step, donate_argnums=(0, 1))(p, s, x)
    for a, b in zip(jax.tree_util.tree_leaves(out), jax.tree_util.tree_leaves(ref)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6)
    assert p["w"].is_deleted() and s["b"].is_deleted() and not x.is_deleted()


def test_numpy_ignores_donation_and_cuda_graphs():
    p = {"w": W.copy(), "b": B.copy()}
    s = {"w": np.zeros((3, 2), np.float32), "b": np.zeros(2, np.float32)}
    f = xops.jit(lambda p, x: {k: v * 2 for k, v in p.items()}, donate_argnums=0,
                 cuda_graphs=True)
    out = f(p, X)
    np.testing.assert_array_equal(out["w"], 2 * W)
    np.testing.assert_array_equal(p["w"], W)  # untouched
    assert s["w"].sum() == 0


def test_tensorflow_ignores_donation_and_cuda_graphs():
    tf = needs_backend("tensorflow")
    f = xops.jit(lambda x, y: (x * 2, xnp.sum(y)), donate_argnums=(0, 1), cuda_graphs=True)
    x = tf.constant(W)
    out = f(x, x)
    np.testing.assert_allclose(out[0].numpy(), 2 * W)
    np.testing.assert_allclose(x.numpy(), W)


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
def test_bad_donate_argnums_are_clear_errors():
    with pytest.raises(ValueError, match=r"xops\.jit: donate_argnums=3 but the function takes 3 "
                                         "positional arguments"):
        xops.jit(step, donate_argnums=3)
    with pytest.raises(ValueError, match=r"xops\.jit: donate_argnums=\(-4,\)"):
        xops.jit(step, donate_argnums=(-4,))
    with pytest.raises(ValueError, match=r"xops\.jit: static_argnums=5"):
        xops.jit(step, static_argnums=5)
    with pytest.raises(ValueError, match=r"xops\.jit: argument\(s\) \[1\] are both static "
                                         r"\(static_argnums\) and donated"):
        xops.jit(step, static_argnums=1, donate_argnums=(0, 1))
    with pytest.raises(ValueError, match=r"xops\.jit: argument\(s\) \[2\] are both static"):
        xops.jit(step, static_argnums=-1, donate_argnums=2)  # -1 is 2
    with pytest.raises(ValueError, match=r"xops\.jit: donate_argnums must be ints"):
        xops.jit(step, donate_argnums=("p",))
    with pytest.raises(ValueError, match=r"xops\.jit: donate_argnums=\(-1,\): a negative "
                                         "position needs"):
        xops.jit(lambda *a: a, donate_argnums=(-1,))
    xops.jit(lambda *a: a, donate_argnums=(7,))  # any position with *args
    with pytest.raises(ValueError, match=r"xops\.jit: unknown backend"):
        xops.jit(step, options={"pytorch": {}})


def test_cuda_graphs_need_inductor():
    torch = needs_backend("torch")
    f = xops.jit(lambda x: x + 1, cuda_graphs=True, options={"torch": {"backend": "eager"}})
    with pytest.raises(ValueError, match=r"xops\.jit: cuda_graphs=True is inductor's "
                                         "triton.cudagraphs option"):
        f(torch.ones(2, device=D))


# --------------------------------------------------------------------------------------------
# CUDA graphs: accepted and correct on the CPU (torch skips them there)
# --------------------------------------------------------------------------------------------
def test_torch_cuda_graphs_run_correctly():
    torch = needs_backend("torch")
    from torch._dynamo.utils import counters

    def f(x, w):
        return xnp.tanh(xnp.matmul(x, w)), xnp.sum(w)

    x, w = torch.tensor(X, device=D), torch.tensor(W, device=D)
    ref = f(x, w)
    counters.clear()
    g = xops.jit(f, cuda_graphs=True)
    for _ in range(3):
        out = g(x, w)
        assert _close(out, ref, 1e-5)
    assert counters["stats"]["unique_graphs"] == 1
    h = xops.jit(f, options={"torch": {"mode": "reduce-overhead"}})  # the same, as a mode
    assert _close(h(x, w), ref, 1e-5)
    # with donation: the donated tensors are written in place and returned
    sgd = xops.jit(lambda p, g: {k: p[k] - 0.5 * g[k] for k in p}, donate_argnums=0,
                   cuda_graphs=True)
    p = {"w": torch.ones(3, 2, device=D), "b": torch.ones(2, device=D)}
    g = {"w": torch.full((3, 2), 2.0, device=D), "b": torch.full((2,), 2.0, device=D)}
    ptrs = {k: v.data_ptr() for k, v in p.items()}
    for i in range(3):
        p = sgd(p, g)
        assert all(torch.equal(v, torch.full_like(v, -float(i))) for v in p.values())
        assert {k: v.data_ptr() for k, v in p.items()} == ptrs


# --------------------------------------------------------------------------------------------
# GPU only (CUDA graphs are captured): outputs survive later calls, donated buffers stay put
# --------------------------------------------------------------------------------------------
def _cuda(torch):
    if D.startswith("cuda"):
        return D
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    return "cuda"


def test_cuda_graph_outputs_are_not_overwritten():
    torch = needs_backend("torch")
    dev = _cuda(torch)
    g = xops.jit(lambda x: (x * 2, xnp.sum(x)), cuda_graphs=True)
    outs = [g(torch.full((4,), float(i), device=dev)) for i in range(4)]
    for i, (y, total) in enumerate(outs):  # every earlier output still holds its own values
        assert torch.equal(y, torch.full((4,), 2.0 * i, device=dev))
        assert total.item() == 4.0 * i


def test_cuda_graphs_with_donation_keep_the_buffers():
    torch = needs_backend("torch")
    dev = _cuda(torch)
    f = xops.jit(step, donate_argnums=(0, 1), cuda_graphs=True)
    p, s, x = _state(torch, dev)
    ptrs = [t.data_ptr() for t in (*p.values(), *s.values())]
    ref_p, ref_s, _ = _state(torch, dev)
    losses = []
    for _ in range(4):
        p, s, loss = f(p, s, x)
        ref_p, ref_s, ref_loss = step(ref_p, ref_s, x)
        losses.append((loss, ref_loss))
        assert _close((p, s), (ref_p, ref_s), 1e-5)
        assert [t.data_ptr() for t in (*p.values(), *s.values())] == ptrs
    for loss, ref_loss in losses:  # kept losses were not overwritten by later replays
        assert torch.allclose(loss, ref_loss, rtol=1e-5, atol=1e-5)

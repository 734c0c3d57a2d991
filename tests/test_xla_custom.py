"""xops.xla.custom_vjp: one custom gradient (JAX semantics) under every framework's transforms."""
from __future__ import annotations

import os

import numpy as np
import pytest

from xops import numpy as xnp
from xops import xla

from .conftest import TORCH_DEVICE, handle, needs_backend

X = np.linspace(-2, 2, 5).astype(np.float32)
SIG = 1 / (1 + np.exp(-X))
# d/dx of loss below: scale * sigmoid(x) (custom) + 2 (from the z output)
REF = SIG * 3 + 2
REF2 = SIG * (1 - SIG) * 3  # second derivative, summed


def fwd(p, scale):
    x = p["x"]
    y = xnp.log1p(xnp.exp(x)) * scale
    return {"y": y, "z": [x * 2.0]}, (x, scale)


def bwd(res, g):
    x, scale = res
    s = 1.0 / (1.0 + xnp.exp(-x))
    return ({"x": g["y"] * s * scale + g["z"][0] * 2.0}, None)


softplus = xla.custom_vjp(fwd, bwd)


def loss(x, scale=3.0):
    o = softplus({"x": x}, scale)
    return xnp.sum(o["y"]) + xnp.sum(o["z"][0])


def close(got, ref=REF):
    if hasattr(got, "detach"):  # torch: read on the host
        got = handle("torch").np(got)
    got = np.asarray(got.numpy() if hasattr(got, "numpy") and not isinstance(got, np.ndarray)
                     else got)
    np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-5)


# a custom gradient that is deliberately *not* the true derivative, so tests see it is used
clipped_exp = xla.custom_vjp(lambda x: (xnp.exp(x), ()), lambda res, g: (xnp.clip(g, -1, 1),))


def test_numpy_forward_and_grad_via_jax():
    np.testing.assert_allclose(loss(X), (np.log1p(np.exp(X)) * 3).sum() + 2 * X.sum(), rtol=1e-5)
    needs_backend("jax")
    close(xla.grad(loss)(X))


def test_custom_rule_is_used(backend):
    from tests.test_xla import arr
    g = xla.grad(lambda v: xnp.sum(clipped_exp(v) * 5.0))(arr(backend, X))
    close(g, np.ones_like(X))


def test_jax_compositions():
    jax = needs_backend("jax")
    x = jax.numpy.asarray(X)
    close(jax.grad(loss)(x))
    close(jax.jit(jax.grad(loss))(x))
    close(jax.vmap(jax.grad(lambda v: loss(v[None])))(x))
    close(jax.grad(lambda v: xnp.sum(jax.grad(loss)(v)))(x), REF2)
    close(jax.jit(xla.grad(loss))(x))


def test_torch_eager_func_vmap_parameter():
    torch = needs_backend("torch")
    h = handle("torch")
    t = h.arr(X).requires_grad_()
    loss(t).backward()
    close(t.grad)
    close(torch.func.grad(loss)(h.arr(X)))
    close(torch.func.vmap(torch.func.grad(lambda v: loss(v[None])))(h.arr(X)))
    p = torch.nn.Parameter(h.arr(X))
    loss(p).backward()
    close(p.grad)
    # the residual x is an input: saved as the input, so grad-of-grad is exact
    close(torch.func.grad(lambda v: torch.func.grad(loss)(v).sum())(h.arr(X)), REF2)


def test_torch_higher_order_with_computed_residuals():
    torch = needs_backend("torch")

    def f2(x):
        y = xnp.exp(x)
        return y, (y,)

    exp_r = xla.custom_vjp(f2, lambda res, g: (g * res[0],), recompute_residuals=True)
    t = handle("torch").arr(X)
    gg = torch.func.grad(lambda v: torch.func.grad(lambda u: xnp.sum(exp_r(u)))(v).sum())(t)
    close(gg, np.exp(X))


def test_torch_compile_fullgraph_forward_backward():
    torch = needs_backend("torch")
    import torch._dynamo as dynamo

    import xops
    # the documented requirement: the torch table is loaded before compiling (in a fresh
    # process this test is the first torch user); loading it also makes the autograd.Function
    # of `softplus`, created at import before torch was loaded
    xops.get_backend("torch")
    dynamo.reset()
    h = handle("torch")
    t = h.arr(X).requires_grad_()
    e = dynamo.explain(loss)(t)
    assert e.graph_break_count == 0, e.break_reasons
    t = h.arr(X).requires_grad_()
    torch.compile(loss, fullgraph=True, backend="eager")(t).backward()
    close(t.grad)


def test_tf_tape_variable_and_jit_compile():
    tf = needs_backend("tensorflow")
    v = tf.Variable(X)
    with tf.GradientTape() as tape:
        y = loss(v)
    close(tape.gradient(y, v))
    c = tf.constant(X)

    @tf.function(jit_compile=True)
    def tg(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = loss(x)
        return tape.gradient(y, x)

    close(tg(c))

    @tf.function(jit_compile=True)
    def tgv():
        with tf.GradientTape() as tape:
            y = loss(v)
        return tape.gradient(y, v)

    close(tgv())
    close(xla.vmap(xla.grad(lambda q: loss(q[None])))(c))


def test_nondiff_argnums_and_errors(backend):
    from tests.test_xla import arr

    def fw(n, x):
        return x * n, (n,)

    def bw(n, res, g):
        assert res[0] == n
        return (g * n,)

    scale = xla.custom_vjp(fw, bw, nondiff_argnums=(0,))
    close(xla.grad(lambda v: xnp.sum(scale(4.0, v)))(arr(backend, X)), np.full_like(X, 4.0))
    bad = xla.custom_vjp(lambda x: (x * 2.0, ()), lambda res, g: (g, g))
    with pytest.raises(ValueError, match="one cotangent per differentiable argument"):
        xla.grad(lambda v: xnp.sum(bad(v)))(arr(backend, X))


def test_custom_vjp_made_before_torch_gets_its_class_when_torch_loads():
    """The torch autograd.Function of a custom_vjp made before torch loaded is defined when the
    torch backend loads, not on the first call (which may be traced: a class definition inside
    torch.compile is a graph break). Fresh process: torch must not be imported before."""
    pytest.importorskip("torch")
    import subprocess
    import sys
    import textwrap
    code = f"DEVICE = {TORCH_DEVICE!r}\n" + textwrap.dedent("""
        import sys, xops
        from xops import numpy as xnp, xla
        def ident_fwd(x):
            return xnp.exp(x), (x,)
        cv = xla.custom_vjp(ident_fwd, lambda r, g: (g * xnp.exp(r[0]),))
        assert "torch" not in sys.modules
        import torch
        made = []
        meta = torch.autograd.function.FunctionMeta
        init = meta.__init__
        def spy(cls, *a, **k):
            made.append((cls.__name__, torch.compiler.is_compiling()))
            return init(cls, *a, **k)
        meta.__init__ = spy
        xops.get_backend("torch")
        mine = [m for m in made if m[0].startswith("XopsCustomVJP")]
        assert mine == [("XopsCustomVJP", False)], made  # renamed after its creation
        import torch._dynamo as dynamo
        x = torch.ones(3, requires_grad=True, device=DEVICE)
        e = dynamo.explain(lambda t: xnp.sum(cv(t)))(x)
        assert e.graph_break_count == 0, e.break_reasons
        assert [m for m in made if m[0].startswith("XopsCustomVJP")] == mine, made
        print("ok")
    """)
    # without the import hook, which would load the backend (and make the class) at
    # `import torch`, before the spy below is in place
    env = {**os.environ, "XOPS_NO_IMPORT_HOOK": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("ok")

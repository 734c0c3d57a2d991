"""A composite function written once with xnp under each framework's compiler and autodiff:
jax.jit/grad/vmap, torch.compile(fullgraph=True) with 0 graph breaks, torch.func, and
tf.function(jit_compile=True) with GradientTape."""
from __future__ import annotations

import numpy as np

from xops import numpy as xnp

from .conftest import handle, needs_backend


def block(x, w, b):
    """A small MLP block + layer-norm-like normalisation + softmax cross-entropy-ish loss."""
    h = xnp.add(xnp.matmul(x, w), b)
    h = xnp.where(xnp.greater(h, 0), h, xnp.multiply(h, 0.01))
    mu = xnp.mean(h, axis=-1, keepdims=True)
    var = xnp.var(h, axis=-1, keepdims=True)
    h = xnp.divide(xnp.subtract(h, mu), xnp.sqrt(xnp.add(var, 1e-5)))
    m = xnp.max(h, axis=-1, keepdims=True)
    lse = xnp.add(xnp.log(xnp.sum(xnp.exp(xnp.subtract(h, m)), axis=-1, keepdims=True)), m)
    logp = xnp.subtract(h, lse)
    return xnp.negative(xnp.mean(xnp.take_along_axis(
        logp, xnp.expand_dims(xnp.argmax(h, axis=-1), -1), axis=-1)))


rng = np.random.default_rng(0)
X = rng.standard_normal((4, 8)).astype(np.float32)
W = rng.standard_normal((8, 5)).astype(np.float32)
B = rng.standard_normal((5,)).astype(np.float32)
REF = float(block(X, W, B))


def test_jax_jit_grad_vmap():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    args = (jnp.asarray(X), jnp.asarray(W), jnp.asarray(B))
    assert abs(float(jax.jit(block)(*args)) - REF) < 1e-4
    g = jax.jit(jax.grad(block, argnums=1))(*args)
    assert g.shape == W.shape and bool(jnp.all(jnp.isfinite(g)))
    per_ex = jax.vmap(lambda x: block(x[None], args[1], args[2]))(args[0])
    assert per_ex.shape == (4,)


def test_torch_compile_fullgraph_no_graph_breaks():
    torch = needs_backend("torch")
    import torch._dynamo as dynamo

    import xops
    # The first xops call with torch imports the torch kernel table; under tracing that import
    # is a graph break, so load it eagerly (documented in the README).
    xops.get_backend("torch")
    dynamo.reset()
    t = handle("torch")
    args = (t.arr(X), t.arr(W).requires_grad_(), t.arr(B))
    explanation = dynamo.explain(block)(*args)
    assert explanation.graph_break_count == 0, explanation.break_reasons
    compiled = torch.compile(block, fullgraph=True, backend="eager")
    out = compiled(*args)
    assert abs(float(out) - REF) < 1e-4
    out.backward()
    assert args[1].grad.shape == W.shape


def test_torch_compile_inductor_matches_eager():
    torch = needs_backend("torch")
    import xops
    xops.get_backend("torch")  # documented: load the table before compiling (first torch use)
    t = handle("torch")
    args = (t.arr(X), t.arr(W), t.arr(B))
    compiled = torch.compile(block, fullgraph=True)
    assert abs(float(compiled(*args)) - REF) < 1e-4


def test_torch_func_grad_and_vmap():
    torch = needs_backend("torch")
    t = handle("torch")
    args = (t.arr(X), t.arr(W), t.arr(B))
    g = torch.func.grad(block, argnums=1)(*args)
    assert g.shape == W.shape
    per_ex = torch.func.vmap(lambda x: block(x[None], args[1], args[2]))(args[0])
    assert per_ex.shape == (4,)


def test_tf_function_jit_compile_and_tape():
    tf = needs_backend("tensorflow")
    args = (tf.constant(X), tf.Variable(W), tf.constant(B))
    f = tf.function(block, jit_compile=True)
    assert abs(float(f(*args)) - REF) < 1e-4
    with tf.GradientTape() as tape:
        y = f(*args)
    g = tape.gradient(y, args[1])
    assert g is not None and g.shape == W.shape

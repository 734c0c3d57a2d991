"""Evidence that xops compiles to what hand-written native code compiles to: for a suite of
composite functions (MLP block, attention, layer norm, softmax cross-entropy) the jaxpr of the
xops version equals the jaxpr of the hand-written jnp version (forward and gradient), dynamo
traces them with 0 graph breaks, and tf.function(jit_compile=True) compiles them."""
from __future__ import annotations

import numpy as np
import pytest

from xops import numpy as xnp
from xops import xla

from .conftest import handle, needs_backend


def suite(ns):
    """The composites, written against a NumPy-named namespace (xnp or jnp)."""
    def mlp(x, w1, b1, w2, b2):
        h = ns.maximum(ns.matmul(x, w1) + b1, 0.0)
        return ns.sum(ns.matmul(h, w2) + b2)

    def layer_norm(x, g, b):
        mu = ns.mean(x, axis=-1, keepdims=True)
        var = ns.var(x, axis=-1, keepdims=True)
        return ns.sum((x - mu) / ns.sqrt(var + 1e-5) * g + b)

    def attention(q, k, v):
        s = ns.matmul(q, ns.swapaxes(k, -1, -2)) / 8.0
        s = s - ns.max(s, axis=-1, keepdims=True)
        p = ns.exp(s)
        p = p / ns.sum(p, axis=-1, keepdims=True)
        return ns.sum(ns.matmul(p, v))

    def xent(logits, labels):
        m = ns.max(logits, axis=-1, keepdims=True)
        lse = ns.log(ns.sum(ns.exp(logits - m), axis=-1, keepdims=True)) + m
        return -ns.mean(ns.take_along_axis(logits - lse, ns.expand_dims(labels, -1), axis=-1))

    return {"mlp": mlp, "layer_norm": layer_norm, "attention": attention, "xent": xent}


R = np.random.default_rng(0)


def f32(*s):
    return R.standard_normal(s).astype(np.float32)


ARGS = {"mlp": (f32(4, 8), f32(8, 16), f32(16), f32(16, 4), f32(4)),
        "layer_norm": (f32(4, 8), f32(8), f32(8)),
        "attention": (f32(2, 4, 8), f32(2, 4, 8), f32(2, 4, 8)),
        "xent": (f32(4, 5), np.array([0, 1, 2, 3], np.int32))}
NAMES = list(ARGS)


@pytest.mark.parametrize("name", NAMES)
def test_jaxpr_equals_hand_written_jnp(name):
    jax = needs_backend("jax")
    args = tuple(jax.numpy.asarray(a) for a in ARGS[name])
    fx, fj = suite(xnp)[name], suite(jax.numpy)[name]
    assert str(jax.make_jaxpr(fx)(*args)) == str(jax.make_jaxpr(fj)(*args))
    assert (str(jax.make_jaxpr(jax.grad(fx))(*args))
            == str(jax.make_jaxpr(jax.grad(fj))(*args)))
    # and through xops.xla's own transforms
    assert (str(jax.make_jaxpr(xla.grad(fx))(*args))
            == str(jax.make_jaxpr(jax.grad(fj))(*args)))


def test_torch_compile_zero_graph_breaks():
    needs_backend("torch")
    import torch._dynamo as dynamo
    t = handle("torch")
    for name in NAMES:
        args = tuple(t.arr(a.astype(np.int64) if a.dtype.kind == "i" else a)
                     for a in ARGS[name])
        dynamo.reset()
        e = dynamo.explain(suite(xnp)[name])(*args)
        assert e.graph_break_count == 0, (name, e.break_reasons)
        assert e.graph_count == 1, name


def test_tf_function_jit_compile_compiles():
    tf = needs_backend("tensorflow")
    for name in NAMES:
        args = tuple(tf.constant(a) for a in ARGS[name])
        fx = xla.jit(suite(xnp)[name])
        ref = suite(np)[name](*ARGS[name])
        np.testing.assert_allclose(float(fx(*args)), ref, rtol=1e-4)
        # XLA actually compiled it: the compiled function exposes its HLO
        hlo = fx._impl["tensorflow"].experimental_get_compiler_ir(*args)(stage="hlo")
        assert "HloModule" in hlo

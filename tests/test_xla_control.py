"""xops.xla control flow: eager on every backend, and traced by jax.jit, torch.compile
(fullgraph, 0 graph breaks) and tf.function(jit_compile=True)."""
from __future__ import annotations

import numpy as np

from xops import numpy as xnp
from xops import xla

from .conftest import handle, needs_backend

X = np.array([0.5, -1.0, 2.0, 0.25], np.float32)


def prog(x):
    a = xla.cond(xnp.sum(x) > 0, lambda v: v * 2.0, lambda v: v - 1.0, x)
    b = xla.switch(xnp.argmax(x), [lambda v: v + 1.0, lambda v: v * 3.0, lambda v: -v], x)
    c = xla.while_loop(lambda s: xnp.sum(s[1]) < 100.0, lambda s: (s[0] + 1, s[1] * 2.0),
                       (0, xnp.abs(x) + 1.0))
    d = xla.fori_loop(0, 3, lambda i, v: v + xnp.sin(v), x)
    carry, ys = xla.scan(lambda cr, xi: (cr + xi, cr * xi), xnp.zeros_like(x[0]), x)
    m = xla.map(lambda r: xnp.sum(r), xnp.reshape(x, (2, 2)))
    cs = xla.associative_scan(lambda p, q: p + q, x)
    return a, b, c[1], d, carry, ys, m, cs


def reference():
    x = X
    a = x * 2.0 if x.sum() > 0 else x - 1.0
    b = -x
    s = np.abs(x) + 1.0
    while s.sum() < 100.0:
        s = s * 2.0
    d = x.copy()
    for _ in range(3):
        d = d + np.sin(d)
    ys, cr = [], np.float32(0)
    for xi in x:
        ys.append(cr * xi)
        cr = cr + xi
    return [a, b, s, d, cr, np.array(ys), x.reshape(2, 2).sum(1), np.cumsum(x)]


def to_np(x):
    if hasattr(x, "detach"):  # torch: read on the host
        return handle("torch").np(x)
    return np.asarray(x.numpy() if hasattr(x, "numpy") and not isinstance(x, np.ndarray) else x)


def check(outs):
    for o, r in zip(outs, reference()):
        np.testing.assert_allclose(to_np(o), r, rtol=1e-5, atol=1e-5)


def test_eager(backend):
    from tests.test_xla import arr
    check(prog(arr(backend, X)))


def test_jax_jit():
    jax = needs_backend("jax")
    check(jax.jit(prog)(jax.numpy.asarray(X)))


def test_torch_compile_no_graph_breaks():
    torch = needs_backend("torch")
    import torch._dynamo as dynamo

    import xops
    xops.get_backend("torch")  # documented: load the table before compiling (first torch use)
    dynamo.reset()
    t = handle("torch")
    e = dynamo.explain(prog)(t.arr(X))
    assert e.graph_break_count == 0, e.break_reasons
    check(torch.compile(prog, fullgraph=True, backend="eager")(t.arr(X)))


def test_tf_function_jit_compile():
    tf = needs_backend("tensorflow")
    check(tf.function(prog, jit_compile=True, autograph=False)(tf.constant(X)))


def test_cond_under_vmap_selects(backend):
    from tests.test_xla import arr
    f = xla.vmap(lambda v: xla.cond(v > 0, lambda u: u * 2.0, lambda u: -u, v))
    np.testing.assert_allclose(to_np(f(arr(backend, X))), np.where(X > 0, 2 * X, -X))


def test_associative_scan_axis_reverse(backend):
    from tests.test_xla import arr
    a = np.arange(15, dtype=np.float32).reshape(3, 5)
    out = xla.associative_scan(lambda p, q: p + q, arr(backend, a), axis=1, reverse=True)
    np.testing.assert_allclose(to_np(out), np.flip(np.cumsum(np.flip(a, 1), 1), 1))


def test_grad_through_scan_and_fori(backend):
    from tests.test_xla import arr

    def f(x):
        c, _ = xla.scan(lambda cr, xi: (cr * 0.5 + xi * xi, cr), xnp.zeros_like(x[0]), x)
        return c + xla.fori_loop(0, 2, lambda i, v: v * 2.0, xnp.sum(x))

    g = xla.grad(f)(arr(backend, X))
    ref = 2 * X * 0.5 ** np.arange(3, -1, -1) + 4.0
    np.testing.assert_allclose(to_np(g), ref, rtol=1e-5)

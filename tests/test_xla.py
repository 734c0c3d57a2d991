"""xops.xla transforms on every backend: jit, grad, value_and_grad, vjp, jvp, vmap,
stop_gradient, with JAX semantics and native arrays in and out."""
from __future__ import annotations

import numpy as np
import pytest

from xops import numpy as xnp
from xops import xla

from .conftest import handle, needs_backend

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3)).astype(np.float32)
W = RNG.standard_normal((3, 2)).astype(np.float32)


def arr(h, a):
    """A native array of backend ``h`` (tf handled here too)."""
    if h.name == "tensorflow":
        import tensorflow as tf
        return tf.constant(np.asarray(a))
    return h.arr(a)


def to_np(x):
    if hasattr(x, "detach"):  # torch: read on the host
        return handle("torch").np(x)
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        return np.asarray(x.numpy())
    return np.asarray(x)


def loss(x, w):
    return xnp.sum(xnp.tanh(xnp.matmul(x, w)))


def loss_grads(x, w):
    t = np.tanh(x @ w)
    d = 1 - t ** 2
    return d @ w.T, x.T @ d


def test_import_xla_imports_no_framework():
    import subprocess
    import sys
    code = ("import sys, xops, xops.xla; bad = [m for m in ('jax', 'torch', 'tensorflow') "
            "if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_grad_and_value_and_grad(backend):
    x, w = arr(backend, X), arr(backend, W)
    gx, gw = xla.grad(loss, argnums=(0, 1))(x, w)
    assert backend.is_native(gx) and backend.is_native(gw)
    rx, rw = loss_grads(X, W)
    np.testing.assert_allclose(to_np(gx), rx, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(to_np(gw), rw, rtol=1e-4, atol=1e-5)
    v, g = xla.value_and_grad(loss, argnums=1)(x, w)
    np.testing.assert_allclose(float(to_np(v)), np.tanh(X @ W).sum(), rtol=1e-5)
    np.testing.assert_allclose(to_np(g), rw, rtol=1e-4, atol=1e-5)


def test_grad_has_aux_and_pytrees(backend):
    def f(p, scale):
        y = xnp.tanh(xnp.matmul(p["x"], p["w"][0])) * scale
        return xnp.sum(y), {"n": xnp.sum(y * 0.0) + 1.0}

    p = {"x": arr(backend, X), "w": [arr(backend, W)]}
    (v, aux), g = xla.value_and_grad(f, has_aux=True)(p, 2.0)
    assert set(g) == {"x", "w"} and len(g["w"]) == 1
    rx, rw = loss_grads(X, W)
    np.testing.assert_allclose(to_np(g["w"][0]), 2 * rw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(float(to_np(aux["n"])), 1.0)
    g2, aux2 = xla.grad(f, has_aux=True)(p, 2.0)
    np.testing.assert_allclose(to_np(g2["x"]), 2 * rx, rtol=1e-4, atol=1e-5)


def test_grad_of_grad(backend):
    def f(s):
        return xnp.sum(xnp.sin(s) * s)
    s = arr(backend, np.array([0.3, 1.0], np.float32))
    h = xla.grad(lambda v: xnp.sum(xla.grad(f)(v)))(s)
    ref = 2 * np.cos([0.3, 1.0]) - np.array([0.3, 1.0]) * np.sin([0.3, 1.0])
    np.testing.assert_allclose(to_np(h), ref, rtol=1e-4)


def test_per_example_gradients(backend):
    per = xla.vmap(xla.grad(lambda x, w: loss(x[None], w), argnums=1), in_axes=(0, None))
    g = per(arr(backend, X), arr(backend, W))
    assert backend.is_native(g) and tuple(g.shape) == (4, 3, 2)
    ref = np.stack([loss_grads(X[i:i + 1], W)[1] for i in range(4)])
    np.testing.assert_allclose(to_np(g), ref, rtol=1e-4, atol=1e-5)


def test_vmap_axes(backend):
    x = arr(backend, X)
    out = xla.vmap(lambda a: xnp.sum(a), in_axes=1)(x)
    np.testing.assert_allclose(to_np(out), X.sum(0), rtol=1e-5)
    out = xla.vmap(lambda a, b: a * b, in_axes=(0, None), out_axes=1)(x, arr(backend, X[0]))
    np.testing.assert_allclose(to_np(out), (X * X[0]).T, rtol=1e-5)
    tree = xla.vmap(lambda d: {"s": d["a"] + d["b"]}, in_axes=({"a": 0, "b": 1},))(
        {"a": x, "b": arr(backend, X.T.copy())})
    np.testing.assert_allclose(to_np(tree["s"]), 2 * X, rtol=1e-5)


def test_vmap_errors(backend):
    x = arr(backend, X)
    with pytest.raises(ValueError):
        xla.vmap(lambda a, b: a + b, in_axes=(0, 0, 0))(x, x)


def test_vjp_jvp(backend):
    x = arr(backend, X)
    out, fn = xla.vjp(xnp.tanh, x)
    (ct,) = fn(xnp.ones_like(out))
    np.testing.assert_allclose(to_np(ct), 1 - np.tanh(X) ** 2, rtol=1e-5)
    out, t = xla.jvp(xnp.tanh, (x,), (xnp.ones_like(x),))
    np.testing.assert_allclose(to_np(out), np.tanh(X), rtol=1e-5)
    np.testing.assert_allclose(to_np(t), 1 - np.tanh(X) ** 2, rtol=1e-5)
    out, fn, aux = xla.vjp(lambda a: (xnp.sin(a), xnp.cos(a)), x, has_aux=True)
    np.testing.assert_allclose(to_np(aux), np.cos(X), rtol=1e-5)


def test_jit(backend):
    opts = {"torch": {"backend": "eager", "fullgraph": True}}
    f = xla.jit(loss, options=opts)
    np.testing.assert_allclose(float(to_np(f(arr(backend, X), arr(backend, W)))),
                               np.tanh(X @ W).sum(), rtol=1e-5)
    g = xla.jit(lambda x, n: xnp.sum(x) * n, static_argnums=1, options=opts)
    assert float(to_np(g(arr(backend, X), 3))) == pytest.approx(3 * X.sum(), rel=1e-5)
    assert backend.is_native(xla.jit(xla.grad(loss), options=opts)(arr(backend, X),
                                                                   arr(backend, W)))


def test_stop_gradient(backend):
    x = arr(backend, X)
    g = xla.grad(lambda a: xnp.sum(a * xla.stop_gradient(a)))(x)
    np.testing.assert_allclose(to_np(g), X, rtol=1e-6)


def test_mixed_backends_error():
    needs_backend("torch")
    with pytest.raises(TypeError, match="mix the"):
        xla.grad(loss)(handle("torch").arr(X), W)


def test_numpy_grad_delegates_to_jax_and_keeps_float64():
    needs_backend("jax")
    import jax
    x = X.astype(np.float64)
    g = xla.grad(lambda a: xnp.sum(a ** 2))(x)
    assert type(g) is np.ndarray and g.dtype == np.float64
    np.testing.assert_allclose(g, 2 * x)
    assert not jax.config.jax_enable_x64  # scoped, never flipped globally


def test_numpy_grad_without_jax_is_a_clear_error(monkeypatch):
    import builtins

    from xops.xla import _common
    real = builtins.__import__

    def no_jax(name, *a, **k):
        if name == "jax" or name.startswith("jax."):
            raise ImportError("no jax")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_jax)
    with pytest.raises(NotImplementedError, match="numpy has no automatic differentiation"):
        _common.require_jax("grad")


def test_tf_variable_grad():
    tf = needs_backend("tensorflow")
    v = tf.Variable(W)
    g = xla.grad(loss, argnums=1)(tf.constant(X), v)
    np.testing.assert_allclose(g.numpy(), loss_grads(X, W)[1], rtol=1e-4, atol=1e-5)


def test_torch_parameter_grad():
    torch = needs_backend("torch")
    t = handle("torch")
    p = torch.nn.Parameter(t.arr(W))
    g = xla.grad(loss, argnums=1)(t.arr(X), p)
    np.testing.assert_allclose(t.np(g), loss_grads(X, W)[1], rtol=1e-4, atol=1e-5)


def test_backend_transforms_modules_share_one_list():
    """Each backend package has a transforms module with the same public functions, and
    xops/xla holds no framework code (read from source: not every framework is installed)."""
    import ast
    import pathlib
    import re

    import xops
    root = pathlib.Path(xops.__file__).parent
    common = ast.parse((root / "backends" / "_transforms_common.py").read_text())
    names = next(ast.literal_eval(n.value) for n in common.body if isinstance(n, ast.Assign)
                 and getattr(n.targets[0], "id", "") == "TRANSFORM_NAMES")
    assert {"jit", "grad", "vmap", "custom_vjp", "tree_map"} <= set(names)
    for fw in ("numpy", "jax", "torch", "tensorflow"):
        src = (root / "backends" / fw / "transforms.py").read_text()
        assert "__all__ = list(C.TRANSFORM_NAMES)" in src, fw
        tree = ast.parse(src)
        defined = set()
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    for e in (t.elts if isinstance(t, ast.Tuple) else [t]):
                        if isinstance(e, ast.Name):
                            defined.add(e.id)
        assert set(names) <= defined, (fw, set(names) - defined)
    framework = re.compile(r'[=!]=\s*"(jax|torch|tensorflow)"|^\s*(import|from)\s+'
                           r'(jax|torch|tensorflow)\b|sys\.modules', re.M)
    for path in (root / "xla").glob("*.py"):
        hits = framework.findall(path.read_text())
        assert not hits, (path.name, hits)

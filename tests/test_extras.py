"""NumPy extras: what the registry-driven agreement tests cannot express (Python-valued shape
queries, errors naming op and backend, no mutation, tracing under jax.jit / tf.function, grads)."""
from __future__ import annotations

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xops
from xops import numpy as xnp

from .conftest import INSTALLED, TORCH_DEVICE, handle, needs_backend


# --- shape queries return Python values -----------------------------------------------------------
def test_shape_ndim_size_agree_with_numpy(backend):
    @given(shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
           data=st.data())
    def run(shape, data):
        x = np.zeros(shape, np.float32)
        a = backend.arr(x)
        assert xnp.shape(a) == np.shape(x) and type(xnp.shape(a)) is tuple
        assert xnp.ndim(a) == np.ndim(x) and type(xnp.ndim(a)) is int
        assert xnp.size(a) == np.size(x) and type(xnp.size(a)) is int
        if x.ndim:
            ax = data.draw(st.integers(-x.ndim, x.ndim - 1))
            assert xnp.size(a, ax) == np.size(x, ax)
            axes = tuple(data.draw(st.lists(st.integers(0, x.ndim - 1), unique=True,
                                            min_size=1)))
            assert xnp.size(a, axes) == int(np.prod([x.shape[i] for i in axes]))

    run()


def test_shape_queries_on_python_data():
    for obj in (3, 2.5, [], [1, 2], [[1, 2], [3, 4], [5, 6]], ((1,), (2,))):
        assert xnp.shape(obj) == np.shape(obj)
        assert xnp.ndim(obj) == np.ndim(obj)
        assert xnp.size(obj) == np.size(obj)
    with pytest.raises(ValueError, match="xops.numpy.shape"):
        xnp.shape([[1, 2], [3]])


# --- errors name the op and the backend -----------------------------------------------------------
def test_errors_name_the_op(backend):
    v = backend.arr(np.arange(3.0))
    m = backend.arr(np.ones((2, 3)))
    cases = [
        (ValueError, "xops.numpy.diagonal", lambda: xnp.diagonal(v)),
        (ValueError, "xops.numpy.diagonal", lambda: xnp.diagonal(m, 0, 1, -1)),
        (ValueError, "xops.numpy.diag", lambda: xnp.diag(backend.arr(np.ones((2, 2, 2))))),
        (ValueError, "xops.numpy.rot90", lambda: xnp.rot90(m, 1, (0, 0))),
        (ValueError, "xops.numpy.fliplr", lambda: xnp.fliplr(v)),
        (ValueError, "xops.numpy.vsplit", lambda: xnp.vsplit(v, 1)),
        (ValueError, "xops.numpy.array_split", lambda: xnp.array_split(v, 0)),
        (ValueError, "xops.numpy.cross", lambda: xnp.cross(backend.arr(np.ones(4)),
                                                           backend.arr(np.ones(4)))),
        (ValueError, "xops.numpy.select", lambda: xnp.select([], [])),
        (TypeError, "xops.numpy.select", lambda: xnp.select([v], [v])),
        (IndexError, "xops.numpy.delete", lambda: xnp.delete(v, 3)),
        (IndexError, "xops.numpy.insert", lambda: xnp.insert(v, 5, 1.0)),
        (ValueError, "xops.numpy.geomspace", lambda: xnp.geomspace(0, 1, like=v)),
        (ValueError, "xops.numpy.vander", lambda: xnp.vander(m)),
        (ValueError, "xops.numpy.put_along_axis",
         lambda: xnp.put_along_axis(m, backend.arr(np.zeros(2, np.int32)), 1.0, 1)),
        (TypeError, "xops.numpy.inner", lambda: xnp.inner(backend.arr(np.ones(2, bool)),
                                                          backend.arr(np.ones(2, bool)))),
        (TypeError, "xops.numpy.unravel_index", lambda: xnp.unravel_index(v, (3,))),
    ]
    for exc, name, fn in cases:
        with pytest.raises(exc, match=name):
            fn()


def test_out_of_bounds_indices_raise_eagerly_naming_the_backend(backend):
    idx = backend.arr(np.array([0, 12], np.int32))
    with pytest.raises(ValueError, match=f"xops.numpy.unravel_index.*{backend.name}"):
        xnp.unravel_index(idx, (3, 4))
    with pytest.raises(ValueError, match=f"xops.numpy.unravel_index.*{backend.name}"):
        xnp.unravel_index(backend.arr(np.array([-1], np.int32)), (3, 4))
    with pytest.raises(ValueError, match=f"xops.numpy.ravel_multi_index.*{backend.name}"):
        xnp.ravel_multi_index((backend.arr(np.array([0, 3], np.int32)), idx), (3, 40))
    # wrap/clip never raise
    out = xnp.ravel_multi_index((backend.arr(np.array([0, 3], np.int32)), idx), (3, 4),
                                mode="wrap")
    np.testing.assert_array_equal(backend.np(out), [0, 0])


def test_mixed_backends_are_refused():
    torch = needs_backend("torch")
    jax = needs_backend("jax")
    with pytest.raises(TypeError, match=r"xops.numpy.\w+: arguments mix the (jax|torch) and"):
        xnp.append(jax.numpy.ones(2), torch.ones(2, device=TORCH_DEVICE))
    with pytest.raises(TypeError, match="xops.numpy.delete: obj must be static.*torch"):
        xnp.delete(torch.ones(3, device=TORCH_DEVICE), torch.tensor([1], device=TORCH_DEVICE))


def test_python_data_takes_the_array_backend(backend):
    a = backend.arr(np.arange(3, dtype=np.int8))
    out = xnp.append(a, [7, 8])
    assert backend.is_native(out)
    # array-likes are converted like asarray (strong), as NumPy does: int8 with an int list is
    # the default int
    assert xops.dtype(out) is backend.be.default_int
    np.testing.assert_array_equal(backend.np(out), [0, 1, 2, 7, 8])
    s = xnp.select([backend.arr(np.array([True, False]))], [backend.arr(np.ones(2, np.float32))])
    assert xops.dtype(s) is xnp.float32  # the default is weak


def test_vander_keeps_float32(backend):
    # xops promotion (documented): NumPy gives float64 here, xops keeps float32
    out = xnp.vander(backend.arr(np.array([1.0, 2.0], np.float32)), 3)
    assert xops.dtype(out) is xnp.float32


# --- no mutation, copies -------------------------------------------------------------------------
def test_put_along_axis_is_functional(backend):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = backend.arr(x)
    out = xnp.put_along_axis(a, backend.arr(np.array([[2], [0]], np.int32)), -1.0, axis=1)
    assert out is not a
    np.testing.assert_array_equal(backend.np(a), x)
    np.testing.assert_array_equal(backend.np(out), [[0, 1, -1], [-1, 4, 5]])


def test_copy_does_not_share_memory():
    x = np.arange(4.0)
    y = xnp.copy(x)
    y[0] = 9
    assert x[0] == 0
    if "torch" in INSTALLED:
        import torch
        t = torch.arange(4.0, device=TORCH_DEVICE)
        u = xnp.copy(t)
        u[0] = 9
        assert t[0] == 0


def test_array_copy_false_refuses_a_needed_copy():
    with pytest.raises(ValueError):
        xnp.array(np.arange(3), dtype=xnp.float32, copy=False)
    x = np.arange(3)
    assert xnp.array(x, copy=None) is x
    assert xnp.array(x) is not x


# --- transforms ----------------------------------------------------------------------------------
@pytest.mark.needs_backend("jax")
def test_composites_under_jax_jit():
    import jax
    import jax.numpy as jnp
    handle("jax")
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    v = np.array([1.0, -2.0, 3.0], np.float32)

    def f(a, b):
        return (xnp.diag(b, 1), xnp.kron(a, b), xnp.cross(a[:, :3], b), xnp.rot90(a, 3),
                xnp.insert(a, [1, 3], 0.5, axis=1), xnp.delete(a, slice(0, 4, 2), axis=1),
                xnp.trace(a, 1), xnp.put_along_axis(a, jnp.array([[0], [1], [2]]), b[:, None], 1),
                xnp.unravel_index(jnp.array([5, 7]), (3, 4)), xnp.argwhere(a > 5, size=8),
                xnp.tril_indices(3, like=a), xnp.select([a > 4], [a], -1.0))

    got = jax.jit(f)(jnp.asarray(x), jnp.asarray(v))
    want = f(jnp.asarray(x), jnp.asarray(v))
    for g, w in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(want)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(w))
    np.testing.assert_array_equal(np.asarray(got[9]), np.argwhere(x > 5)[:8]
                                  if len(np.argwhere(x > 5)) >= 8 else
                                  np.concatenate([np.argwhere(x > 5),
                                                  np.zeros((8 - len(np.argwhere(x > 5)), 2),
                                                           int)]))


@pytest.mark.needs_backend("jax")
def test_argwhere_without_size_under_jit_is_a_clear_error():
    import jax
    import jax.numpy as jnp
    handle("jax")
    with pytest.raises(TypeError, match="xops.numpy.argwhere.*jax.*size="):
        jax.jit(lambda a: xnp.argwhere(a))(jnp.ones(3))
    with pytest.raises(TypeError, match="xops.numpy.argwhere.*jax.*size="):
        jax.jit(lambda a: xnp.flatnonzero(a))(jnp.ones(3))


@pytest.mark.needs_backend("tensorflow")
def test_tf_kernels_under_tf_function():
    import tensorflow as tf
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)

    @tf.function
    def f(a):
        return (xnp.diagonal(a, 1, 2, 1), xnp.argwhere(a > 20.0, size=5, fill_value=-1),
                xnp.put_along_axis(a, tf.constant([[[1]], [[0]]]), 0.0, 2),
                xnp.unravel_index(tf.constant([3, 30]), (2, 3)))  # unchecked in graphs

    d, w, p, u = f(tf.constant(x))
    np.testing.assert_array_equal(d.numpy(), np.diagonal(x, 1, 2, 1))
    np.testing.assert_array_equal(w.numpy(), np.concatenate([np.argwhere(x > 20),
                                                             -np.ones((2, 3), int)]))
    ref = x.copy()
    np.put_along_axis(ref, np.array([[[1]], [[0]]]), 0.0, 2)
    np.testing.assert_array_equal(p.numpy(), ref)
    np.testing.assert_array_equal(u[0].numpy()[:1], [1])


@pytest.mark.needs_backend("torch")
def test_torch_autograd_through_trace_and_put_along_axis():
    import torch
    t, dev = handle("torch"), TORCH_DEVICE
    x = torch.arange(9.0, device=dev).reshape(3, 3).requires_grad_()
    xnp.trace(x).backward()
    np.testing.assert_array_equal(t.np(x.grad), np.eye(3))
    y = torch.zeros(2, 3, requires_grad=True, device=dev)
    v = torch.ones(2, 1, requires_grad=True, device=dev)
    out = xnp.put_along_axis(y, torch.tensor([[1], [2]], device=dev), v, 1)
    (out * torch.arange(6.0, device=dev).reshape(2, 3)).sum().backward()
    np.testing.assert_array_equal(t.np(v.grad), [[1.0], [5.0]])
    np.testing.assert_array_equal(t.np(y.grad), [[0, 0, 2], [3, 4, 0]])


@pytest.mark.needs_backend("torch")
def test_eager_bounds_check_is_skipped_under_vmap():
    import torch
    f = torch.func.vmap(lambda i: xnp.unravel_index(i, (2, 3))[1])
    i = torch.tensor([1, 4], device=TORCH_DEVICE)
    np.testing.assert_array_equal(handle("torch").np(f(i)), [1, 1])


@pytest.mark.needs_backend("torch")
def test_composites_under_torch_compile_fullgraph():
    import torch
    dev = TORCH_DEVICE
    a = torch.arange(12.0, device=dev).reshape(3, 4)
    b = torch.tensor([1.0, -2.0, 3.0], device=dev)

    def f(a, b):
        return (xnp.diag(b, 1), xnp.kron(a, b), xnp.cross(a[:, :3], b), xnp.insert(a, [1, 3], 0.5,
                                                                                   axis=1),
                xnp.delete(a, [0, 2], axis=1),
                xnp.unravel_index(torch.tensor([5, 7], device=dev), (3, 4)))

    want = f(a, b)  # eager first: fills the type cache outside compilation
    got = torch.compile(f, fullgraph=True)(a, b)
    for g, w in zip(got[:5] + got[5], want[:5] + want[5]):
        torch.testing.assert_close(g, w)

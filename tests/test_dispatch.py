"""Dispatch: native type out, detection of subclasses and tracers, errors that name the op and
backend(s), creation defaults (like=, scoped default, XOPS_BACKEND), no implicit conversion."""
from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import xops
from xops import numpy as xnp

from .conftest import INSTALLED, TORCH_DEVICE, handle, needs_backend, other_framework


def swish(x, beta=1.0):
    return x * xnp.reciprocal(1 + xnp.exp(-beta * x))


def test_native_in_native_out(backend):
    x = backend.arr(np.linspace(-2, 2, 8, dtype=np.float32))
    for out in (swish(x), xnp.add(x, x), xnp.sum(x), xnp.where(xnp.greater(x, 0), x, 0.0),
                xnp.matmul(xnp.reshape(x, (2, 4)), xnp.reshape(x, (4, 2))), xnp.zeros(3, like=x)):
        assert backend.is_native(out), type(out)
    np.testing.assert_allclose(backend.np(swish(x)), handle("numpy").np(
        swish(np.linspace(-2, 2, 8, dtype=np.float32))), rtol=1e-6)


def test_mixing_backends_is_a_type_error_naming_both(backend):
    # two frameworks (NumPy data beside one are host constants: tests/test_host_constants.py)
    others = [n for n in INSTALLED if n not in (backend.name, "numpy")]
    if backend.name == "numpy":
        pytest.skip("NumPy data join any framework's arrays as constants")
    if not others:
        pytest.skip("one backend installed")
    x = backend.arr(np.ones(3, np.float32))
    y = handle(others[0]).arr(np.ones(3, np.float32))
    for call in (lambda: xnp.add(x, y), lambda: xnp.where(xnp.greater(x, 0), y, x),
                 lambda: xnp.concatenate([x, y]), lambda: xnp.matmul(x, y)):
        with pytest.raises(TypeError) as info:
            call()
        msg = str(info.value)
        assert "xops.numpy." in msg and backend.name in msg and others[0] in msg


def test_bad_axis_and_bad_dtype_errors_name_the_op(backend):
    x = backend.arr(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"xops.numpy.sum: axis 2 is out of bounds"):
        xnp.sum(x, axis=2)
    with pytest.raises(ValueError, match=r"xops.numpy.sum: repeated axis"):
        xnp.sum(x, axis=(0, -2))
    with pytest.raises(TypeError, match=r"xops.numpy.sum: axis must be an integer"):
        xnp.sum(x, axis=1.5)
    with pytest.raises(TypeError, match=r"xops.numpy.zeros: 'float33' is not a dtype"):
        xnp.zeros(3, dtype="float33", like=x)
    with pytest.raises(TypeError, match=r"xops.numpy.bitwise_and: does not accept float32"):
        xnp.bitwise_and(x, x)
    with pytest.raises(TypeError, match=r"xops.numpy.where: condition must be bool"):
        xnp.where(x, x, x)
    with pytest.raises(ValueError, match=r"xops.numpy.max: zero-size reduction"):
        xnp.max(backend.arr(np.ones((0, 2), np.float32)))
    with pytest.raises(ValueError, match=r"xops.numpy.argmax: attempt to get argmax of an empty"):
        xnp.argmax(backend.arr(np.ones((0,), np.float32)))
    with pytest.raises(TypeError, match=r"xops.numpy.add: unsupported argument type"):
        xnp.add(x, "a")


def test_native_errors_are_annotated_with_op_and_backend(backend):
    a = backend.arr(np.ones((2, 3), np.float32))
    b = backend.arr(np.ones((4, 5), np.float32))
    with pytest.raises(Exception) as info:
        xnp.add(a, b)
    notes = " ".join(getattr(info.value, "__notes__", [])) + str(info.value)
    assert "xops.numpy.add" in notes and backend.name in notes


def test_inputs_are_not_mutated(backend):
    src = np.array([[3.0, -1.0, 2.0], [0.5, np.nan, -4.0]], np.float32)
    x = backend.arr(src)
    for f in (xnp.sort, xnp.argsort, lambda v: xnp.clip(v, 0, 1), xnp.nan_to_num, xnp.cumsum,
              lambda v: xnp.pad(v, 1), xnp.flip, lambda v: xnp.astype(v, "int32")):
        f(x)
        np.testing.assert_array_equal(backend.np(x), src)


def test_creation_default_backend_like_and_scope(backend):
    x = backend.arr(np.ones(2, np.float32))
    assert xops.backend(xnp.zeros(3)) == os.environ.get("XOPS_BACKEND", "numpy")
    assert backend.is_native(xnp.ones(3, like=x))
    assert backend.is_native(xnp.arange(4, like=x))
    with xops.default_backend(backend.name):  # no array input: torch's default device, the CPU
        assert backend.is_native(xnp.zeros(3))
        assert backend.is_native(xnp.full((2,), 1.5))
        assert backend.is_native(xnp.asarray([1, 2]))
        assert xops.dtype(xnp.asarray([1, 2])) is backend.be.default_int
    assert xops.backend(xnp.zeros(3)) == "numpy"


def test_default_backend_is_per_thread():
    seen = {}

    def worker():
        seen["thread"] = xops.backend(xnp.zeros(1))

    with xops.default_backend("numpy"):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen["thread"] == "numpy"


@pytest.mark.parametrize("name", [n for n in INSTALLED if n != "numpy"][:1])
def test_xops_backend_environment_variable(name):
    code = ("import xops; from xops import numpy as xnp; print(xops.backend(xnp.zeros(2)))")
    env = dict(os.environ, XOPS_BACKEND=name)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == name


def test_asarray_never_converts_between_backends(backend):
    other = other_framework(backend.name)
    if other is None:
        pytest.skip("one framework installed")
    y = other.arr(np.ones(3, np.float32))
    with pytest.raises(TypeError, match="xops.convert"):
        xnp.asarray(y, like=backend.arr(np.ones(1, np.float32)))
    if backend.name != "numpy":  # NumPy data is a host constant: converted onto like's backend
        z = xnp.asarray(np.ones(3, np.float32), like=backend.arr(np.ones(1, np.float32)))
        assert backend.is_native(z)


def test_convert_is_explicit_and_keeps_dtype(backend):
    src = np.arange(6, dtype=np.float32).reshape(2, 3)
    # NumPy interop: convert has no device, torch gets its default placement (the CPU) here
    x = xops.convert(src, backend.name)
    assert backend.is_native(x) and xops.dtype(x) is xnp.float32
    np.testing.assert_array_equal(backend.np(x), src)
    back = xops.convert(x, "numpy")
    assert isinstance(back, np.ndarray)
    np.testing.assert_array_equal(back, src)


def test_device_is_kept_for_like(backend):
    x = backend.arr(np.ones(2, np.float32))
    z = xnp.zeros_like(x)
    if backend.name == "torch":
        assert z.device == x.device
    assert backend.is_native(z)


# --- detection of subclasses and tracers --------------------------------------------------------

def test_torch_subclasses_and_functorch_wrappers():
    torch = needs_backend("torch")
    dev = TORCH_DEVICE
    p = torch.nn.Parameter(torch.ones(3, device=dev))
    out = xnp.multiply(p, 2.0)
    assert type(out) is torch.Tensor and out.requires_grad
    out.sum().backward()
    assert torch.equal(p.grad, torch.full((3,), 2.0, device=dev))
    g = torch.func.grad(lambda x: xnp.sum(swish(x)))(torch.ones(4, device=dev))
    v = torch.func.vmap(lambda x: xnp.sum(xnp.exp(x)))(torch.ones(3, 2, device=dev))
    assert g.shape == (4,) and v.shape == (3,)
    pe = torch.func.vmap(torch.func.grad(lambda x: xnp.sum(swish(x))))(torch.ones(3, 4, device=dev))
    assert pe.shape == (3, 4)
    from torch._subclasses.fake_tensor import FakeTensorMode
    with FakeTensorMode():
        f = torch.empty(2, 3, device=dev)
        assert xnp.sum(f, axis=0).shape == (3,)


def test_jax_tracers():
    jax = needs_backend("jax")
    import jax.numpy as jnp

    def f(x):
        return xnp.sum(swish(x))

    g = jax.grad(f)(jnp.ones(4))
    gj = jax.jit(jax.grad(f))(jnp.ones(4))
    v = jax.vmap(jax.grad(f))(jnp.ones((3, 4)))
    assert g.shape == (4,) and v.shape == (3, 4)
    np.testing.assert_allclose(np.asarray(g), np.asarray(gj), rtol=1e-6)
    hv = jax.jvp(f, (jnp.ones(4),), (jnp.ones(4),))
    assert np.isfinite(float(hv[1]))


def test_tensorflow_variables_and_symbolic_tensors():
    tf = needs_backend("tensorflow")
    v = tf.Variable(tf.ones(3))
    with tf.GradientTape() as tape:
        y = xnp.sum(swish(v))
    g = tape.gradient(y, v)
    assert g is not None and g.shape == (3,)

    @tf.function(jit_compile=True)
    def f(x):
        return xnp.sum(swish(x), axis=0)

    out = f(tf.ones((2, 3)))
    assert isinstance(out, tf.Tensor) and out.shape == (3,)
    assert xops.backend(v) == "tensorflow"


def test_numpy_scalars_are_numpy_arrays():
    out = xnp.add(np.float32(1), np.float32(2))
    assert xops.dtype(out) is xnp.float32


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "max", "min", "all", "any", "exp",
                                  "negative"])
def test_cached_fast_path_matches_first_call(backend, name):
    """The first call goes through the slow path and fills the per-type cache; the second takes
    the fast path. Both must give the same dtype and values, for every dtype."""
    from xops import _dtypes
    from xops.numpy_api import REGISTRY
    op = REGISTRY[name]
    kinds = op.elementwise.kinds if op.elementwise else "biufc"
    for d in _dtypes.ALL_DTYPES:
        if (d.kind not in kinds or not backend.holds(d)
                or (name in ("max", "min") and d.kind == "c")):
            continue
        if backend.name == "torch" and d is _dtypes.uint64:
            continue
        src = np.array([1, 0, 2], dtype="bool" if d.kind == "b" else "int8").astype(
            np.float32 if d.name == "bfloat16" else d.name)
        x = xnp.astype(backend.arr(src), d)
        first, second = op.fn(x), op.fn(x)
        assert xops.dtype(first) is xops.dtype(second), (d, xops.dtype(first), xops.dtype(second))
        np.testing.assert_array_equal(backend.np(xnp.astype(first, "float64" if backend.holds(
            xnp.float64) else "float32")), backend.np(xnp.astype(second, "float64" if backend.holds(
                xnp.float64) else "float32")))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "all", "prod"])
def test_cached_axis_reductions_match_first_call(backend, name):
    fn = getattr(xnp, name)
    x = backend.arr(np.arange(6, dtype=np.float32).reshape(2, 3))
    for axis, keep in ((0, False), (-1, True), ((0, 1), False), (1, True)):
        first, second = fn(x, axis=axis, keepdims=keep), fn(x, axis=axis, keepdims=keep)
        ref = getattr(np, name)(np.arange(6, dtype=np.float32).reshape(2, 3), axis=axis,
                                keepdims=keep)
        for out in (first, second):
            assert xops.dtype(out) is xops.dtype(first)
            np.testing.assert_allclose(backend.np(out), ref, rtol=1e-6)
    if name in ("max", "min"):  # the cached entry must still refuse an empty reduced axis
        e = backend.arr(np.ones((2, 0), np.float32))
        fn(backend.arr(np.ones((2, 3), np.float32)), axis=1)
        with pytest.raises(ValueError, match=f"xops.numpy.{name}: zero-size reduction"):
            fn(e, axis=1)

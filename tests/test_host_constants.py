"""The mixing rule (docs/semantics.md): NumPy arrays, NumPy scalars and Python sequences of
numbers are host constants that join one framework's arrays, converted once onto its backend
and device with their dtype kept (sequences: NumPy's inference with the backend's defaults),
eagerly and under each framework's jit; two frameworks in one call still raise."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import xops
import xops.numpy as xnp
from xops import _dtypes

from .conftest import INSTALLED, handle, needs_backend

FRAMEWORKS = [n for n in INSTALLED if n != "numpy"]

# dtypes every framework holds without x64 mode (jax's 64-bit rule is tested separately)
_DTYPES = [np.float32, np.int32, np.int8, np.uint8, np.bool_, np.float16]
_BINARY = ["add", "multiply", "subtract", "maximum", "less", "equal"]


@pytest.mark.parametrize("name", FRAMEWORKS)
@pytest.mark.parametrize("op", _BINARY)
@settings(deadline=None, max_examples=15)
@given(data=st.data())
def test_numpy_constant_joins_a_framework_like_two_arrays(name, op, data):
    h = handle(name)
    d1, d2 = data.draw(st.sampled_from(_DTYPES)), data.draw(st.sampled_from(_DTYPES))
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    a = data.draw(hnp.arrays(d1, shapes.input_shapes[0], elements={"min_value": 0,
                                                                 "max_value": 5}))
    b = data.draw(hnp.arrays(d2, shapes.input_shapes[1], elements={"min_value": 0,
                                                                 "max_value": 5}))
    fn = getattr(xnp, op)
    swap = data.draw(st.booleans())
    try:
        want = fn(b, a) if swap else fn(a, b)  # both NumPy: the reference
    except TypeError as e:  # a dtype the op refuses: refused the same way with a constant
        with pytest.raises(TypeError, match=str(e).split(":")[0]):
            fn(b, h.arr(a)) if swap else fn(h.arr(a), b)
        return
    got = fn(b, h.arr(a)) if swap else fn(h.arr(a), b)
    assert h.is_native(got)
    assert xops.dtype(got) is xops.dtype(want)  # the promotion table, as for two arrays
    np.testing.assert_allclose(h.np(got).astype(np.float64), np.asarray(want, np.float64),
                               rtol=1e-3)


@pytest.mark.parametrize("name", FRAMEWORKS)
def test_numpy_scalars_masks_lists_and_like(name):
    h = handle(name)
    t = h.arr(np.arange(3, dtype=np.float32))
    out = xnp.multiply(t, np.float32(2.0))
    assert h.is_native(out) and xops.dtype(out) is xnp.float32
    np.testing.assert_array_equal(h.np(out), [0, 2, 4])
    out = xnp.where(np.array([True, False, True]), t, 0.0)
    assert h.is_native(out)
    np.testing.assert_array_equal(h.np(out), [0, 0, 2])
    out = xnp.concatenate([t, np.ones(2, np.float32)])
    np.testing.assert_array_equal(h.np(out), [0, 1, 2, 1, 1])
    out = xnp.add(t, [1, 2, 3])
    assert h.is_native(out)
    np.testing.assert_array_equal(h.np(out), [1, 3, 5])
    out = xnp.asarray(np.ones(2, np.float32), like=t)
    assert h.is_native(out) and xops.dtype(out) is xnp.float32
    out = xnp.matmul(np.eye(3, dtype=np.float32), t)
    assert h.is_native(out)


def test_sequences_are_accepted_where_numpy_accepts_them():
    assert xnp.sum([1, 2, 3]) == 6
    np.testing.assert_array_equal(xnp.add([1, 2], (3, 4)), [4, 6])
    assert xnp.mean((1.0, 2.0)) == 1.5
    # the error table's wording (docs/semantics.md): the op, the argument, what is wrong
    with pytest.raises(ValueError, match=r"xops.numpy.sum: x is a ragged sequence"):
        xnp.sum([[1, 2], [3]])
    with pytest.raises(TypeError, match=r"xops.numpy.sum: unsupported argument type builtins.str "
                                        r"for x"):
        xnp.sum(["a"])


def test_numpy_inputs_are_not_mutated_or_aliased_into_results():
    torch = needs_backend("torch")
    c = np.arange(4, dtype=np.float32)
    out = xnp.add(torch.zeros(4), c)
    out += 1
    np.testing.assert_array_equal(c, np.arange(4, dtype=np.float32))


def test_two_frameworks_still_raise():
    if len(FRAMEWORKS) < 2:
        pytest.skip("needs two frameworks")
    a, b = handle(FRAMEWORKS[0]).arr(np.ones(2)), handle(FRAMEWORKS[1]).arr(np.ones(2))
    with pytest.raises(TypeError, match="mix the"):
        xnp.add(a, b)
    with pytest.raises(TypeError, match="mix the"):
        xnp.concatenate([a, np.ones(2), b])


def test_grad_of_numpy_code_closing_over_numpy_arrays():
    needs_backend("jax")
    c = np.array([1.0, 2.0, 3.0])

    def f(x):
        return xnp.sum(xnp.multiply(x, c))

    np.testing.assert_allclose(np.asarray(xops.grad(f)(np.ones(3))), c)


def test_jax_jit_and_64_bit_numpy_constants():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    c = np.array([1.0, 2.0, 3.0])  # float64: jax without x64 takes it as float32, as jnp does
    out = jax.jit(lambda x: xnp.add(x, c))(jnp.ones(3, jnp.float32))
    assert out.dtype == jnp.float32
    np.testing.assert_array_equal(np.asarray(out), [2, 3, 4])
    g = jax.grad(lambda x: xnp.sum(xnp.multiply(x, c)))(jnp.ones(3))
    np.testing.assert_array_equal(np.asarray(g), c)


def test_tf_function_with_numpy_constants():
    tf = needs_backend("tensorflow")
    c = np.array([1.0, 2.0], np.float32)
    out = tf.function(lambda x: xnp.where(np.array([True, False]), xnp.add(x, c), x))(
        tf.ones(2))
    np.testing.assert_array_equal(out.numpy(), [2, 1])


def test_torch_compile_elementwise_with_numpy_constants():
    torch = needs_backend("torch")
    c = np.array([1.0, 2.0, 3.0], np.float32)
    f = torch.compile(lambda x: xnp.multiply(xnp.add(x, c), np.float32(2)), fullgraph=True)
    np.testing.assert_array_equal(f(torch.ones(3)).numpy(), [4, 6, 8])


def test_numpy_constant_lands_on_the_framework_arrays_device():
    torch = needs_backend("torch")
    t = torch.ones(3, device="meta")  # meta stands in for a second device
    out = xnp.add(t, np.ones(3, np.float32))
    assert out.device.type == "meta"


def test_unsupported_dtype_constant_has_a_clear_error():
    jax = needs_backend("jax")
    import jax.numpy as jnp
    del jax
    out = xnp.add(jnp.ones(2, jnp.float32), np.ones(2, np.float64))
    assert out.dtype == jnp.float32
    assert _dtypes.canonical("float32") is xnp.float32

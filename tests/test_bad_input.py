"""Bad input gets one exception type per kind of mistake on every backend, naming the op:
None where an array belongs is a TypeError; shapes that do not broadcast are a ValueError that
names the shapes (each framework raises its own type and wording natively)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xops
import xops.numpy as xnp

from .conftest import INSTALLED, handle


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("op", ["add", "multiply", "maximum", "less", "arctan2"])
@pytest.mark.parametrize("pos", [0, 1])
def test_none_in_a_binary_op_is_a_type_error(name, op, pos):
    x = handle(name).arr(np.ones(3, np.float32))
    args = (None, x) if pos == 0 else (x, None)
    with pytest.raises(TypeError, match=rf"xops\.numpy\.{op}"):
        getattr(xnp, op)(*args)


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("op", ["sum", "exp", "reshape", "transpose", "matmul", "concatenate"])
def test_none_as_the_array_is_a_type_error(name, op):
    handle(name)
    call = {"sum": lambda: xnp.sum(None), "exp": lambda: xnp.exp(None),
            "reshape": lambda: xnp.reshape(None, (3,)), "transpose": lambda: xnp.transpose(None),
            "matmul": lambda: xnp.matmul(None, None),
            "concatenate": lambda: xnp.concatenate([None, None])}[op]
    with pytest.raises(TypeError, match=rf"xops\.numpy\.{op}"):
        call()


@st.composite
def _clashing_shapes(draw):
    """Two shapes with at least one aligned pair of sizes that are unequal and neither 1."""
    nd = draw(st.integers(1, 3))
    a = draw(st.lists(st.integers(1, 4), min_size=nd, max_size=nd))
    b = list(a)
    i = draw(st.integers(0, nd - 1))
    a[i] = draw(st.integers(2, 4))
    b[i] = draw(st.integers(2, 5).filter(lambda v: v != a[i]))
    extra = draw(st.lists(st.integers(1, 3), max_size=1))
    return tuple(extra + a), tuple(b)


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("op", ["add", "multiply", "subtract", "maximum", "equal", "where"])
@settings(deadline=None, max_examples=10)
@given(shapes=_clashing_shapes(), swap=st.booleans())
def test_shapes_that_do_not_broadcast_are_a_value_error(name, op, shapes, swap):
    h = handle(name)
    sa, sb = shapes[::-1] if swap else shapes
    a, b = h.arr(np.ones(sa, np.float32)), h.arr(np.ones(sb, np.float32))
    with pytest.raises(ValueError, match=rf"xops\.numpy\.{op}") as info:
        if op == "where":
            xnp.where(a > 0, a, b)
        else:
            getattr(xnp, op)(a, b)
    if op != "where":
        assert str(sa) in str(info.value) and str(sb) in str(info.value)


_AXIS_CALLS = {
    "sum": lambda x, ax: xnp.sum(x, axis=ax),
    "max": lambda x, ax: xnp.max(x, axis=ax),
    "argmax": lambda x, ax: xnp.argmax(x, axis=ax),
    "cumsum": lambda x, ax: xnp.cumsum(x, axis=ax),
    "sort": lambda x, ax: xnp.sort(x, axis=ax),
    "concatenate": lambda x, ax: xnp.concatenate([x, x], axis=ax),
    "expand_dims": lambda x, ax: xnp.expand_dims(x, axis=ax + 1 if ax > 0 else ax - 1),
    "squeeze": lambda x, ax: xnp.squeeze(x, axis=ax),
    "flip": lambda x, ax: xnp.flip(x, axis=ax),
    "moveaxis": lambda x, ax: xnp.moveaxis(x, ax, 0),
    "take": lambda x, ax: xnp.take(x, xnp.asarray([0], like=x), axis=ax),
    "mean": lambda x, ax: xnp.mean(x, axis=ax),
}


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("op", sorted(_AXIS_CALLS))
@settings(deadline=None, max_examples=5)
@given(ndim=st.integers(1, 3), over=st.integers(0, 3), negative=st.booleans())
def test_axis_out_of_range_is_an_axis_error(name, op, ndim, over, negative):
    """One type on every backend: xops.AxisError, both a ValueError and an IndexError (as
    NumPy's AxisError), naming the op."""
    x = handle(name).arr(np.ones((2,) * ndim, np.float32))
    ax = -(ndim + 1 + over) if negative else ndim + over
    with pytest.raises(xops.AxisError, match=rf"xops\.numpy\.{op}") as info:
        _AXIS_CALLS[op](x, ax)
    assert isinstance(info.value, ValueError) and isinstance(info.value, IndexError)


@pytest.mark.parametrize("name", INSTALLED)
@pytest.mark.parametrize("dtype", ["int8", "float32"])
@pytest.mark.parametrize("shapes", [((0,), (1,)), ((2, 3), (4, 5)), ((3,), (2,))])
def test_matmul_refuses_core_dimensions_that_differ_on_its_fast_path_too(name, dtype, shapes):
    # torch's integer matmul (exact wrapping products) broadcast a size-1 core dimension and
    # answered 0 for (0,) @ (1,) once the eager fast path was warm; every kernel's own shape
    # error (torch RuntimeError, tf InvalidArgumentError) is one ValueError naming the op
    h = handle(name)
    ok = h.arr(np.ones(3, dtype))
    for _ in range(2):
        xnp.matmul(ok, ok)  # warm the fast path
    a, b = (h.arr(np.ones(s, dtype)) for s in shapes)
    for _ in range(2):
        with pytest.raises(ValueError, match=r"xops\.numpy\.matmul"):
            xnp.matmul(a, b)


@pytest.mark.parametrize("name", INSTALLED)
def test_kernel_shape_errors_are_one_value_error(name):
    h = handle(name)
    with pytest.raises(ValueError, match=r"xops\.numpy\.einsum"):
        xnp.einsum("ij,jk->ik", h.arr(np.ones((2, 3), np.float32)),
                   h.arr(np.ones((4, 5), np.float32)))
    with pytest.raises(ValueError, match=r"xops\.numpy\.zeros: negative dimensions"):
        xnp.zeros((-2,), like=h.arr(np.ones(1, np.float32)))

"""One promotion table on every backend: the full dtype-pair matrix of every binary op, weak
Python scalars, result_type/can_cast/finfo/iinfo, and clear errors where a backend cannot hold
a dtype (jax without x64, torch's unsigned gaps)."""
from __future__ import annotations

import itertools

import ml_dtypes
import numpy as np
import pytest

import xops
from xops import _dtypes
from xops import numpy as xnp
from xops.numpy_api import REGISTRY

from .conftest import needs_backend

BINARY = sorted(n for n, i in REGISTRY.items() if i.elementwise and i.elementwise.nin == 2)
UNARY = sorted(n for n, i in REGISTRY.items() if i.elementwise and i.elementwise.nin == 1)
ALL = _dtypes.ALL_DTYPES


def np_dtype(d):
    return np.dtype(ml_dtypes.bfloat16) if d is _dtypes.bfloat16 else np.dtype(d.name)


def sample(d, n=3):
    if d.kind == "b":
        return np.array([True, False, True][:n])
    return np.array([1, 2, 3][:n]).astype(np_dtype(d))


def expected(op, d1, d2, h):
    """('ok', dtype) or ('error', reason) by the xops rules, independent of the backend's own."""
    e = op.elementwise
    d = _dtypes.promote_types(d1, d2)
    if d.kind not in e.kinds:
        return "error", "kind"
    compute = e.compute_dtype(d, h.be)
    if not h.holds(compute):
        return "error", "hold"
    return "ok", e.result_dtype(compute)


# torch 2.13 has no sign-aware uint64 arithmetic; the torch table raises a TypeError naming the
# op for these (documented in the README), everything else must work.
def allowed_error(h, name, compute):
    return h.name == "torch" and compute is _dtypes.uint64


@pytest.mark.parametrize("name", BINARY)
def test_binary_dtype_matrix(dtype_backend, name):
    h = dtype_backend
    op = REGISTRY[name]
    fn = op.fn
    failures = []
    for d1, d2 in itertools.product(ALL, ALL):
        if not (h.holds(d1) and h.holds(d2)):
            continue
        kind, want = expected(op, d1, d2, h)
        a, b = h.arr(sample(d1)), h.arr(sample(d2))
        if kind == "error":
            with pytest.raises(TypeError, match=f"xops.numpy.{name}"):
                fn(a, b)
            continue
        try:
            out = fn(a, b)
        except TypeError as e:
            if allowed_error(h, name, op.elementwise.compute_dtype(
                    _dtypes.promote_types(d1, d2), h.be)) and f"xops.numpy.{name}" in str(e):
                continue
            failures.append(f"{d1.name}+{d2.name}: raised {e}")
            continue
        if not h.is_native(out):
            failures.append(f"{d1.name}+{d2.name}: returned {type(out)}")
        elif xops.dtype(out) is not want:
            failures.append(f"{d1.name}+{d2.name}: got {xops.dtype(out).name}, want {want.name}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", UNARY)
def test_unary_dtypes(dtype_backend, name):
    h = dtype_backend
    op = REGISTRY[name]
    failures = []
    for d in ALL:
        if not h.holds(d):
            continue
        kind, want = expected(op, d, d, h)
        x = h.arr(sample(d))
        if kind == "error":
            with pytest.raises(TypeError, match=f"xops.numpy.{name}"):
                op.fn(x)
            continue
        try:
            out = op.fn(x)
        except TypeError as e:
            if allowed_error(h, name, d) and f"xops.numpy.{name}" in str(e):
                continue
            failures.append(f"{d.name}: raised {e}")
            continue
        if xops.dtype(out) is not want:
            failures.append(f"{d.name}: got {xops.dtype(out).name}, want {want.name}")
    assert not failures, "\n".join(failures)


SCALARS = [True, 2, 2.5, 1 + 1j]


@pytest.mark.parametrize("scalar", SCALARS, ids=["bool", "int", "float", "complex"])
def test_python_scalars_are_weak(dtype_backend, scalar):
    h = dtype_backend
    for d in ALL:
        if not h.holds(d):
            continue
        want = _dtypes.weak_scalar_dtype(scalar, d, h.be.default_int, h.be.default_float)
        if want.kind not in "iufc" or not h.holds(want):
            continue
        if h.name == "torch" and want is _dtypes.uint64:
            continue
        x = h.arr(sample(d))
        for out in (xnp.add(x, scalar), xnp.add(scalar, x), xnp.multiply(scalar, x)):
            assert h.is_native(out)
            assert xops.dtype(out) is want, (d, scalar, xops.dtype(out))


def test_python_int_out_of_range_is_an_error(backend):
    x = backend.arr(np.array([1, 2], np.uint8))
    with pytest.raises(OverflowError, match="xops.numpy.add"):
        xnp.add(x, 300)
    with pytest.raises(OverflowError, match="out of range for uint8"):
        xnp.add(x, -1)


def test_promotion_table_is_symmetric_and_has_identity():
    for a, b in itertools.product(ALL, ALL):
        assert _dtypes.promote_types(a, b) is _dtypes.promote_types(b, a)
        assert _dtypes.promote_types(a, _dtypes.bool_) is a
    # the decisions that differ between native backends, written out
    P = _dtypes.promote_types
    assert P(_dtypes.int32, _dtypes.float16) is _dtypes.float16
    assert P(_dtypes.uint8, _dtypes.int8) is _dtypes.int16
    assert P(_dtypes.uint64, _dtypes.int64) is _dtypes.float64
    assert P(_dtypes.float16, _dtypes.bfloat16) is _dtypes.float32
    assert P(_dtypes.float64, _dtypes.complex64) is _dtypes.complex128


def test_promotion_is_associative_within_kinds():
    for a, b, c in itertools.product(ALL, repeat=3):
        if len({a.kind, b.kind, c.kind} - {"b"}) <= 1:
            P = _dtypes.promote_types
            assert P(P(a, b), c) is P(a, P(b, c))


def test_result_type_and_can_cast():
    assert xnp.result_type(xnp.int8, xnp.uint8) is xnp.int16
    assert xnp.result_type(np.ones(2, np.float32), 1.0) is xnp.float32
    assert xnp.result_type(xnp.int32, 1.0) is xnp.float64  # numpy default backend
    assert xnp.can_cast(xnp.int8, xnp.int16)
    assert not xnp.can_cast(xnp.int16, xnp.int8)
    assert not xnp.can_cast(xnp.float32, xnp.int64)
    assert xnp.isdtype(xnp.float32, "real floating")
    assert xnp.isdtype(xnp.uint8, ("integral", "bool"))
    assert not xnp.isdtype(xnp.complex64, "real floating")


def test_finfo_iinfo_match_numpy():
    for d in (xnp.float16, xnp.float32, xnp.float64):
        f, g = xnp.finfo(d), np.finfo(d.name)
        assert (f.bits, f.eps, f.max, f.min, f.smallest_normal) == (
            g.bits, float(g.eps), float(g.max), float(g.min), float(g.smallest_normal))
    b, mb = xnp.finfo(xnp.bfloat16), ml_dtypes.finfo(ml_dtypes.bfloat16)
    assert (b.eps, b.max, b.smallest_normal) == (float(mb.eps), float(mb.max),
                                                 float(mb.smallest_normal))
    assert xnp.finfo(xnp.complex64).dtype is xnp.float32
    for d in (xnp.int8, xnp.int64, xnp.uint8, xnp.uint64):
        i, n = xnp.iinfo(d), np.iinfo(d.name)
        assert (i.bits, i.min, i.max) == (n.bits, int(n.min), int(n.max))
    with pytest.raises(TypeError, match="finfo"):
        xnp.finfo(xnp.int32)
    with pytest.raises(TypeError, match="iinfo"):
        xnp.iinfo(xnp.float32)


def test_dtype_of_arrays_and_native_dtypes(backend):
    for d in ALL:
        if not backend.holds(d):
            continue
        x = backend.arr(sample(d))
        assert xops.dtype(x) is d
        assert xops.dtype(x.dtype) is d
        assert d == x.dtype and d == d.name
        assert xnp.finfo(x).bits == d.bits if d.kind == "f" else True


def test_astype_every_pair(dtype_backend):
    h = dtype_backend
    for d1, d2 in itertools.product(ALL, ALL):
        if not (h.holds(d1) and h.holds(d2)):
            continue
        x = h.arr(sample(d1))
        out = xnp.astype(x, d2)
        assert xops.dtype(out) is d2
        ref = sample(d1).astype(np_dtype(d2))
        np.testing.assert_array_equal(h.np(out).astype(np_dtype(d2)), ref)


def test_jax_without_x64_refuses_64_bit_requests():
    needs_backend("jax")
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", False)
    x = jnp.ones(3, jnp.float32)
    for call in (lambda: xnp.astype(x, xnp.float64), lambda: xnp.zeros(3, "float64", like=x),
                 lambda: xnp.astype(x, "int64"), lambda: xnp.sum(x, dtype=xnp.float64)):
        with pytest.raises(TypeError, match="jax_enable_x64"):
            call()
    # what 32-bit jax users get: 32-bit defaults, never a silent 64-bit request
    assert xops.dtype(xnp.sum(jnp.ones(3, jnp.int8))) is xnp.int32
    assert xops.dtype(xnp.divide(jnp.ones(3, jnp.int32), 2)) is xnp.float32
    assert xops.dtype(xnp.arange(3, like=x)) is xnp.int32


def test_result_type_and_can_cast_take_numpy_dtype_objects():
    # a NumPy dtype object has .shape and .dtype attributes; it must not be taken for an array
    import numpy as np

    from xops import numpy as xnp
    assert xnp.result_type(np.dtype("int8"), np.dtype("float16")) is xnp.float16
    assert xnp.result_type(np.dtype("int8"), np.ones(2, np.int16)) is xnp.int16
    assert xnp.can_cast(np.dtype("int8"), np.dtype("int16"))

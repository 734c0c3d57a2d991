"""On a real CUDA device (skipped without one): what tests/cuda_emulation.py emulates on the CPU,
checked against the hardware. The CPU and the GPU must give the same bits for integer and random
work, the same training losses to float32 tolerance, and an out-of-range index must be an
IndexError, never a device-side assert (which would end the process and every later test).

Run with ``XOPS_TEST_DEVICE=cuda`` to move the rest of the suite onto the GPU as well.
"""
from __future__ import annotations

import numpy as np
import pytest

import xops
from xops import numpy as xnp
from xops import random as xr

from .conftest import needs_backend
from .test_torch_device import _data, _train_steps

torch = needs_backend("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA device", allow_module_level=True)

CUDA = torch.device("cuda:0")
CPU = torch.device("cpu")


def _on(dev, a):
    return torch.as_tensor(a).to(dev)


def _samples(key):
    k1, k2 = xr.split(key)
    logits = xnp.zeros((3, 4), like=key, dtype=xnp.float32)
    ones = xnp.ones((6,), like=key, dtype=xnp.float32)
    return [xr.bits(key, (5, 3)), xr.uniform(k1, (7,)), xr.normal(k2, (2, 3)),
            xr.randint(key, (6,), 0, 10), xr.permutation(k1, 9), xr.categorical(k2, logits),
            xr.bernoulli(key, 0.3, (8,)), xr.dropout(k1, 0.5, ones), xr.fold_in(key, 3)]


def test_random_bits_equal_cpu():
    got = _samples(xr.key(1234, backend="torch", device="cuda"))
    want = _samples(xr.key(1234, backend="torch", device="cpu"))
    for g, w in zip(got, want):
        assert g.device == CUDA
        np.testing.assert_array_equal(g.cpu().numpy(), w.numpy())


@pytest.mark.parametrize("dtype", ["uint16", "uint32", "uint64"])
def test_wide_unsigned_ops_equal_numpy(dtype):
    """CUDA has no uint16/32/64 arithmetic kernels: xops decides by dtype, on every device."""
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype)
    a = rng.integers(0, info.max, (4, 5), dtype=dtype, endpoint=True)
    b = rng.integers(1, info.max, (4, 5), dtype=dtype, endpoint=True)
    ta, tb = _on(CUDA, a), _on(CUDA, b)
    names = ["add", "subtract", "multiply", "maximum", "bitwise_xor", "less", "right_shift"]
    if dtype == "uint64":  # documented: no exact uint64 division on torch, on any device
        with pytest.raises(TypeError, match="no uint64 floor_divide"):
            xnp.floor_divide(ta, tb)
    else:
        names += ["floor_divide", "remainder"]
    for name in names:
        f = getattr(xnp, name)
        x = b % np.array(8 * a.itemsize, dtype) if name == "right_shift" else b
        tx = _on(CUDA, x)
        with np.errstate(all="ignore"):
            want = getattr(np, name)(a, x)
        got = f(ta, tx)
        assert got.device == CUDA, name
        np.testing.assert_array_equal(got.cpu().numpy(), want, err_msg=name)
    np.testing.assert_array_equal(xnp.sort(ta, axis=1).cpu().numpy(), np.sort(a, axis=1))
    np.testing.assert_array_equal(xnp.argsort(ta, axis=0).cpu().numpy(),
                                  np.argsort(a, axis=0, kind="stable"))
    np.testing.assert_array_equal(xnp.sum(ta, axis=0).cpu().numpy(), np.sum(a, axis=0))
    np.testing.assert_array_equal(xnp.cumsum(ta, axis=1).cpu().numpy(), np.cumsum(a, axis=1))


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "int64", "uint32"])
def test_integer_products_wrap_like_numpy(dtype):
    rng = np.random.default_rng(1)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, (3, 7), dtype=dtype, endpoint=True)
    b = rng.integers(info.min, info.max, (7, 2), dtype=dtype, endpoint=True)
    ta, tb = _on(CUDA, a), _on(CUDA, b)
    np.testing.assert_array_equal(xnp.matmul(ta, tb).cpu().numpy(), np.matmul(a, b))
    np.testing.assert_array_equal(xnp.einsum("ij,jk->ik", ta, tb).cpu().numpy(),
                                  np.einsum("ij,jk->ik", a, b))
    np.testing.assert_array_equal(xnp.tensordot(ta, tb, axes=1).cpu().numpy(),
                                  np.tensordot(a, b, axes=1))


def test_out_of_range_index_is_an_index_error_and_the_process_survives():
    x = torch.arange(12.0, device=CUDA).reshape(3, 4)
    with pytest.raises(IndexError, match="xops.numpy.take"):
        xnp.take(x, torch.tensor([0, 12], device=CUDA))
    with pytest.raises(IndexError, match="xops.numpy.take_along_axis"):
        xnp.take_along_axis(x, torch.tensor([[4]], device=CUDA), axis=1)
    with pytest.raises(IndexError):
        xnp.take(x, torch.tensor([-13], device=CUDA))
    torch.cuda.synchronize()  # a device-side assert would surface here
    assert float(xnp.sum(x)) == 66.0


def test_out_of_range_under_torch_compile_is_clamped_not_asserted():
    x = torch.arange(12.0, device=CUDA)
    f = torch.compile(lambda x, i: xnp.take(x, i), fullgraph=True)
    got = f(x, torch.tensor([1, 40, -40], device=CUDA))
    torch.cuda.synchronize()
    assert got.device == CUDA and got.shape == (3,)
    assert float(got[0]) == 1.0


def test_mixed_devices_raise_value_error_naming_them():
    a, b = torch.ones(3, device=CUDA), torch.ones(3)
    for f in [xnp.add, xnp.matmul, xnp.maximum]:
        with pytest.raises(ValueError, match=r"different devices \((cuda:0, cpu|cpu, cuda:0)\)"):
            f(a, b)
    with pytest.raises(ValueError, match="different devices"):
        xnp.concatenate([a, b])


def test_python_and_numpy_constants_stay_on_the_device():
    x = torch.arange(4, device=CUDA, dtype=torch.float32)
    for y in [x + 1, xnp.add(x, 2.0), xnp.where(x > 1, x, 0.0), xnp.take(x, [0, 3]),
              xnp.ldexp(x, 2), xnp.zeros_like(x), xnp.full((2,), 3.0, like=x)]:
        assert y.device == CUDA


def test_training_losses_match_cpu():
    pytest.importorskip("optree")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    x, y = _data()  # tests/test_torch_device.py's data and training loop, on each device
    np.testing.assert_allclose(_train_steps(x.to(CUDA), y.to(CUDA), steps=5),
                               _train_steps(x, y, steps=5), rtol=1e-4)


def test_jit_cuda_graphs_and_donation_match_eager():
    def step(w, g):
        return w - 0.1 * g, xnp.sum(w * w)

    w = torch.randn(64, 64, device=CUDA)
    g = torch.randn(64, 64, device=CUDA)
    want = step(w.clone(), g)
    for kw in [{"cuda_graphs": True}, {"donate_argnums": (0,)}]:
        f = xops.jit(step, **kw)
        for _ in range(3):  # warm-up, record, replay
            got = f(w.clone(), g)
        torch.testing.assert_close(got[0], want[0])
        torch.testing.assert_close(got[1], want[1])
        assert got[0].device == CUDA

"""torch on CUDA, proven on the CPU: every registry op under the CUDA emulation of
tests/cuda_emulation.py (no uint16/32/64 compute kernels; tensors made without a device land
elsewhere) gives the NumPy reference's result, and every result stays on its inputs' device."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xops import _dtypes
from xops.numpy_api import REGISTRY

from .conftest import Handle, needs_backend
from .specs import _LIKE, DTYPE_ONLY, spec_for
from .test_agreement import _to_native, compare

torch = needs_backend("torch")

OPS = sorted(n for n in REGISTRY if n not in DTYPE_ONLY)

# Drawn dtypes: the unsigned ones CUDA cannot compute with, beside the few that index, count and
# compute floats, so most drawn cases exercise the uint emulation.
_DRAWN = {_dtypes.bool_, _dtypes.uint8, _dtypes.uint16, _dtypes.uint32, _dtypes.uint64,
          _dtypes.int64, _dtypes.float32, _dtypes.float64, _dtypes.complex64}


class UintHeavy(Handle):
    def __init__(self, drawn) -> None:
        super().__init__("torch")
        self.drawn = drawn

    def holds(self, dtype) -> bool:
        return dtype in self.drawn and super().holds(dtype)


@pytest.fixture(scope="module")
def uint_heavy():
    # torch.linalg under any Python TorchDispatchMode (even one that only calls through) loses a
    # conjugation: pinv of complex [[3, 1j]] gives [[0.3], [0.1j]] (torch 2.13, CPU). So linalg
    # ops draw real dtypes here; tests/test_linalg.py covers their complex cases.
    return {"all": UintHeavy(_DRAWN), "real": UintHeavy(_DRAWN - {_dtypes.complex64})}


@pytest.mark.parametrize("name", OPS)
def test_op_runs_under_cuda_limits(uint_heavy, name):
    from .cuda_emulation import devices_of, like_cuda

    h = uint_heavy["real" if name.startswith("linalg.") else "all"]
    strategy = spec_for(name, h)
    fn = REGISTRY[name].fn

    @settings(deadline=None)
    @given(case=strategy, data=st.data())
    def run(case, data):
        args = [_to_native(h, a) for a in case.args]
        kwargs = dict(case.kwargs)
        if kwargs.get("like") is _LIKE:
            kwargs["like"] = h.arr(np.zeros(1, np.float32))
        np_args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                ref = case.ref if case.ref is not None else getattr(np, REGISTRY[name].ref)
                rkw = {k: v for k, v in case.kwargs.items() if k != "like"}
                want = ref(*np_args, **(rkw if case.ref is None else {}))
            with like_cuda():
                got = fn(*args, **kwargs)
        have = devices_of(got)
        assert have <= {args_device(args, kwargs)}, f"{name}: result on {have}"
        compare(h, case, got, want)

    run()


def args_device(args, kwargs):
    from .cuda_emulation import devices_of
    devs = devices_of((args, kwargs))
    return next(iter(devs)) if devs else torch.device("cpu")


# --- random, nn and training under the emulation ------------------------------------------------
def _samples(key, logits, ones):
    from xops import random as xr
    k1, k2 = xr.split(key)
    return [xr.bits(key, (5, 3)), xr.uniform(k1, (7,)), xr.normal(k2, (2, 3)),
            xr.randint(key, (6,), 0, 10), xr.permutation(k1, 9),
            xr.categorical(k2, logits), xr.bernoulli(key, 0.3, (8,)),
            xr.dropout(k1, 0.5, ones), xr.fold_in(key, 3)]


def test_random_gives_the_same_bits_under_cuda_limits():
    from xops import random as xr

    from .cuda_emulation import like_cuda
    key = xr.key(1234, backend="torch")
    logits, ones = torch.zeros((3, 4)), torch.ones(6)  # made outside: see like_cuda
    want = [Handle("torch").np(s) for s in _samples(key, logits, ones)]
    with like_cuda():
        got = _samples(key, logits, ones)
    h = Handle("torch")
    for g, w in zip(got, want):
        assert g.device == key.device
        np.testing.assert_array_equal(h.np(g), w)


def _data():
    rng = np.random.default_rng(0)
    return (torch.asarray(rng.standard_normal((8, 12)).astype(np.float32)),
            torch.asarray(rng.integers(0, 5, 8)))


def _train_steps(x, y, steps=3):
    import xops
    from xops import nn
    from xops import random as xr
    from xops.nn import functional as F
    from xops.nn import optim

    model = nn.Sequential([nn.Dense(16), F.gelu, nn.LayerNorm(), nn.Dense(5)])
    params = model.init(xr.key(0, like=x), x)  # the key (and so the params) on x's device
    tx = optim.adamw(1e-2)
    state = tx.init(params)

    def loss_fn(p):
        return F.sparse_softmax_cross_entropy(model.apply(p, x), y)

    losses = []
    for _ in range(steps):
        loss, g = xops.value_and_grad(loss_fn)(params)
        updates, state = tx.update(g, state, params)
        params = optim.apply_updates(params, updates)
        losses.append(float(loss))
    assert all(leaf.device == x.device for leaf in nn.tree_leaves(params))
    return losses


def test_init_and_training_give_the_same_losses_under_cuda_limits():
    pytest.importorskip("optree", reason="xops.nn needs optree")
    from .cuda_emulation import like_cuda
    x, y = _data()  # inputs made outside the emulation, as a user's data would be on the GPU
    want = _train_steps(x, y)
    with like_cuda():
        got = _train_steps(x, y)
    assert got == want


# --- out-of-range indices: IndexError, never a kernel with a bad index ---------------------------
def _oob_calls():
    import xops.numpy as xnp
    from xops.nn import functional as F
    x = torch.arange(12.0).reshape(3, 4)
    return {
        "take": lambda: xnp.take(x, torch.tensor([0, 12])),
        "take(axis)": lambda: xnp.take(x, torch.tensor([-4]), axis=0),
        "take(list)": lambda: xnp.take(x, [1, 7], axis=1),
        "take_along_axis": lambda: xnp.take_along_axis(x, torch.tensor([[0], [4], [1]]), axis=1),
        "put_along_axis": lambda: xnp.put_along_axis(x, torch.tensor([[5], [0], [1]]), 0.0,
                                                     axis=1),
        "sparse_softmax_cross_entropy": lambda: F.sparse_softmax_cross_entropy(
            x, torch.tensor([0, 4, 1])),
    }


@pytest.mark.parametrize("case", ["take", "take(axis)", "take(list)", "take_along_axis",
                                  "put_along_axis", "sparse_softmax_cross_entropy"])
def test_out_of_range_indices_raise_before_any_kernel(case):
    from .cuda_emulation import UintLimits
    fn = _oob_calls()[case]
    with UintLimits(), pytest.raises(IndexError, match=r"out of bounds|size 0"):
        fn()


def test_embedding_out_of_range_raises_index_error():
    pytest.importorskip("optree", reason="xops.nn needs optree")
    from xops import nn
    from xops import random as xr

    from .cuda_emulation import UintLimits
    emb = nn.Embedding(5, 3)
    params = emb.init(xr.key(0, backend="torch"), torch.zeros(2, dtype=torch.int64))
    with UintLimits(), pytest.raises(IndexError, match="xops.numpy.take"):
        emb.apply(params, torch.tensor([1, 5]))


def test_out_of_range_indices_are_clamped_under_torch_compile():
    import xops.numpy as xnp
    x = torch.arange(12.0).reshape(3, 4)
    idx = torch.tensor([[0], [9], [-9]])

    def f(x, i):
        return xnp.take_along_axis(x, i, axis=1), xnp.take(x, i[:, 0], axis=1)

    a, b = torch.compile(f, fullgraph=True)(x, idx)  # no assert, no error: clamped
    np.testing.assert_array_equal(a.numpy()[:, 0], [0.0, 7.0, 8.0])
    np.testing.assert_array_equal(b.numpy(), x.numpy()[:, [0, 3, 0]])


# --- mixed devices: one ValueError naming the op and both devices ---------------------------------
def _mixed_calls(a, b):
    import xops.numpy as xnp
    return {
        "add": lambda: xnp.add(a, b), "multiply": lambda: xnp.multiply(a, b.double()),
        "matmul": lambda: xnp.matmul(a, b), "where": lambda: xnp.where(a > 0, a, b),
        "concatenate": lambda: xnp.concatenate([a, b]), "stack": lambda: xnp.stack([a, b]),
        "maximum": lambda: xnp.maximum(a, b), "tensordot": lambda: xnp.tensordot(a, b, 1),
        "less": lambda: xnp.less(a, b), "subtract": lambda: xnp.subtract(b, a),
    }


@pytest.mark.parametrize("op", ["add", "multiply", "matmul", "where", "concatenate", "stack",
                                "maximum", "tensordot", "less", "subtract"])
def test_mixed_devices_raise_value_error_naming_op_and_devices(op):
    # meta stands in for a second device on a machine with one
    a, b = torch.ones(3), torch.ones(3, device="meta")
    with pytest.raises(ValueError, match=rf"xops\.numpy\.{op}: arrays on different devices "
                                         r"\((cpu, meta|meta, cpu)\)"):
        _mixed_calls(a, b)[op]()

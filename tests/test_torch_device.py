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

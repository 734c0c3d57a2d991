"""What a CUDA device refuses, emulated on the CPU, so CI without a GPU catches GPU bugs.

Two refusals, found by running xops on an H200 (../shared/gpu/torch-cuda-failures.txt):

* ``UintLimits``: CUDA has almost no kernels for uint16/32/64 -- it copies, casts, fills,
  concatenates and views them, and raises NotImplementedError for everything else (where, sort,
  index, roll, signbit, bitwise ops, arithmetic...). The torch CPU build has a few more of them,
  so code that works on the CPU can fail on CUDA. This TorchDispatchMode refuses, on the CPU,
  every aten op outside that short list that reads or writes such a tensor.
* ``elsewhere_by_default()``: a tensor a kernel makes without naming the device (constants,
  indices, scratch, weights) lands on torch's default device, the CPU, while the inputs sit on
  cuda:0. Making torch's default device ``meta`` for the duration of a call puts every such
  tensor on a *different* device than the CPU inputs, so the call fails ("Tensor on device meta
  is not on the expected device cpu") or returns a meta tensor, exactly where it would fail or
  mix devices on a GPU.
"""
from __future__ import annotations

import contextlib

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten

UINTS = (torch.uint16, torch.uint32, torch.uint64)

# What CUDA does for uint16/32/64 (aten names without overload): copies and casts, fills and
# empty allocation, cat, and reading a value back to the host. Views need no kernel and are
# allowed through ``OpOverload.is_view``.
_ALLOWED = frozenset({
    "_to_copy", "copy_", "clone", "to", "_copy_from", "_copy_from_and_resize", "copy",
    "empty", "empty_like", "empty_strided", "new_empty", "new_empty_strided", "resize_",
    "fill_", "fill", "zero_", "zeros", "zeros_like", "full", "full_like", "new_full",
    "new_zeros", "scalar_tensor", "lift_fresh", "lift_fresh_copy", "detach", "alias",
    "cat", "_local_scalar_dense", "set_", "_has_compatible_shallow_copy_type",
    "is_same_size", "_unsafe_view", "contiguous", "ones", "ones_like", "new_ones",
})


class UintLimitsError(NotImplementedError):
    pass


class StrayTensorError(RuntimeError):
    pass


# Integer matrix products and convolutions: cuBLAS and cuDNN have none.
_NO_INT = frozenset({"mm", "bmm", "addmm", "addmv", "mv", "dot", "vdot", "baddbmm", "addbmm",
                     "convolution", "_convolution", "cudnn_convolution", "conv1d", "conv2d",
                     "conv3d", "_int_mm"})


class DeviceAssert(RuntimeError):
    """What CUDA does with an out-of-range gather: a device-side assert, after which the
    process's CUDA context is unusable. A kernel must never get here."""


def _index_sizes(name, args, kwargs):
    """(indices, size of the indexed axis, negatives allowed) for the gathers and scatters."""
    if name in ("gather", "scatter", "scatter_add", "scatter_reduce"):
        x, dim, idx = args[0], args[1], args[2]
        return [(idx, x.shape[dim], False)]
    if name == "index_select":
        return [(args[2], args[0].shape[args[1]], False)]
    if name == "embedding":
        return [(args[1], args[0].shape[0], False)]
    if name in ("index", "index_put", "_index_put_impl"):
        x, idxs = args[0], args[1]
        return [(i, x.shape[d], True) for d, i in enumerate(idxs)
                if i is not None and i.dtype not in (torch.bool, torch.uint8)]
    return []


class UintLimits(TorchDispatchMode):
    """Refuse aten ops that CUDA has no kernel for (uint16/32/64 compute, integer matmul and
    convolution), and any op that reads a tensor made without a device (see the module
    docstring): under ``elsewhere_by_default`` such a tensor is on ``meta``, and copying it to
    the inputs' device would give uninitialised memory where a GPU gets a silent host copy."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        leaves, _ = tree_flatten((args, kwargs))
        tensors = [t for t in leaves if isinstance(t, torch.Tensor)]
        devs = {t.device.type for t in tensors}
        if "meta" in devs and (len(devs) > 1 or kwargs.get("device") not in (None, "meta")
                               and torch.device(kwargs["device"]).type != "meta"):
            raise StrayTensorError(f"aten.{name}: a tensor made without a device (here on "
                                   "meta, on a GPU on the CPU) meets the inputs' device")
        for idx, n, neg in _index_sizes(name, args, kwargs):
            if idx.numel() and idx.device.type != "meta":
                lo, hi = int(idx.min()), int(idx.max())
                if lo < (-n if neg else 0) or hi >= n:
                    raise DeviceAssert(f"aten.{name}: index {lo if lo < 0 else hi} out of "
                                       f"bounds for size {n} (a device-side assert on CUDA)")
        if name in _NO_INT and any(not (t.is_floating_point() or t.is_complex())
                                   for t in tensors):
            raise UintLimitsError(f"aten.{name} on {tensors[0].dtype}: CUDA has no integer "
                                  "matmul/convolution kernel (emulated by tests/cuda_emulation.py)")
        if not func.is_view and name not in _ALLOWED:
            bad = [t.dtype for t in leaves if isinstance(t, torch.Tensor) and t.dtype in UINTS]
            if bad:
                raise UintLimitsError(f"aten.{name} on {bad[0]}: CUDA has no such kernel "
                                      "(emulated on the CPU by tests/cuda_emulation.py)")
            out = func(*args, **kwargs)
            outs, _ = tree_flatten(out)
            bad = [t.dtype for t in outs if isinstance(t, torch.Tensor) and t.dtype in UINTS]
            if bad:
                raise UintLimitsError(f"aten.{name} producing {bad[0]}: CUDA has no such "
                                      "kernel (emulated on the CPU by tests/cuda_emulation.py)")
            return out
        return func(*args, **kwargs)


@contextlib.contextmanager
def elsewhere_by_default():
    """Tensors made without a device land on ``meta``, not beside the (CPU) inputs."""
    with torch.device("meta"):
        yield


@contextlib.contextmanager
def like_cuda():
    """Both refusals at once."""
    with elsewhere_by_default(), UintLimits():
        yield


def devices_of(tree) -> set:
    leaves, _ = tree_flatten(tree)
    return {t.device for t in leaves if isinstance(t, torch.Tensor)}

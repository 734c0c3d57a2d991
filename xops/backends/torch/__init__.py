"""torch kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py.

Mirrors xops/backends/numpy.py name for name, with NumPy's values and result dtypes. Hot
elementwise kernels are plain aliases of the unbound ``torch.Tensor`` methods; dtype-specific
fixes (torch has no CPU arithmetic for uint16/32/64, no bool/complex variants of a few ops) are
chosen once per (op, dtype) in :func:`adapt`, so other dtypes pay nothing per call. Kernels that
dispatch calls without ``adapt`` (reductions on their slow path, products, shape ops) handle such
dtypes themselves, mostly in an ``except NotImplementedError`` branch that costs nothing on the
happy path.
"""
from __future__ import annotations

import math

import torch

from ... import _dtypes as d
from .. import _common
from ._uint import SIGNED_VIEW

__all__ = [*_common.PACKAGE_NAMES, "device_clash"]

NAME = "torch"


# torch promotes a Python scalar against a 0-d/n-d tensor by its own rules; dispatch converts
# scalars to 0-d tensors of the promoted dtype instead.
SCALARS_OK = False
# Every xops dtype is the torch dtype of the same name.
DTYPES = {c: getattr(torch, "bool" if c is d.bool_ else c.name) for c in d.ALL_DTYPES}
EXTRA_NATIVE: dict = {}
_CANON = {v: k for k, v in DTYPES.items()}
INT_DTYPES = frozenset({torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8,
                         torch.uint16, torch.uint32, torch.uint64})


def default_float() -> d.DType:
    return _CANON[torch.get_default_dtype()]


def default_int() -> d.DType:
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt not in DTYPES:
        return "torch has no such dtype"
    return None


# Array API inspection (xops.numpy.__array_namespace_info__()).
CAPABILITIES = {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}


def devices():
    out = [torch.device("cpu")]
    if torch.cuda.is_available():
        out += [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        out.append(torch.device("mps"))
    return out


def default_device():
    return torch.get_default_device()


def device(x):
    return x.device


def device_clash(args):
    """The distinct devices of the tensors in ``args`` (and in lists/tuples among them) when
    there are several, else None: dispatch asks after a kernel failed, to name the mistake."""
    devs: list = []
    for a in args:
        for t in (a if isinstance(a, (list, tuple)) else (a,)):
            if isinstance(t, torch.Tensor) and t.device not in devs:
                devs.append(t.device)
    return devs if len(devs) > 1 else None


_FLOATS = frozenset({torch.float16, torch.bfloat16, torch.float32, torch.float64})


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path
# (Tensor.max() with no dim propagates NaN like amax).
FULL_REDUCTIONS = {"sum": torch.Tensor.sum, "mean": torch.Tensor.mean, "max": torch.Tensor.max,
                   "min": torch.Tensor.min}


def astype(x, dtype, copy=True):
    if dtype in INT_DTYPES and x.dtype in _FLOATS:
        return _float_to_int(x, dtype)
    return x.to(dtype, copy=copy)


def _float_to_int(x, dtype):
    """Float -> integer as XLA casts: truncate, NaN -> 0, out of range (and +-inf) saturate to
    the integer's min/max (torch's C cast is undefined there: 300.0 -> uint8 gives 44)."""
    lo, hi, top = _common.int_cast_bounds(_CANON[dtype])
    big = x >= hi
    small = (x < lo) | (x == -math.inf)
    out = torch.where(big | small | x.isnan(), 0, x).to(dtype)
    sv = SIGNED_VIEW.get(dtype)
    if sv is not None:  # no where() for uint16/32/64 (CUDA): select the bits
        ov = out.view(sv)
        top_bits = top - (1 << (8 * ov.element_size()))  # same bits, as the signed view
        return torch.where(big, top_bits, torch.where(small, 0, ov)).view(dtype)
    return torch.where(big, top, torch.where(small, lo, out)).to(dtype)


def scalar(v, dtype, like):
    # scalar_tensor: half the cost of torch.tensor for a Python scalar (measured 1.1 vs 2.5 us).
    return torch.scalar_tensor(v, dtype=dtype, device=None if like is None else like.device)


def check_same_device(obj, dev):
    if dev is None:
        return
    want = torch.device(dev)
    have = obj.device
    if want.type != have.type or (want.index is not None and want.index != have.index):
        raise ValueError(f"asarray: the tensor is on {have}, not {want}; xops never moves data "
                         "between devices implicitly")


def asarray(obj, dtype, device, copy):
    if isinstance(obj, torch.Tensor):
        check_same_device(obj, device)
        # The tensor's own device, named: under a `with torch.device(...)` context (or
        # set_default_device) torch.asarray would otherwise move it there.
        return torch.asarray(obj, dtype=dtype, device=obj.device, copy=copy)
    return torch.asarray(obj, dtype=dtype, device=device, copy=copy)


def known_true(b):
    if torch.compiler.is_compiling():
        return False
    try:
        return bool(b)
    except RuntimeError:  # torch.func.vmap cannot read values
        return False

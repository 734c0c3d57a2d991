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
import sys

import torch

from ... import _dtypes as d
from .. import _common
from ._uint import SIGNED_VIEW

__all__ = [*_common.PACKAGE_NAMES, "device_clash", "distributed", "reduce_partial",
           "replicated_retry", "placed_like", "dtensor_from_local"]

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


# --- torch.distributed.tensor (DTensor) -------------------------------------------------------
# DTensor subclasses torch.Tensor, so every kernel takes it and DTensor's own dispatcher runs the
# op on the shards. Where it has no sharding rule it raises (xops._errors.explain turns that into
# one NotImplementedError naming the op and the placements); the few places where it silently
# computes wrong numbers are guarded in the kernels (nn.conv, linalg.pinv) or repaired
# (reduce_partial). docs/distributed_dtensor.md has the table, tests/sharded the test.
def _dtensor_type():
    mod = sys.modules.get("torch.distributed.tensor")  # never imported by xops
    return None if mod is None else mod.DTensor


def distributed(x):
    """``"DTensor(Shard(dim=0),)"`` (its placements) for a DTensor, else None. Error paths and
    checks of tensor subclasses only."""
    if type(x) is torch.Tensor:
        return None
    dtensor = _dtensor_type()
    if dtensor is None or not isinstance(x, dtensor):
        return None
    return f"DTensor{tuple(x.placements)!r}"


def replicated_retry(e, arrays):
    """``implicit_replication()`` when ``e`` is DTensor refusing a plain tensor that xops itself
    made (an index, a constant, a padding) beside the op's DTensors, else None: every torch
    tensor among the op's ``arrays`` (its arguments in array positions, lists flattened) is a
    DTensor, so the plain one came from xops, and it is the same on every rank (built from
    shapes and Python values), which is what replication asserts. A plain tensor the *user*
    passed beside a DTensor stays an error, as in torch. Error path only."""
    dtensor = _dtensor_type()
    if dtensor is None or dtensor._op_dispatcher._allow_implicit_replication:
        return None
    seen, cause = set(), e
    while cause is not None and id(cause) not in seen:
        if "got mixed torch.Tensor and DTensor" in str(cause):
            break
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    else:
        return None
    tensors = [a for a in arrays if isinstance(a, torch.Tensor)]
    if not tensors or not all(isinstance(a, dtensor) for a in tensors):
        return None
    from torch.distributed.tensor.experimental import implicit_replication
    return implicit_replication()


def reduce_partial(x):
    """``x`` with a DTensor's pending cross-rank reductions done (``Partial`` placements made
    ``Replicate()``); any other tensor as it is. torch 2.13's DTensor rule that
    ``Partial(max) - Replicate`` stays ``Partial(max)`` (and so for min) is wrong once integers
    wrap around: ptp reduces its partial extremes first. And ``.item()`` (``int()``, ``bool()``)
    of a partial DTensor answers this rank's partial value: every host read of a value xops makes
    (bounds checks, data-dependent lengths, ``cond`` predicates) reduces first, so that all
    ranks see the same value and take the same branch."""
    if type(x) is torch.Tensor:
        return x
    dtensor = _dtensor_type()
    if dtensor is None or not isinstance(x, dtensor) or not any(
            p.is_partial() for p in x.placements):
        return x
    from torch.distributed.tensor import Replicate
    return x.redistribute(placements=[Replicate() if p.is_partial() else p
                                      for p in x.placements])


def placed_like(x, make):
    """The result of a ``*_like`` op for ``x``: ``make(shape)`` (a plain tensor of that shape),
    or for a DTensor ``x`` a DTensor placed like it, each rank making only its local part
    (pending ``Partial`` reductions become ``Replicate()``: a constant is the same everywhere)."""
    if type(x) is torch.Tensor:
        return make(tuple(x.shape))
    dtensor = _dtensor_type()
    if dtensor is None or not isinstance(x, dtensor):
        return make(tuple(x.shape))
    from torch.distributed.tensor import Replicate
    return dtensor_from_local(make(tuple(x.to_local().shape)), x.device_mesh,
                              [Replicate() if p.is_partial() else p for p in x.placements],
                              tuple(x.shape))


def dtensor_from_local(local, mesh, placements, shape):
    """A DTensor of global ``shape`` (contiguous) from this rank's ``local`` part, without a
    collective (``xops.random.sharded``, ``placed_like``)."""
    from torch.distributed.tensor import DTensor
    stride, step = [], 1
    for n in reversed(shape):  # contiguous strides of the global shape, as torch gives them
        stride.insert(0, step)
        step *= max(n, 1)
    return DTensor.from_local(local, mesh, placements, run_check=False,
                              shape=torch.Size(shape), stride=tuple(stride))


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
        return bool(reduce_partial(b))  # a DTensor's .item() reads this rank's partial value
    except RuntimeError:  # torch.func.vmap cannot read values
        return False

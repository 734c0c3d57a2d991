"""NumPy kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py."""
from __future__ import annotations

import importlib.util
import sys

import numpy as np

from ... import _dtypes as d
from .. import _common

__all__ = list(_common.PACKAGE_NAMES)

NAME = "numpy"
# NumPy's dtypes of the same names; bfloat16 only with ml_dtypes (below).
DTYPES = {c: np.dtype(bool if c is d.bool_ else c.name) for c in d.ALL_DTYPES
          if c is not d.bfloat16}
EXTRA_NATIVE = {t.type: c for c, t in DTYPES.items()}



def load_bfloat16() -> bool:
    """Add ml_dtypes' bfloat16 to this table; False when ml_dtypes is not installed.

    NumPy has no bfloat16; ml_dtypes (a dependency of jax and tensorflow) adds one with ufuncs.
    Importing it costs about 1 s, so a NumPy-only program pays it on the first bfloat16 request
    (``unsupported_dtype``), not on its first call: the table is loaded eagerly only when
    ml_dtypes is already imported (by jax, tensorflow or the user, who may then hold bfloat16
    arrays). DTYPES is the backend's live ``native`` map, so the entry takes effect at once."""
    if d.bfloat16 in DTYPES:
        return True
    if "ml_dtypes" not in sys.modules and importlib.util.find_spec("ml_dtypes") is None:
        return False
    import ml_dtypes

    native = np.dtype(ml_dtypes.bfloat16)
    EXTRA_NATIVE[ml_dtypes.bfloat16] = d.bfloat16
    _FLOAT_NATIVE.add(native)
    d.register_native({native: d.bfloat16, ml_dtypes.bfloat16: d.bfloat16})
    DTYPES[d.bfloat16] = native  # last: its presence says the rest is done (threads)
    return True


# Dtypes for which Python scalars can be passed straight to the ufunc: NumPy >= 2 treats them
# as weak (NEP 50) on either side, but not for ml_dtypes' bfloat16 (bfloat16 + 2.5 is float32).
SCALARS_OK = frozenset(c for c in DTYPES if c is not d.bfloat16)


def default_float() -> d.DType:
    return d.float64


def default_int() -> d.DType:
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt not in DTYPES and not (dt is d.bfloat16 and load_bfloat16()):
        return "NumPy has no bfloat16 without the ml_dtypes package (pip install ml_dtypes)"
    return None


# Array API inspection (xops.numpy.__array_namespace_info__()).
CAPABILITIES = {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}


def devices():
    return ["cpu"]


def default_device():
    return "cpu"


def device(x):
    return "cpu"


_FLOAT_NATIVE = {DTYPES[f] for f in (d.float16, d.float32, d.float64)}  # + bfloat16 on load
_INT_NATIVE = frozenset(DTYPES[i] for i in (d.int8, d.int16, d.int32, d.int64, d.uint8,
                                             d.uint16, d.uint32, d.uint64))


def astype(x, dtype, copy=True):
    if dtype in _INT_NATIVE and x.dtype in _FLOAT_NATIVE:
        return _float_to_int(x, dtype)
    return x.astype(dtype, copy=copy)


def _float_to_int(x, dtype):
    """Float -> integer cast as XLA does it: truncate toward zero, NaN -> 0, values beyond the
    integer range (and +-inf) saturate to its min/max (NumPy's C cast is undefined there)."""
    lo, hi, top = _common.int_cast_bounds(d.canonical(dtype))
    with np.errstate(all="ignore"):
        big = x >= np.asarray(hi, x.dtype)
        small = (x < np.asarray(lo, x.dtype)) | (x == -np.inf)
        bad = big | small | np.isnan(x)
        if not bad.any():
            return x.astype(dtype)
        out = np.where(bad, np.zeros((), x.dtype), x).astype(dtype)
    out = np.where(big, np.asarray(top, dtype), out)
    return np.where(small, np.asarray(lo, dtype), out)


# ml_dtypes' bfloat16 lacks some loops (matmul, einsum, ldexp): NumPy answers in float32.
def same_dtype(out, like):
    return out if out.dtype == like.dtype else out.astype(like.dtype)


if "ml_dtypes" in sys.modules:  # imported already: bfloat16 arrays may arrive
    load_bfloat16()


def scalar(v, dtype, like):
    return np.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    return np.asarray(obj, dtype=dtype, copy=copy)


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path.
FULL_REDUCTIONS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}


def known_true(b):
    return bool(b)

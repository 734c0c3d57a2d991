"""NumPy kernel table: op name -> native call. Arguments arrive normalised by xops dispatch
(same dtype, axes as sorted tuples of non-negative ints); see xops/_dispatch.py."""
from __future__ import annotations

import importlib.util

import numpy as np

from ... import _dtypes as d
from .. import _common, _numpy_like
from .._common import adapt_common

NAME = "numpy"

DTYPES = {
    d.bool_: np.dtype(bool), d.int8: np.dtype(np.int8), d.int16: np.dtype(np.int16),
    d.int32: np.dtype(np.int32), d.int64: np.dtype(np.int64), d.uint8: np.dtype(np.uint8),
    d.uint16: np.dtype(np.uint16), d.uint32: np.dtype(np.uint32), d.uint64: np.dtype(np.uint64),
    d.float16: np.dtype(np.float16), d.float32: np.dtype(np.float32),
    d.float64: np.dtype(np.float64), d.complex64: np.dtype(np.complex64),
    d.complex128: np.dtype(np.complex128),
}
EXTRA_NATIVE = {t.type: c for c, t in DTYPES.items()}
# NumPy has no bfloat16; ml_dtypes (a dependency of jax and tensorflow) adds one with ufuncs.
if importlib.util.find_spec("ml_dtypes") is not None:
    import ml_dtypes

    DTYPES[d.bfloat16] = np.dtype(ml_dtypes.bfloat16)
    EXTRA_NATIVE[ml_dtypes.bfloat16] = d.bfloat16


# Dtypes for which Python scalars can be passed straight to the ufunc: NumPy >= 2 treats them
# as weak (NEP 50) on either side, but not for ml_dtypes' bfloat16 (bfloat16 + 2.5 is float32).
SCALARS_OK = frozenset(c for c in DTYPES if c is not d.bfloat16)


def default_float() -> d.DType:
    return d.float64


def default_int() -> d.DType:
    return d.int64


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt not in DTYPES:
        return "NumPy has no bfloat16 without the ml_dtypes package (pip install ml_dtypes)"
    return None


def adapt(name, fn, dt):
    if name == "matmul" and dt is d.bfloat16:
        return _matmul_bf16
    if dt.kind == "i" and name == "power":
        return _int_power  # x ** -n is defined (NumPy raises): see docs/semantics.md
    if name == "sign" and dt is d.bfloat16:
        return _sign_bf16
    return adapt_common(name, fn, dt)


def device(x):
    return "cpu"


_FLOAT_NATIVE = frozenset(DTYPES[f] for f in (d.float16, d.bfloat16, d.float32, d.float64)
                          if f in DTYPES)
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


def scalar(v, dtype, like):
    return np.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    return np.asarray(obj, dtype=dtype, copy=copy)


# Kernels named and called as in NumPy (see _numpy_like.py); the rest are NumPy's quirks.
globals().update(_numpy_like.kernels(np))


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path.
FULL_REDUCTIONS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}


# ml_dtypes' bfloat16 has no matmul/einsum loops: NumPy answers in float32, so cast back.
def _same_dtype(out, like):
    return out if out.dtype == like.dtype else out.astype(like.dtype)


def _matmul_bf16(a, b):
    return _same_dtype(np.matmul(a, b), a)


def tensordot(a, b, axes_a, axes_b):
    return _same_dtype(np.tensordot(a, b, axes=(axes_a, axes_b)), a)


def einsum(subscripts, operands):
    return _same_dtype(np.asarray(np.einsum(subscripts, *operands)), operands[0])



# --- edge-case semantics (docs/semantics.md) and the special functions --------------------------
_int_power = _numpy_like.int_power(np)
_BF16 = DTYPES.get(d.bfloat16)
_sort_np, _argsort_np = sort, argsort


# ml_dtypes' bfloat16 sort does not put NaN last: sort its exact float32 image instead.
def sort(x, axis, descending):
    if x.dtype == _BF16:
        return _sort_np(x.astype(np.float32), axis, descending).astype(x.dtype)
    return _sort_np(x, axis, descending)


def argsort(x, axis, descending, idx):
    if x.dtype == _BF16:
        x = x.astype(np.float32)
    return _argsort_np(x, axis, descending, idx)


def _sign_bf16(x):
    # ml_dtypes' bfloat16 sign(-0.0) is -0.0; NumPy's float sign gives +0.0.
    return np.where(x == 0, np.zeros((), x.dtype), np.sign(x))

heaviside = np.heaviside
logaddexp2 = np.logaddexp2
fmax = np.fmax
fmin = np.fmin
gcd = np.gcd
lcm = np.lcm


def ldexp(x1, x2):
    return _same_dtype(np.ldexp(x1, x2), x1)  # bfloat16 has no loop: NumPy answers in float32


def frexp(x):
    if x.dtype.itemsize == 2:  # bfloat16 has no frexp loop; float16 and bfloat16 are exact in f32
        m, e = np.frexp(x.astype(np.float32))
        return m.astype(x.dtype), e
    return np.frexp(x)




_SCIPY: list = []


def _scipy_special():
    """scipy.special when importable (it is a jax dependency), imported on first use; else None
    and the math-module fallbacks below (float64-accurate, slower) are used."""
    if not _SCIPY:
        try:
            import scipy.special as sp
        except ImportError:  # pragma: no cover - scipy ships with jax
            sp = None
        _SCIPY.append(sp)
    return _SCIPY[0]


def _erfinv_scalar(v: float) -> float:
    import math
    if math.isnan(v) or abs(v) > 1:
        return math.nan
    if abs(v) == 1:
        return math.copysign(math.inf, v)
    # bracket then Newton on erf (erf is increasing; erfinv(v) is within +-6)
    lo, hi = -6.0, 6.0
    y = 0.0
    for _ in range(200):
        y = 0.5 * (lo + hi)
        if math.erf(y) < v:
            lo = y
        else:
            hi = y
        if hi - lo < 1e-3:
            break
    for _ in range(6):
        # erf(y) - v, written with erfc in the tails (1 -+ v is exact there)
        if v > 0.5:
            f = (1 - v) - math.erfc(y)
        elif v < -0.5:
            f = math.erfc(-y) - (1 + v)
        else:
            f = math.erf(y) - v
        y -= f / (1.1283791670955126 * math.exp(-y * y))
    return y


def _special(name):
    import math
    scalar = {"erf": math.erf, "erfc": math.erfc, "erfinv": _erfinv_scalar}[name]

    def k(x):
        dt = x.dtype
        sp = _scipy_special()
        if sp is not None:
            xf = x.astype(np.float32) if dt.itemsize == 2 else x
            out = getattr(sp, name)(xf)
        else:
            out = np.frompyfunc(scalar, 1, 1)(x.astype(np.float64)).astype(np.float64)
        return np.asarray(out).astype(dt, copy=False)

    k.__name__ = k.__qualname__ = name
    return k


erf = _special("erf")
erfc = _special("erfc")
erfinv = _special("erfinv")

# Kernel sections: one file per area, each listing its kernels in __all__.
from ._arrayapi import *  # noqa: E402,F401,F403
from ._stats import *  # noqa: E402,F401,F403
from ._extras import *  # noqa: E402,F401,F403
from ._signal import *  # noqa: E402,F401,F403



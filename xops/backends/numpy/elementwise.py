"""numpy kernels of the elementwise ops, and adapt(): the per-(op, dtype) variants dispatch picks
once and caches, so the common dtypes pay nothing per call for another dtype's fix."""
from __future__ import annotations

import numpy as np

from ... import _dtypes as d
from .. import _numpy_like
from .._common import SPECIAL_NAMES, adapt_common
from . import same_dtype
from .products import matmul_bf16

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "elementwise", *SPECIAL_NAMES)


def adapt(name, fn, dt):
    if name == "matmul" and dt is d.bfloat16:
        return matmul_bf16
    if dt.kind == "i" and name == "power":
        return _int_power  # x ** -n is defined (NumPy raises): see docs/semantics.md
    if name == "sign" and dt is d.bfloat16:
        return _sign_bf16
    return adapt_common(name, fn, dt)


# --- edge-case semantics (docs/semantics.md) and the special functions --------------------------
_int_power = _numpy_like.int_power(np)


def _sign_bf16(x):
    # ml_dtypes' bfloat16 sign(-0.0) is -0.0; NumPy's float sign gives +0.0.
    return np.where(x == 0, np.zeros((), x.dtype), np.sign(x))


def ldexp(x1, x2):
    return same_dtype(np.ldexp(x1, x2), x1)  # bfloat16 has no loop: NumPy answers in float32


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


def nextafter(x1, x2):
    return np.nextafter(x1, x2)


def i0(x):
    # np.i0 evaluates the Cephes Chebyshev series in float64 and keeps float32's dtype.
    return np.asarray(np.i0(x)).astype(x.dtype, copy=False)

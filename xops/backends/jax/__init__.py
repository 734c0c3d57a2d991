"""jax kernel table: op name -> jax.numpy call (jnp shares NumPy's names, so most lines are
aliases). Arguments arrive normalised by xops dispatch; see xops/_dispatch.py."""
from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from ... import _dtypes as d
from .. import _common, _numpy_like
from .._common import adapt_common

NAME = "jax"

DTYPES = {
    d.bool_: np.dtype(bool), d.int8: np.dtype(np.int8), d.int16: np.dtype(np.int16),
    d.int32: np.dtype(np.int32), d.int64: np.dtype(np.int64), d.uint8: np.dtype(np.uint8),
    d.uint16: np.dtype(np.uint16), d.uint32: np.dtype(np.uint32), d.uint64: np.dtype(np.uint64),
    d.float16: np.dtype(np.float16), d.bfloat16: np.dtype(jnp.bfloat16),
    d.float32: np.dtype(np.float32), d.float64: np.dtype(np.float64),
    d.complex64: np.dtype(np.complex64), d.complex128: np.dtype(np.complex128),
}
# jax treats Python scalars as weak on either side of every jnp function.
SCALARS_OK = frozenset(DTYPES)
EXTRA_NATIVE = {getattr(jnp, c.name if c is not d.bool_ else "bool_"): c for c in DTYPES}

_X64_MSG = ("jax runs without x64 mode, where 64-bit types silently become 32-bit; enable it "
            "with jax.config.update('jax_enable_x64', True) or use a 32-bit dtype")


def _x64() -> bool:
    return bool(jax.config.jax_enable_x64)


def default_float() -> d.DType:
    return d.float64 if _x64() else d.float32


def default_int() -> d.DType:
    return d.int64 if _x64() else d.int32


def unsupported_dtype(dt: d.DType) -> str | None:
    if dt.bits == 64 and dt.kind in "iuf" and not _x64():
        return _X64_MSG
    if dt is d.complex128 and not _x64():
        return _X64_MSG
    return None


def adapt(name, fn, dt):
    kind = dt.kind
    if kind in "iu":
        if name == "floor_divide":
            return _int_floor_divide
        if name == "power" and kind == "i":
            return _int_power
        if name in ("fmax", "fmin"):  # integers have no NaN: the plain maximum/minimum
            return jnp.maximum if name == "fmax" else jnp.minimum
    elif kind == "f" and name == "sign":
        return _sign_float
    return adapt_common(name, fn, dt)


def device(x):
    try:
        devs = x.devices()
    except Exception:  # noqa: BLE001 - tracers carry no committed device
        return None
    return next(iter(devs)) if len(devs) == 1 else None


def astype(x, dtype, copy=True):
    return x.astype(dtype)


def scalar(v, dtype, like):
    return jnp.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    if copy is False and isinstance(obj, jax.Array) and dtype is not None and obj.dtype != dtype:
        raise ValueError("xops.numpy.asarray: copy=False but a dtype change needs a copy")
    return jnp.array(obj, dtype=dtype, device=device) if copy else jnp.asarray(obj, dtype=dtype,
                                                                               device=device)


# jnp mirrors NumPy's names and keywords: the shared definitions serve as they are.
globals().update(_numpy_like.kernels(jnp))

# Whole-array reductions for float/complex input, called directly by the sum(x) fast path.
FULL_REDUCTIONS = {"sum": jnp.sum, "mean": jnp.mean, "max": jnp.max, "min": jnp.min}


# --- edge-case semantics (docs/semantics.md) and the special functions --------------------------
_int_power = _numpy_like.int_power(jnp)


def _sign_float(x):
    # jnp.sign(-0.0) is -0.0; NumPy's (and every other backend's) is +0.0.
    return jnp.where(x == 0, jnp.zeros((), x.dtype), jnp.sign(x))


# jnp.floor_divide(x, 0) is -1 or -2 (uint: the max); jnp.remainder and jnp.fmod give 0 already.
_int_floor_divide = _numpy_like.int_zero_safe(jnp.floor_divide, jnp)


def _concrete(*xs) -> bool:
    return not builtins.any(isinstance(x, jax.core.Tracer) for x in xs)


def _check_bounds(name, indices, n):
    """Out-of-range indices raise IndexError eagerly (jnp fills them with NaN or clamps); under
    jit the result for such indices is unspecified (no data-dependent errors in XLA)."""
    if _concrete(indices) and indices.size:
        bad = jnp.any((indices < -n) | (indices >= n))
        if bool(bad):
            lo, hi = int(jnp.min(indices)), int(jnp.max(indices))
            i = hi if hi >= n else lo
            raise IndexError(f"xops.numpy.{name}: index {i} is out of bounds for an axis of "
                             f"size {n}")


def take(x, indices, axis):
    _check_bounds("take", indices, x.shape[axis])
    return jnp.take(x, indices, axis=axis)


def take_along_axis(x, indices, axis):
    _check_bounds("take_along_axis", indices, x.shape[axis])
    return jnp.take_along_axis(x, indices, axis=axis)


heaviside = jnp.heaviside
logaddexp2 = jnp.logaddexp2
fmax = jnp.fmax
fmin = jnp.fmin
gcd = jnp.gcd
lcm = jnp.lcm
erf = jax.scipy.special.erf
erfc = jax.scipy.special.erfc
rsqrt = jax.lax.rsqrt
xlogy = jax.scipy.special.xlogy
frexp = _numpy_like.frexp_bits(jnp, jax.lax.bitcast_convert_type)  # jnp.frexp: subnormals wrong


def ldexp(x1, x2):
    return jnp.ldexp(x1, x2)


def erfinv(x):
    dt = x.dtype
    if dt.itemsize == 2:
        return erfinv(x.astype(jnp.float32)).astype(dt)
    y = jax.scipy.special.erfinv(x)
    # One Newton step (residual through erfc in the tails, where 1 - |x| is exact): XLA's
    # float32 erf_inv is up to ~60 ulp off near +-1, its float64 one ~1e-11 relative.
    a = jnp.abs(x)
    ya = jnp.abs(y)
    r = jnp.where(a > 0.5, jnp.sign(x) * ((1 - a) - jax.scipy.special.erfc(ya)),
                  jax.scipy.special.erf(y) - x)
    y1 = y - r / (_common.TWO_OVER_SQRT_PI * jnp.exp(-y * y))
    return jnp.where(jnp.isfinite(y1), y1, y)

# Kernel sections: one file per area, each listing its kernels in __all__.
from ._arrayapi import *  # noqa: E402,F401,F403
from ._stats import *  # noqa: E402,F401,F403
from ._extras import *  # noqa: E402,F401,F403
from ._signal import *  # noqa: E402,F401,F403



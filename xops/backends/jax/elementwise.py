"""jax kernels of the elementwise ops, and adapt(): the per-(op, dtype) variants dispatch picks once
and caches, so the common dtypes pay nothing per call for another dtype's fix."""
from __future__ import annotations

import jax
import jax.numpy as jnp

from .. import _common, _numpy_like
from .._common import SPECIAL_NAMES, adapt_common

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "elementwise", *SPECIAL_NAMES, "rsqrt", "xlogy")


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


# --- edge-case semantics (docs/semantics.md) and the special functions --------------------------
_int_power = _numpy_like.int_power(jnp)


def _sign_float(x):
    # jnp.sign(-0.0) is -0.0; NumPy's (and every other backend's) is +0.0.
    return jnp.where(x == 0, jnp.zeros((), x.dtype), jnp.sign(x))


# jnp.floor_divide(x, 0) is -1 or -2 (uint: the max); jnp.remainder and jnp.fmod give 0 already.
_int_floor_divide = _numpy_like.int_zero_safe(jnp.floor_divide, jnp)
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


def nextafter(x1, x2):
    return jnp.nextafter(x1, x2)


def i0(x):
    return jax.scipy.special.i0(x).astype(x.dtype)

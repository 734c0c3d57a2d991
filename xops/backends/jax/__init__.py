"""jax kernel table: op name -> jax.numpy call (jnp shares NumPy's names, so most lines are
aliases). Arguments arrive normalised by xops dispatch; see xops/_dispatch.py."""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ... import _dtypes as d
from .. import _common

__all__ = list(_common.PACKAGE_NAMES)

NAME = "jax"
# NumPy dtype objects, as jax arrays report them (bfloat16 is ml_dtypes', through jnp).
DTYPES = {c: np.dtype(jnp.bfloat16 if c is d.bfloat16 else bool if c is d.bool_ else c.name)
          for c in d.ALL_DTYPES}


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


# Array API inspection: jax's own answer (no boolean-mask indexing or data-dependent shapes
# under jit).
CAPABILITIES = {"boolean indexing": False, "data-dependent shapes": False, "max dimensions": 64}


def devices():
    return list(jax.devices())


def default_device():
    return jax.devices()[0]


def device(x):
    """Where arrays made "like" ``x`` go: its device when ``x`` is committed to one; None (jax's
    default placement, uncommitted) for an uncommitted array, as jnp.zeros_like does, so that
    they can still meet arrays sharded over a mesh; None for tracers and sharded arrays."""
    try:
        devs = x.devices()
    except Exception:  # noqa: BLE001 - tracers carry no committed device
        return None
    if len(devs) != 1 or not getattr(x, "committed", True):
        return None
    return next(iter(devs))


def astype(x, dtype, copy=True):
    return x.astype(dtype)


def scalar(v, dtype, like):
    return jnp.asarray(v, dtype=dtype)


def asarray(obj, dtype, device, copy):
    if copy is False and isinstance(obj, jax.Array) and dtype is not None and obj.dtype != dtype:
        raise ValueError("xops.numpy.asarray: copy=False but a dtype change needs a copy")
    return jnp.array(obj, dtype=dtype, device=device) if copy else jnp.asarray(obj, dtype=dtype,
                                                                               device=device)


# Whole-array reductions for float/complex input, called directly by the sum(x) fast path
# (reductions.py adds max and min, which guard sharded NaN).
FULL_REDUCTIONS: dict[str, Any] = {"sum": jnp.sum, "mean": jnp.mean}


def known_true(b):
    if isinstance(b, jax.core.Tracer):
        return False
    return bool(b)

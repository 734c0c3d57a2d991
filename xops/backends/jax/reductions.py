"""jax kernels of the reductions and scans (axes arrive as sorted tuples of non-negative ints)."""
from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp

from .. import _numpy_like
from . import FULL_REDUCTIONS

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "reductions", "bincount", "max", "min")


def bincount(x, weights, length):
    # Out-of-range values are sent past the end and dropped (jit-friendly, static length).
    x = jnp.where((x >= 0) & (x < length), x, length)
    w = jnp.ones(x.shape, x.dtype) if weights is None else weights
    return jnp.zeros((length,), w.dtype).at[x].add(w, mode="drop")


# XLA (jax 0.10, CPU; jnp too) combines the maxima of the shards of a sharded array with an
# all-reduce that drops NaN: jnp.max of 8 NaNs sharded over 8 devices is -inf, silently. NumPy's
# max is NaN when any element is; xops keeps that with an any-NaN reduction (an or all-reduce,
# which is right) beside the max where the input is sharded: an eager array on more than one
# device, or a traced value whose abstract mesh has automatic or explicit axes (jit of
# committed sharded arrays; shard_map bodies reduce locally). A single-device program is jnp's
# own (the guard costs up to 7x on a whole-array max on the CPU). Not seen: jit with
# in_shardings= of uncommitted input traces with an empty mesh (docs/distributed.md).
# tests/sharded/test_jax_sharding.py has the reproduction of the XLA bug.
_TRACER = jax.core.Tracer
_MANUAL = getattr(getattr(jax.sharding, "AxisType", None), "Manual", None)


def _maybe_sharded(x):
    if isinstance(x, _TRACER):
        try:
            mesh = jax.typeof(x).sharding.mesh
        except AttributeError:  # a jax whose avals carry no sharding: guard
            return True
        # (builtins: this module's any/max/min are kernels)
        return not mesh.empty and builtins.any(t != _MANUAL for t in mesh.axis_types)
    return len(x.sharding.device_set) > 1


def _nan_kept(fn):
    def k(x, axis, keepdims):
        out = fn(x, axis=axis, keepdims=keepdims)
        if _maybe_sharded(x) and jnp.issubdtype(x.dtype, jnp.inexact):
            out = jnp.where(jnp.any(jnp.isnan(x), axis=axis, keepdims=keepdims),
                            jnp.asarray(jnp.nan, out.dtype), out)
        return out

    k.__name__ = k.__qualname__ = fn.__name__
    return k


max = _nan_kept(jnp.max)  # noqa: A001 - the kernel table's names are NumPy's
min = _nan_kept(jnp.min)  # noqa: A001
# The whole-array max(x)/min(x) fast path (jax/__init__.py FULL_REDUCTIONS) calls these kernels
# too, so it keeps the guard.
FULL_REDUCTIONS.update(max=lambda x: max(x, None, False), min=lambda x: min(x, None, False))

"""jax kernels that select or order elements: where, take, sort, nonzero, searchsorted, interp,
..."""
from __future__ import annotations

import builtins

import jax
import jax.numpy as jnp

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where jax needs its own.
__all__ = _numpy_like.install(globals(), jnp, "indexing", "take", "take_along_axis", "nonzero",
                              "searchsorted", "diagonal", "argwhere", "put_along_axis", "interp")


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


def nonzero(x, idx, size, fill_value):
    if size is None and isinstance(x, jax.core.Tracer):
        # jnp would raise a ConcretizationTypeError deep inside; say what to do instead.
        raise TypeError("xops.numpy.nonzero: the output shape depends on the data, which jax "
                        "cannot trace (jax.jit/vmap); pass size= (and fill_value=) for a "
                        "fixed-size result on the jax backend")
    if size is not None and x.size == 0:  # jnp ignores fill_value for an empty input
        pad = jnp.full((size,), 0 if fill_value is None else fill_value, dtype=idx)
        return (pad,) * x.ndim
    out = jnp.nonzero(x, size=size, fill_value=fill_value)
    return tuple(a.astype(idx) for a in out)


def searchsorted(x1, x2, side, idx):
    return jnp.searchsorted(x1, x2, side=side).astype(idx)


def diagonal(x, offset, axis1, axis2):
    return jnp.diagonal(x, offset, axis1, axis2)


def argwhere(x, size, fill, idx):
    try:
        out = jnp.argwhere(x, size=size, fill_value=None if size is None else fill)
    except jax.errors.ConcretizationTypeError:
        raise TypeError("xops.numpy.argwhere: the number of rows depends on the values, which "
                        "are unknown under jax tracing (jit, vmap) on the jax backend; pass "
                        "size= (and fill_value=) for a static shape") from None
    return out.astype(idx)


def put_along_axis(x, idx, values, axis):
    return jnp.put_along_axis(x, idx, values, axis, inplace=False)


def interp(x, xp, fp, left, right):
    return jnp.interp(x, xp, fp, left=left, right=right).astype(fp.dtype)

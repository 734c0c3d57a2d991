"""jax kernels for the Array API functions in xops/numpy_api/arrayapi.py. Every kernel name is
listed in ``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["nextafter", "nonzero", "searchsorted", "unstack", "from_dlpack"]


def nextafter(x1, x2):
    return jnp.nextafter(x1, x2)


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


def unstack(x, axis):
    return tuple(jnp.moveaxis(x, axis, 0)) if x.shape[axis] else ()


def from_dlpack(x, device, copy):
    if isinstance(x, jax.Array):
        return jnp.array(x, copy=True) if copy else x
    return jnp.from_dlpack(x, device=device, copy=copy)

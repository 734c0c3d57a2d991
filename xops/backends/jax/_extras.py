"""jax kernels for the NumPy extras in xops/numpy_api/extras.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see extras/numpy.py."""
from __future__ import annotations

import jax
import jax.numpy as jnp

__all__: list[str] = ["diagonal", "copy", "argwhere", "put_along_axis", "tril_indices",
                      "triu_indices", "known_true"]


def diagonal(x, offset, axis1, axis2):
    return jnp.diagonal(x, offset, axis1, axis2)


def copy(x, order):
    return jnp.array(x, copy=True)


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


def _on(a, idx, device):
    a = jnp.asarray(a, dtype=idx)
    return a if device is None else jax.device_put(a, device)


def tril_indices(n, k, m, idx, device):
    return tuple(_on(i, idx, device) for i in jnp.tril_indices(n, k, m))


def triu_indices(n, k, m, idx, device):
    return tuple(_on(i, idx, device) for i in jnp.triu_indices(n, k, m))


def known_true(b):
    if isinstance(b, jax.core.Tracer):
        return False
    return bool(b)

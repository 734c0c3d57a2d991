"""jax kernels for xops.numpy.fft. Every kernel name is listed in
``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import jax.numpy as jnp

NAMESPACE = "fft"
__all__ = ["fftn", "ifftn", "rfftn", "irfftn"]


# jnp.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn = jnp.fft.fftn
ifftn = jnp.fft.ifftn
rfftn = jnp.fft.rfftn
irfftn = jnp.fft.irfftn

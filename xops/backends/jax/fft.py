"""jax kernels for xops.numpy.fft: jnp.fft's own."""
from __future__ import annotations

import jax.numpy as jnp

from .._common import FFT_NAMES

NAMESPACE = "fft"
__all__: list[str] = list(FFT_NAMES)

# jnp.fft's functions take (x, s, axes, norm) in the order dispatch passes them.
fftn, ifftn, rfftn, irfftn = jnp.fft.fftn, jnp.fft.ifftn, jnp.fft.rfftn, jnp.fft.irfftn

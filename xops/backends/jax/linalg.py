"""jax kernels for xops.numpy.linalg (``jax.numpy.linalg``; shared with numpy in
_numpy_like.py). Every kernel name is listed in ``__all__`` (the table imports exactly those).

jax never raises for singular or non-positive-definite input (inf/nan instead), and computes
``eig``/``eigvals`` on CPU only."""
from __future__ import annotations

import jax.numpy as jnp

from .._common import LINALG_NAMES
from .._numpy_like import linalg_kernels

globals().update(linalg_kernels(jnp, jax=True))

NAMESPACE = "linalg"
__all__: list[str] = list(LINALG_NAMES)

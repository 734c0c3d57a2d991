"""numpy kernels for xops.numpy.linalg (``numpy.linalg``; shared with jax in _numpy_like.py).
Every kernel name is listed in ``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import numpy as np

from .._common import LINALG_NAMES
from .._numpy_like import linalg_kernels

globals().update(linalg_kernels(np, jax=False))

NAMESPACE = "linalg"
__all__: list[str] = list(LINALG_NAMES)

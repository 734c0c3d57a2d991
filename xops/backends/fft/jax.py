"""jax kernels for xops.numpy.fft. Every kernel name is listed in ``__all__``
(the table imports exactly those)."""
from __future__ import annotations

__all__: list[str] = []

"""numpy kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those)."""
from __future__ import annotations

__all__: list[str] = []

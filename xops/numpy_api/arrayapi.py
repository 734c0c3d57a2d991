"""Array API 2025.12 functions beyond the core set (unique_*, searchsorted, nonzero,
cumulative_sum/prod, diff, nextafter, ...)."""
from __future__ import annotations

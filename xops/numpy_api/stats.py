"""NumPy statistics and nan-aware reductions beyond the Array API standard."""
from __future__ import annotations

"""NumPy names beyond the Array API standard (shape, creation, selection and misc helpers)."""
from __future__ import annotations

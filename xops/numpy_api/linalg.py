"""``xops.numpy.linalg``: the Array API linalg extension with NumPy semantics."""
from __future__ import annotations

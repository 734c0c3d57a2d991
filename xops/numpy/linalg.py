"""``xops.numpy.linalg``: re-exports the ops declared with ``namespace="linalg"`` in
``xops.numpy_api`` plus the top-level ops the Array API also lists here."""
from __future__ import annotations

from ..numpy_api._registry import namespace_exports

# Top-level xops.numpy ops that the standard also places in this namespace (same function),
# unless this namespace declares its own.
_SHARED = ("matmul", "tensordot", "vecdot", "matrix_transpose", "outer", "cross", "diagonal",
           "trace")

_EXPORTS = namespace_exports("linalg", _SHARED)
globals().update(_EXPORTS)
__all__ = sorted(_EXPORTS)

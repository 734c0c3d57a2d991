"""``xops.numpy.linalg``: re-exports the ops declared with ``namespace="linalg"`` in
``xops.numpy_api`` plus the top-level ops the Array API also lists here."""
from __future__ import annotations

from ..numpy_api import ALIASES as _ALIASES
from ..numpy_api import REGISTRY as _REGISTRY

_PRE = "linalg."
# Top-level xops.numpy ops that the standard also places in this namespace (same function),
# unless this namespace declares its own.
_SHARED = ("matmul", "tensordot", "vecdot", "matrix_transpose", "outer", "cross", "diagonal",
           "trace")

globals().update({n: _REGISTRY[n].fn for n in _SHARED
                  if n in _REGISTRY and _PRE + n not in _REGISTRY})
globals().update({n[len(_PRE):]: i.fn for n, i in _REGISTRY.items() if n.startswith(_PRE)})
globals().update({a[len(_PRE):]: _REGISTRY[n].fn for a, n in _ALIASES.items()
                  if a.startswith(_PRE)})

__all__ = sorted({*(n for n in _SHARED if n in _REGISTRY or _PRE + n in _REGISTRY),
                  *(n[len(_PRE):] for n in _REGISTRY if n.startswith(_PRE)),
                  *(a[len(_PRE):] for a in _ALIASES if a.startswith(_PRE))})

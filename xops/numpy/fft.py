"""``xops.numpy.fft``: re-exports the ops declared with ``namespace="fft"`` in
``xops.numpy_api``."""
from __future__ import annotations

from ..numpy_api._registry import namespace_exports

# Top-level xops.numpy ops that the standard also places in this namespace (same function),
# unless this namespace declares its own.
_SHARED: tuple[str, ...] = ()

_EXPORTS = namespace_exports("fft", _SHARED)
globals().update(_EXPORTS)
__all__ = sorted(_EXPORTS)

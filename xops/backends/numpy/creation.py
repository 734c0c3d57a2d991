"""numpy kernels that make arrays: zeros/ones/full/arange/linspace/eye, triangles, index grids,
copies."""
from __future__ import annotations

import numpy as np

from .. import _numpy_like

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "creation", "from_dlpack", "copy", "tril_indices",
                              "triu_indices")


def from_dlpack(x, device, copy):
    if isinstance(x, np.ndarray):
        return x.copy() if copy else x
    return np.from_dlpack(x, device=device, copy=copy)


def copy(x, order):
    return np.array(x, copy=True, order=order)


def tril_indices(n, k, m, idx, device):
    return tuple(np.asarray(i, dtype=idx) for i in np.tril_indices(n, k, m))


def triu_indices(n, k, m, idx, device):
    return tuple(np.asarray(i, dtype=idx) for i in np.triu_indices(n, k, m))

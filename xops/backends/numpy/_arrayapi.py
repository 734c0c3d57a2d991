"""numpy kernels for the Array API functions in xops/numpy_api/arrayapi.py. Every kernel name is
listed in ``__all__`` (the table imports exactly those)."""
from __future__ import annotations

import numpy as np

__all__ = ["nextafter", "nonzero", "searchsorted", "unstack", "from_dlpack"]


def nextafter(x1, x2):
    return np.nextafter(x1, x2)


def nonzero(x, idx, size, fill_value):
    out = tuple(a.astype(idx, copy=False) for a in np.nonzero(x))
    if size is None:
        return out
    n = out[0].shape[0] if out else 0
    if n >= size:
        return tuple(a[:size] for a in out)
    pad = np.full(size - n, 0 if fill_value is None else fill_value, dtype=idx)
    return tuple(np.concatenate([a, pad]) for a in out)


def searchsorted(x1, x2, side, idx):
    # NumPy's own order puts NaN after +inf, except for ml_dtypes' bfloat16, whose sort loops
    # order NaN first: search its exact float32 values instead.
    if x1.dtype.name == "bfloat16":
        x1, x2 = x1.astype(np.float32), x2.astype(np.float32)
    return np.asarray(np.searchsorted(x1, x2, side=side), dtype=idx)


def unstack(x, axis):
    return tuple(np.moveaxis(x, axis, 0))


def from_dlpack(x, device, copy):
    if isinstance(x, np.ndarray):
        return x.copy() if copy else x
    return np.from_dlpack(x, device=device, copy=copy)

"""numpy kernels that select or order elements: where, take, sort, nonzero, searchsorted, interp,
..."""
from __future__ import annotations

import numpy as np

from ... import _dtypes as d
from .. import _numpy_like
from . import DTYPES

# Kernels named and called as in NumPy (xops/backends/_numpy_like.py); the rest of this
# module is where NumPy needs its own.
__all__ = _numpy_like.install(globals(), np, "indexing", "sort", "argsort", "nonzero",
                              "searchsorted", "diagonal", "argwhere", "put_along_axis", "interp")

_SHARED = _numpy_like.section(np, "indexing")
_sort_np, _argsort_np = _SHARED["sort"], _SHARED["argsort"]


# ml_dtypes' bfloat16 sort does not put NaN last: sort its exact float32 image instead.
def sort(x, axis, descending):
    if x.dtype == DTYPES.get(d.bfloat16):  # added on first use (load_bfloat16)
        return _sort_np(x.astype(np.float32), axis, descending).astype(x.dtype)
    return _sort_np(x, axis, descending)


def argsort(x, axis, descending, idx):
    if x.dtype == DTYPES.get(d.bfloat16):  # added on first use (load_bfloat16)
        x = x.astype(np.float32)
    return _argsort_np(x, axis, descending, idx)


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


def diagonal(x, offset, axis1, axis2):
    return np.diagonal(x, offset, axis1, axis2)


def argwhere(x, size, fill, idx):
    out = np.argwhere(x).astype(idx, copy=False)
    return out if size is None else _pad_rows(out, size, fill)


def put_along_axis(x, idx, values, axis):
    out = x.copy()
    np.put_along_axis(out, idx, values, axis)
    return out


def interp(x, xp, fp, left, right):
    """Piecewise-linear interpolation; ``left``/``right`` None or 0-d arrays of fp's dtype.
    np.interp computes in float64 (complex128); the result keeps the promoted dtype."""
    # np.interp's complex path rejects 0-d complex arrays for left/right: pass Python scalars.
    left = None if left is None else left.item()
    right = None if right is None else right.item()
    out = np.interp(x, xp, fp, left=left, right=right)
    return out.astype(fp.dtype, copy=False)


def _pad_rows(out, size, fill):
    """``out`` (N, d) cut or padded with ``fill`` to ``size`` rows ."""
    n = out.shape[0]
    if n >= size:
        return out[:size]
    return np.concatenate([out, np.full((size - n, out.shape[1]), fill, dtype=out.dtype)])

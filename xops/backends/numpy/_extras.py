"""numpy kernels for the NumPy extras in xops/numpy_api/extras.py. Every kernel name is listed in ``__all__``
(the table imports exactly those).

Kernels (arguments normalised by xops/numpy_api/extras.py):
``diagonal(x, offset, axis1, axis2)`` (distinct non-negative axes); ``copy(x, order)``;
``argwhere(x, size, fill, idx)`` (``size`` None or an int: pad with ``fill``/truncate to that many
rows; ``idx`` the native index dtype); ``put_along_axis(x, idx, values, axis)`` (``idx``
non-negative, ``idx`` and ``values`` broadcast to the same shape, ``values`` of ``x``'s dtype;
returns a new array); ``tril_indices``/``triu_indices(n, k, m, idx, device)`` -> (rows, cols);
``known_true(b)``: Python bool, True only when the 0-d bool ``b`` is concretely true
(False when it is false or its value is unknown under tracing).
"""
from __future__ import annotations

import numpy as np

__all__: list[str] = ["diagonal", "copy", "argwhere", "put_along_axis", "tril_indices",
                      "triu_indices", "known_true"]


def diagonal(x, offset, axis1, axis2):
    return np.diagonal(x, offset, axis1, axis2)


def copy(x, order):
    return np.array(x, copy=True, order=order)


def pad_rows(out, size, fill, xp):
    """``out`` (N, d) cut or padded with ``fill`` to ``size`` rows (numpy and jax eagerly)."""
    n = out.shape[0]
    if n >= size:
        return out[:size]
    return xp.concatenate([out, xp.full((size - n, out.shape[1]), fill, dtype=out.dtype)])


def argwhere(x, size, fill, idx):
    out = np.argwhere(x).astype(idx, copy=False)
    return out if size is None else pad_rows(out, size, fill, np)


def put_along_axis(x, idx, values, axis):
    out = x.copy()
    np.put_along_axis(out, idx, values, axis)
    return out


def tril_indices(n, k, m, idx, device):
    return tuple(np.asarray(i, dtype=idx) for i in np.tril_indices(n, k, m))


def triu_indices(n, k, m, idx, device):
    return tuple(np.asarray(i, dtype=idx) for i in np.triu_indices(n, k, m))


def known_true(b):
    return bool(b)

"""numpy kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those).

``bincount(x, weights, length)``: counts (``x``'s
integer dtype) or weight sums (``weights``' dtype) of the values of the 1-d ``x`` in
``[0, length)``; values outside that range are dropped.
"""
from __future__ import annotations

import numpy as np

__all__: list[str] = ["bincount"]


def bincount(x, weights, length):
    keep = (x >= 0) & (x < length)
    if weights is None:
        return np.bincount(x[keep], minlength=length)[:length].astype(x.dtype, copy=False)
    # np.bincount sums weights in float64 (more precise than the weights' own dtype).
    out = np.bincount(x[keep], weights[keep].astype(np.float64), minlength=length)[:length]
    return out.astype(weights.dtype, copy=False)

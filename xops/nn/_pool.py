"""Global poolings over all spatial dims (``xops.numpy`` reductions). ``max_pool`` and
``avg_pool`` (windowed, native kernels) are registered ops declared in ``xops/numpy_api/nn.py``."""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from ..numpy_api.nn import avg_pool, channels_last, float_array, max_pool
from ._common import doc_args, downcast, upcast

__all__ = ["avg_pool", "global_avg_pool", "global_max_pool", "max_pool"]

Array = Any


def _spatial_axes(op: str, x: Array, data_format: str) -> tuple[int, ...]:
    nd = len(x.shape) - 2
    if nd < 1:
        raise ValueError(f"xops.nn.{op}: input must be (N, *spatial, C) with at least one "
                         f"spatial dim, got shape {tuple(x.shape)}")
    return tuple(range(1, nd + 1)) if channels_last(op, data_format) else tuple(
        range(2, nd + 2))


_GLOBAL_POOL_ARGS = """
    Args:
        x: ``(N, *spatial, C)`` or channels-first, any number of spatial dims.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Returns:
        ``(N, C)`` (or with the spatial axes kept) of ``x``'s backend and dtype.
"""


@doc_args(_GLOBAL_POOL_ARGS)
def global_avg_pool(x: Array, data_format: str = "channels_last", keepdims: bool = False
                    ) -> Array:
    """Mean over all spatial dims (float16/bfloat16 accumulated in float32)."""
    x, _ = float_array("global_avg_pool", x)
    axes = _spatial_axes("global_avg_pool", x, data_format)
    xc, back = upcast(x)
    return downcast(xnp.mean(xc, axis=axes, keepdims=keepdims), back)


@doc_args(_GLOBAL_POOL_ARGS)
def global_max_pool(x: Array, data_format: str = "channels_last", keepdims: bool = False
                    ) -> Array:
    """Maximum over all spatial dims."""
    x, _ = float_array("global_max_pool", x)
    axes = _spatial_axes("global_max_pool", x, data_format)
    return xnp.max(x, axis=axes, keepdims=keepdims)


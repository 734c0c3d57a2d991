"""Pooling over 1-3 spatial dims: ``max_pool``, ``avg_pool`` (native window reductions of each
backend, ``xops/backends/<framework>/nn.py``) and the global poolings (``xops.numpy`` reductions)."""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from ._common import downcast, upcast
from ._conv import (_run, channels_last, float_array, int_tuple, resolve_pads,
                    spatial_dims)

Array = Any


def _prepare(op: str, x: Array, window: Any, strides: Any, padding: Any, data_format: str):
    x, be = float_array(op, x)
    nd = spatial_dims(op, x)
    cl = channels_last(op, data_format)
    window = int_tuple(op, "window", window, nd)
    strides = window if strides is None else int_tuple(op, "strides", strides, nd)
    shape = tuple(int(s) for s in x.shape)
    sp = shape[1:1 + nd] if cl else shape[2:]
    pads = resolve_pads(op, padding, sp, window, strides)
    for n, (lo, hi), k in zip(sp, pads, window):
        if n + lo + hi < k:
            raise ValueError(f"xops.nn.{op}: padded input size {n + lo + hi} is smaller than "
                             f"the window {k}")
        if lo >= k or hi >= k:
            raise ValueError(f"xops.nn.{op}: padding {(lo, hi)} must be smaller than the "
                             f"window {k} (a window would hold only padding)")
    return x, be, window, strides, pads, cl


_POOL_ARGS = """
    Args:
        x: ``(N, *spatial, C)`` (channels-last, default) or ``(N, C, *spatial)``
            (``data_format="channels_first"``/"NCHW"...), 1 to 3 spatial dims; integers
            become the default float.
        window: int or one int per spatial dim.
        strides: int or one per spatial dim; default ``window`` (torch and keras).
        padding: ``"valid"`` (default), ``"same"`` (output ``ceil(n / stride)``, padding split
            as :func:`conv`'s), an int, or one int or ``(lo, hi)`` pair per spatial dim, each
            smaller than the window.
        data_format: ``"channels_last"`` or ``"channels_first"``.
"""


def max_pool(x: Array, window: Any, strides: Any = None, padding: Any = "valid",
             data_format: str = "channels_last") -> Array:
    # the docstring is assembled below (shared Args section)
    x, be, window, strides, pads, cl = _prepare("max_pool", x, window, strides, padding,
                                                data_format)
    return _run("max_pool", be, "max_pool", x, window, strides, pads, cl)


max_pool.__doc__ = """Maximum over each window; padding never wins (it counts as ``-inf``).

    Native kernels: ``lax.reduce_window``, ``torch.nn.functional.max_pool{1,2,3}d`` (after
    ``F.pad`` with ``-inf`` when the padding is asymmetric), ``tf.nn.max_pool``.
    """ + _POOL_ARGS + """
    Returns:
        ``(N, *out, C)`` (or channels-first) of ``x``'s backend and dtype, ``out = (n + lo +
        hi - window) // stride + 1``. The gradient goes to the window's maximum (which of tied
        maxima gets it is the framework's choice).
    """


def avg_pool(x: Array, window: Any, strides: Any = None, padding: Any = "valid",
             data_format: str = "channels_last") -> Array:
    # the docstring is assembled below (shared Args section)
    x, be, window, strides, pads, cl = _prepare("avg_pool", x, window, strides, padding,
                                                data_format)
    return _run("avg_pool", be, "avg_pool", x, window, strides, pads, cl)


avg_pool.__doc__ = """Mean over each window of the elements inside the input: padding is not
    counted (tf and keras "same"; torch's ``count_include_pad=False``), so border windows
    average fewer elements.

    Native kernels: ``lax.reduce_window`` sums divided by the (shape-only, constant) counts,
    ``torch.nn.functional.avg_pool{1,2,3}d``, ``tf.nn.avg_pool``. float16/bfloat16 are summed
    in float32 on jax and numpy.
    """ + _POOL_ARGS + """
    Returns:
        ``(N, *out, C)`` (or channels-first) of ``x``'s backend and dtype.
    """


def _spatial_axes(op: str, x: Array, data_format: str) -> tuple[int, ...]:
    nd = len(x.shape) - 2
    if nd < 1:
        raise ValueError(f"xops.nn.{op}: input must be (N, *spatial, C) with at least one "
                         f"spatial dim, got shape {tuple(x.shape)}")
    return tuple(range(1, nd + 1)) if channels_last(op, data_format) else tuple(
        range(2, nd + 2))


def global_avg_pool(x: Array, data_format: str = "channels_last", keepdims: bool = False
                    ) -> Array:
    """Mean over all spatial dims (float16/bfloat16 accumulated in float32).

    Args:
        x: ``(N, *spatial, C)`` or channels-first, any number of spatial dims.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Returns:
        ``(N, C)`` (or with the spatial axes kept) of ``x``'s backend and dtype.
    """
    x, _ = float_array("global_avg_pool", x)
    axes = _spatial_axes("global_avg_pool", x, data_format)
    xc, back = upcast(x)
    return downcast(xnp.mean(xc, axis=axes, keepdims=keepdims), back)


def global_max_pool(x: Array, data_format: str = "channels_last", keepdims: bool = False
                    ) -> Array:
    """Maximum over all spatial dims.

    Args:
        x: ``(N, *spatial, C)`` or channels-first, any number of spatial dims.
        data_format: ``"channels_last"`` or ``"channels_first"``.
        keepdims: keep the spatial axes with size 1.

    Returns:
        ``(N, C)`` (or with the spatial axes kept) of ``x``'s backend and dtype.
    """
    x, _ = float_array("global_max_pool", x)
    axes = _spatial_axes("global_max_pool", x, data_format)
    return xnp.max(x, axis=axes, keepdims=keepdims)

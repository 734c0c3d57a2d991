"""Normalisations, composed from ``xops.numpy`` ops. Layouts are channels-last (jax/flax);
float16/bfloat16 inputs are normalised in float32 and cast back. ``layer_norm`` and ``rms_norm``
are registered ops (``xops/numpy_api/nn.py``) that run a backend's fused kernel where it has one;
their compositions here are the generic implementation."""
from __future__ import annotations

import math
from typing import Any, NamedTuple

from .. import numpy as xnp
from .._dispatch import normalize_axes
from ..numpy_api.nn import layer_norm, rms_norm
from ..xla import stop_gradient
from ._common import downcast, float_input, upcast

__all__ = ["BatchNormState", "batch_norm", "batch_norm_train", "group_norm", "layer_norm",
           "layer_norm_composite", "normalize", "rms_norm", "rms_norm_composite"]

Array = Any


def _axes(op: str, axis: Any, ndim: int) -> tuple[int, ...]:
    # an axis out of range is an AxisError as NumPy's reductions raise it (a 0-d input has
    # none); None normalises over every axis
    out = normalize_axes(f"nn.{op}", axis, ndim)
    return tuple(range(ndim)) if out is None else out


def _affine(y: Array, scale: Array | None, bias: Array | None) -> Array:
    if scale is not None:
        y = xnp.multiply(y, scale)
    if bias is not None:
        y = xnp.add(y, bias)
    return y


def normalize(x: Array, ord: float = 2, axis: Any = -1, eps: float = 1e-12) -> Array:
    """``x / max(norm(x, ord), eps)`` along ``axis`` (torch's ``F.normalize``, with its
    ``p`` named ``ord`` as NumPy). A zero vector stays zero, with a finite gradient.

    Args:
        x: float array. ord: the norm's order (a positive number or ``inf``; default 2).
        axis: int or tuple of ints. eps: lower bound of the norm.

    Returns:
        An array of ``x``'s backend, dtype and shape.
    """
    x = float_input("normalize", x)
    xc, back = upcast(x)
    a = xnp.abs(xc)
    if ord == 2:
        # sqrt(max(s, eps^2)) equals max(sqrt(s), eps) and keeps sqrt's inf slope at 0 out of
        # the gradient of a zero vector
        n = xnp.sqrt(xnp.maximum(xnp.sum(xnp.square(xc), axis=axis, keepdims=True), eps * eps))
    else:
        if ord == math.inf:
            n = xnp.max(a, axis=axis, keepdims=True)
        elif ord == 1:
            n = xnp.sum(a, axis=axis, keepdims=True)
        elif ord > 0:
            n = xnp.power(xnp.sum(xnp.power(a, float(ord)), axis=axis, keepdims=True),
                          1.0 / ord)
        else:
            raise ValueError(f"xops.nn.normalize: ord must be positive, got {ord}")
        n = xnp.maximum(n, eps)
    return downcast(xnp.divide(xc, n), back)


def _moments(x: Array, axes: tuple[int, ...]) -> tuple[Array, Array]:
    # two passes (mean, then mean of squared deviations): no cancellation for large means
    mean = xnp.mean(x, axis=axes, keepdims=True)
    var = xnp.mean(xnp.square(xnp.subtract(x, mean)), axis=axes, keepdims=True)
    return mean, var


def layer_norm_composite(x: Array, scale: Array | None = None, bias: Array | None = None,
                         axis: Any = -1, eps: float = 1e-5) -> Array:
    """The generic ``xops.nn.functional.layer_norm`` (declared in ``xops/numpy_api/nn.py``,
    where the backend's fused kernel runs when it can): two-pass moments, then the affine."""
    x = float_input("layer_norm", x)
    xc, back = upcast(x)
    axes = _axes("layer_norm", axis, xc.ndim)
    mean, var = _moments(xc, axes)
    y = xnp.divide(xnp.subtract(xc, mean), xnp.sqrt(xnp.add(var, eps)))
    return downcast(_affine(y, scale, bias), back)


def rms_norm_composite(x: Array, scale: Array | None = None, axis: Any = -1,
                       eps: float = 1e-6) -> Array:
    """The generic ``xops.nn.functional.rms_norm``: ``x / sqrt(mean(x**2) + eps) * scale``."""
    x = float_input("rms_norm", x)
    xc, back = upcast(x)
    axes = _axes("rms_norm", axis, xc.ndim)
    ms = xnp.mean(xnp.square(xc), axis=axes, keepdims=True)
    y = xnp.divide(xc, xnp.sqrt(xnp.add(ms, eps)))
    return downcast(_affine(y, scale, None), back)


def _channel_shape(ndim: int, axis: int) -> tuple[int, ...]:
    # broadcast shape for per-channel (C,) statistics along `axis` of an ndim array
    ax = axis % ndim
    return tuple(-1 if i == ax else 1 for i in range(ndim))


def batch_norm(x: Array, mean: Array, var: Array, scale: Array | None = None,
               bias: Array | None = None, axis: int = -1, eps: float = 1e-5) -> Array:
    """Batch normalisation in inference form: ``(x - mean) / sqrt(var + eps) * scale + bias``
    with given per-channel statistics (running averages, usually).

    Args:
        x: float array (N, ..., C) (channels-last by default). mean, var, scale, bias: arrays of
            shape (C,) (scale/bias optional). axis: the channel axis. eps: added to ``var``.

    Returns:
        An array of ``x``'s backend, dtype and shape.
    """
    x = float_input("batch_norm", x)
    xc, back = upcast(x)
    shp = _channel_shape(xc.ndim, axis)

    def b(v: Array | None) -> Array | None:
        return None if v is None else xnp.reshape(upcast(v)[0], shp)

    y = xnp.divide(xnp.subtract(xc, b(mean)), xnp.sqrt(xnp.add(b(var), eps)))
    return downcast(_affine(y, b(scale), b(bias)), back)


class BatchNormState(NamedTuple):
    """Running statistics of batch normalisation, per channel."""
    mean: Array
    var: Array


def batch_norm_train(x: Array, running_mean: Array, running_var: Array,
                     scale: Array | None = None, bias: Array | None = None, axis: int = -1,
                     momentum: float = 0.1, eps: float = 1e-5) -> tuple[Array, BatchNormState]:
    """Batch normalisation in training form: normalise with the batch's own (biased) statistics
    over every axis but ``axis``, and return updated running statistics
    ``(1 - momentum) * running + momentum * batch`` with the unbiased batch variance (torch's
    convention and momentum 0.1; flax's ``momentum=0.9`` is torch's 0.1).

    Args:
        x: float array (N, ..., C). running_mean, running_var: arrays (C,).
        scale, bias: optional (C,) arrays. axis: channel axis. momentum: weight of the batch
        statistics in the update. eps: added to the variance.

    Returns:
        ``(y, BatchNormState(mean, var))``: ``y`` like ``x``; the new running statistics in
        their own dtype, held constant for autodiff (``xops.stop_gradient``).
    """
    x = float_input("batch_norm_train", x)
    xc, back = upcast(x)
    ax = axis % xc.ndim
    red = tuple(i for i in range(xc.ndim) if i != ax)
    mean, var = _moments(xc, red)
    y = xnp.divide(xnp.subtract(xc, mean), xnp.sqrt(xnp.add(var, eps)))
    shp = _channel_shape(xc.ndim, axis)

    def b(v: Array | None) -> Array | None:
        return None if v is None else xnp.reshape(upcast(v)[0], shp)

    y = downcast(_affine(y, b(scale), b(bias)), back)
    n = 1
    for i in red:
        n *= int(xc.shape[i])
    unbiased = xnp.multiply(var, n / max(n - 1, 1))
    bm = stop_gradient(xnp.reshape(mean, (-1,)))
    bv = stop_gradient(xnp.reshape(unbiased, (-1,)))

    def upd(r: Array, v: Array) -> Array:
        rc, rback = upcast(r)
        return downcast(xnp.add(xnp.multiply(rc, 1.0 - momentum), xnp.multiply(v, momentum)),
                        rback)

    return y, BatchNormState(upd(running_mean, bm), upd(running_var, bv))


def group_norm(x: Array, num_groups: int, scale: Array | None = None,
               bias: Array | None = None, eps: float = 1e-5) -> Array:
    """Group normalisation of channels-last ``x`` (N, ..., C): channels split into
    ``num_groups`` groups, each normalised over its channels and all spatial axes (flax's
    ``GroupNorm`` layout; torch's ``group_norm`` is channels-first; eps 1e-5 as torch).

    Args:
        x: float array with at least 2 axes. num_groups: must divide C.
        scale, bias: optional (C,) arrays. eps: added to the variance.

    Returns:
        An array of ``x``'s backend, dtype and shape.
    """
    x = float_input("group_norm", x)
    xc, back = upcast(x)
    shape = tuple(int(s) for s in xc.shape)
    if len(shape) < 2:
        raise ValueError(f"xops.nn.group_norm: x needs at least 2 axes (N, ..., C), got {shape}")
    c = shape[-1]
    if num_groups <= 0 or c % num_groups:
        raise ValueError(f"xops.nn.group_norm: num_groups={num_groups} must divide C={c}")
    g = xnp.reshape(xc, shape[:-1] + (num_groups, c // num_groups))
    red = tuple(range(1, len(shape) - 1)) + (len(shape),)
    mean, var = _moments(g, red)
    y = xnp.divide(xnp.subtract(g, mean), xnp.sqrt(xnp.add(var, eps)))
    y = xnp.reshape(y, shape)
    return downcast(_affine(y, scale, bias), back)

"""softmax, log_softmax, logsumexp and one_hot, composed from ``xops.numpy`` ops. ``softmax``
and ``log_softmax`` are registered ops (``xops/numpy_api/nn.py``) that run a backend's fused
kernel where it has one; their compositions here are the generic implementation.

All three reductions subtract the maximum along ``axis`` (held constant for autodiff with
``xops.stop_gradient``: its contribution cancels exactly, so the gradient is unchanged and
cheaper). A maximum of ``-inf`` (a row of all ``-inf``) is replaced by 0, and in ``logsumexp``
also a maximum of ``+inf``, which gives scipy's answers: ``logsumexp`` of all ``-inf`` is ``-inf``,
with a ``+inf`` entry ``+inf``; ``softmax``/``log_softmax`` of a row holding ``+inf`` are NaN
(as ``scipy.special.softmax``; jax and torch agree up to which entries are NaN).
"""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from .._dispatch import backend_of
from ..numpy_api.nn import log_softmax, softmax
from ..xla import stop_gradient
from ._common import downcast, float_input, upcast

__all__ = ["log_softmax", "log_softmax_composite", "logsumexp", "one_hot", "softmax",
           "softmax_composite"]

Array = Any


def _shift(x: Array, axis: Any, posinf: bool = False) -> tuple[Array, Array]:
    m = stop_gradient(xnp.max(x, axis=axis, keepdims=True))
    bad = xnp.isinf(m) if posinf else xnp.equal(m, float("-inf"))
    m = xnp.where(bad, 0, m)
    return xnp.subtract(x, m), m


def _shifted(name: str, x: Array, axis: Any) -> tuple[Array, Any]:
    """``x`` as a float (16-bit floats in float32) less its maximum along ``axis``, and the
    dtype to cast the result back to (None when there is none)."""
    xc, back = upcast(float_input(name, x))
    return _shift(xc, axis)[0], back


def softmax_composite(x: Array, axis: Any = -1) -> Array:
    """The generic ``xops.nn.functional.softmax`` (declared in ``xops/numpy_api/nn.py``, where
    the backend's fused kernel runs when it can): ``exp(x - max) / sum(exp(x - max))``."""
    s, back = _shifted("softmax", x, axis)
    e = xnp.exp(s)
    return downcast(xnp.divide(e, xnp.sum(e, axis=axis, keepdims=True)), back)


def log_softmax_composite(x: Array, axis: Any = -1) -> Array:
    """The generic ``xops.nn.functional.log_softmax``: ``(x - max) - log(sum(exp(x - max)))``."""
    s, back = _shifted("log_softmax", x, axis)
    lse = xnp.log(xnp.sum(xnp.exp(s), axis=axis, keepdims=True))
    return downcast(xnp.subtract(s, lse), back)


def logsumexp(x: Array, axis: Any = None, keepdims: bool = False) -> Array:
    """``log(sum(exp(x)))`` along ``axis`` without overflow (scipy semantics: all ``-inf`` gives
    ``-inf``, any ``+inf`` gives ``+inf``, NaN propagates).

    Args:
        x: float array. axis: int, tuple of ints or None (all axes). keepdims: keep reduced axes
            as size 1.

    Returns:
        An array of ``x``'s backend and dtype (float16/bfloat16 computed in float32).
    """
    x = float_input("logsumexp", x)
    xc, back = upcast(x)
    s, m = _shift(xc, axis, posinf=True)
    out = xnp.add(xnp.log(xnp.sum(xnp.exp(s), axis=axis, keepdims=True)), m)
    if not keepdims:
        out = xnp.squeeze(out, axis=axis) if axis is not None else xnp.reshape(out, ())
    return downcast(out, back)


def one_hot(indices: Array, num_classes: int, dtype: Any = None, axis: int = -1) -> Array:
    """One-hot encoding: ``out[..., c] = (indices[...] == c)`` for ``c < num_classes``.
    Out-of-range indices (negative included) give all zeros, as ``jax.nn.one_hot`` (torch raises).

    Args:
        indices: integer array. num_classes: number of classes.
        dtype: result dtype (default the backend's default float, as jax).
        axis: where the new class axis goes (default last).

    Returns:
        An array of ``indices``' backend with one more axis of size ``num_classes``.
    """
    be = backend_of(indices)
    if be is None:
        raise TypeError(f"xops.nn.one_hot: {type(indices).__name__} is not an array of a "
                        f"supported backend")
    if be.dtype_of(indices).kind not in "iu":
        raise TypeError(f"xops.nn.one_hot: indices must be integers, got "
                        f"{be.dtype_of(indices).name}")
    classes = xnp.arange(num_classes, dtype=be.dtype_of(indices), like=indices)
    hot = xnp.equal(xnp.expand_dims(indices, axis=-1), classes)
    if axis != -1:
        hot = xnp.moveaxis(hot, -1, axis)
    return xnp.astype(hot, be.default_float if dtype is None else dtype)

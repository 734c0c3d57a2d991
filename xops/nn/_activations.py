"""Activation functions, composed from ``xops.numpy`` ops only. ``gelu`` is a registered op
(``xops/numpy_api/nn.py``) that runs a backend's fused kernel where it has one; its composition
here is the generic implementation.

Stability: sigmoid, softplus and log_sigmoid evaluate ``exp`` only at ``-|x|`` (never overflows),
and every ``where`` feeds each branch inputs from that branch's own domain, so the branch not
taken is finite and autodiff never multiplies a zero cotangent by inf/NaN.
"""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from ..numpy_api.nn import gelu
from ._common import doc_args, downcast, float_input, upcast

__all__ = ["elu", "gelu", "gelu_composite", "hard_sigmoid", "leaky_relu", "log_sigmoid", "relu",
           "relu6", "selu", "sigmoid", "silu", "softplus", "softsign", "swish", "tanh"]

Array = Any

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_HALF = 0.70710678118654752440
_SQRT_2_OVER_PI = 0.79788456080286535588

# the Args/Returns of the activations of one argument
_ANY_X = """
    Args:
        x: array of any backend.

    Returns:
        An array of ``x``'s backend and dtype.
"""
_FLOAT_X = """
    Args:
        x: float array.

    Returns:
        An array of ``x``'s backend and dtype.
"""


@doc_args(_ANY_X)
def relu(x: Array) -> Array:
    """Rectified linear unit ``max(x, 0)``; NaN propagates, gradient 0 at 0 (as jax and torch)."""
    return xnp.where(xnp.less_equal(x, 0), 0, x)


@doc_args(_ANY_X)
def relu6(x: Array) -> Array:
    """``min(max(x, 0), 6)``; NaN propagates, gradient 0 at 0 and at 6."""
    return xnp.where(xnp.less_equal(x, 0), 0, xnp.where(xnp.greater_equal(x, 6), 6, x))


def leaky_relu(x: Array, negative_slope: float = 0.01) -> Array:
    """``x`` where ``x >= 0``, else ``negative_slope * x`` (default 0.01, as jax and torch).

    Args:
        x: float array. negative_slope: slope for negative inputs.

    Returns:
        An array of ``x``'s backend and dtype.
    """
    return xnp.where(xnp.greater_equal(x, 0), x, xnp.multiply(x, negative_slope))


def _neg_part(x: Array) -> Array:
    # min(x, 0) by `where`, so expm1/exp never see large positive inputs of the branch not taken
    return xnp.where(xnp.greater(x, 0), 0, x)


def elu(x: Array, alpha: float = 1.0) -> Array:
    """Exponential linear unit: ``x`` where ``x > 0``, else ``alpha * expm1(x)``.

    Args:
        x: float array. alpha: saturation value for large negative inputs is ``-alpha``.

    Returns:
        An array of ``x``'s backend and dtype.
    """
    x = float_input("elu", x)
    xc, back = upcast(x)
    neg = xnp.multiply(xnp.expm1(_neg_part(xc)), alpha)
    return downcast(xnp.where(xnp.greater(xc, 0), xc, neg), back)


@doc_args(_FLOAT_X)
def selu(x: Array) -> Array:
    """Scaled ELU ``scale * elu(x, alpha)`` with the self-normalising constants of
    Klambauer et al. (alpha = 1.6732632..., scale = 1.0507009...)."""
    x = float_input("selu", x)
    xc, back = upcast(x)
    return downcast(xnp.multiply(elu(xc, _SELU_ALPHA), _SELU_SCALE), back)


def gelu_composite(x: Array, approximate: bool = False) -> Array:
    """The generic ``xops.nn.functional.gelu`` (declared, with its argument checks, in
    ``xops/numpy_api/nn.py``, where the backend's fused kernel runs when it has one):
    ``x * Phi(x)`` with ``Phi`` from ``xops.numpy.erf``, or the tanh approximation."""
    x = float_input("gelu", x)
    xc, back = upcast(x)
    if approximate:
        inner = xnp.multiply(xnp.add(xc, xnp.multiply(xnp.power(xc, 3), 0.044715)),
                             _SQRT_2_OVER_PI)
        cdf = xnp.multiply(xnp.add(xnp.tanh(inner), 1.0), 0.5)
    else:
        cdf = xnp.multiply(xnp.add(xnp.erf(xnp.multiply(xc, _SQRT_HALF)), 1.0), 0.5)
    return downcast(xnp.multiply(xc, cdf), back)


def _nabs(x: Array) -> Array:
    # -|x| whose derivative at 0 is -1 (the x >= 0 branch), so that the compositions below get
    # the exact derivative at 0 (sigmoid'(0) = 1/4, softplus'(0) = 1/2) on every backend.
    return xnp.where(xnp.greater_equal(x, 0), xnp.negative(x), x)


@doc_args(_FLOAT_X)
def sigmoid(x: Array) -> Array:
    """Logistic function ``1 / (1 + exp(-x))``, stable for large ``|x|`` (relative accuracy kept
    in both tails: ``sigmoid(-100)`` is 3.7e-44, not 0)."""
    x = float_input("sigmoid", x)
    xc, back = upcast(x)
    z = xnp.exp(_nabs(xc))
    r = xnp.reciprocal(xnp.add(z, 1.0))
    return downcast(xnp.where(xnp.greater_equal(xc, 0), r, xnp.multiply(z, r)), back)


@doc_args(_FLOAT_X)
def softplus(x: Array) -> Array:
    """``log(1 + exp(x))`` = ``logaddexp(x, 0)``, computed as ``max(x, 0) + log1p(exp(-|x|))``:
    no overflow (``softplus(100) = 100``) and the exact derivative ``sigmoid(x)`` everywhere."""
    x = float_input("softplus", x)
    xc, back = upcast(x)
    pos = xnp.where(xnp.greater_equal(xc, 0), xc, 0)
    return downcast(xnp.add(pos, xnp.log1p(xnp.exp(_nabs(xc)))), back)


@doc_args(_FLOAT_X)
def log_sigmoid(x: Array) -> Array:
    """``log(sigmoid(x)) = -softplus(-x)``, stable (``log_sigmoid(-100) = -100``)."""
    return xnp.negative(softplus(xnp.negative(float_input("log_sigmoid", x))))


@doc_args(_FLOAT_X)
def silu(x: Array) -> Array:
    """Sigmoid linear unit (swish) ``x * sigmoid(x)``."""
    x = float_input("silu", x)
    return xnp.multiply(x, sigmoid(x))


swish = silu


@doc_args(_FLOAT_X)
def softsign(x: Array) -> Array:
    """``x / (1 + |x|)`` (NaN at ``+-inf``, as jax and torch)."""
    x = float_input("softsign", x)
    return xnp.divide(x, xnp.add(xnp.abs(x), 1.0))


@doc_args(_FLOAT_X)
def hard_sigmoid(x: Array) -> Array:
    """Piecewise-linear sigmoid ``relu6(x + 3) / 6`` (the jax and torch definition)."""
    x = float_input("hard_sigmoid", x)
    return xnp.divide(relu6(xnp.add(x, 3.0)), 6.0)


@doc_args(_FLOAT_X)
def tanh(x: Array) -> Array:
    """Hyperbolic tangent (``xops.numpy.tanh``)."""
    return xnp.tanh(float_input("tanh", x))


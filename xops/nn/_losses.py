"""Losses, composed from ``xops.numpy`` ops. Each computes a per-example (or per-element) loss
and then applies ``reduction``: 'mean' (default), 'sum' or 'none'.
``sparse_softmax_cross_entropy`` is a registered op (``xops/numpy_api/nn.py``) that runs a
backend's fused kernel where it has one; its composition here is the generic implementation."""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from ..numpy_api.nn import sparse_softmax_cross_entropy
from ._activations import softplus
from ._common import downcast, float_input, reduce_loss, upcast
from ._softmax import log_softmax, logsumexp

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "huber", "kl_div", "mse",
           "softmax_cross_entropy", "sparse_softmax_cross_entropy",
           "sparse_softmax_cross_entropy_composite"]

Array = Any


def softmax_cross_entropy(logits: Array, labels: Array, axis: int = -1,
                          reduction: str = "mean") -> Array:
    """Cross-entropy ``-sum(labels * log_softmax(logits))`` along ``axis`` (optax's
    ``softmax_cross_entropy``; torch's ``cross_entropy`` with probability targets).
    Classes with label 0 contribute 0 even where the logit is ``-inf``.

    Args:
        logits: float array (..., classes). labels: one-hot or probabilities, same shape.
        axis: class axis. reduction: 'mean' (over examples), 'sum' or 'none'.

    Returns:
        A scalar, or the per-example losses (``logits`` without ``axis``) for 'none'.
    """
    logits = float_input("softmax_cross_entropy", logits)
    lc, back = upcast(logits)
    lab, _ = upcast(float_input("softmax_cross_entropy", labels))
    lsm = log_softmax(lc, axis=axis)
    prod = xnp.where(xnp.equal(lab, 0), 0, xnp.multiply(lab, lsm))
    loss = xnp.negative(xnp.sum(prod, axis=axis))
    return downcast(reduce_loss("softmax_cross_entropy", loss, reduction), back)


def sparse_softmax_cross_entropy_composite(logits: Array, labels: Array, axis: int = -1,
                                           reduction: str = "mean") -> Array:
    """The generic ``xops.nn.functional.sparse_softmax_cross_entropy`` (declared in
    ``xops/numpy_api/nn.py``, where the backend's fused kernel runs when it can):
    ``logsumexp(logits) - take_along_axis(logits, labels)``."""
    logits = float_input("sparse_softmax_cross_entropy", logits)
    lc, back = upcast(logits)
    idx = xnp.expand_dims(labels, axis=axis)
    picked = xnp.squeeze(xnp.take_along_axis(lc, idx, axis=axis), axis=axis)
    loss = xnp.subtract(logsumexp(lc, axis=axis), picked)
    return downcast(reduce_loss("sparse_softmax_cross_entropy", loss, reduction), back)


def _clamped_log(p: Array) -> Array:
    # max(log p, -100) with log evaluated only at p > 0: the gradient at p == 0 is 0, not NaN
    pos = xnp.greater(p, 0)
    return xnp.where(pos, xnp.maximum(xnp.log(xnp.where(pos, p, 1.0)), -100.0), -100.0)


def _clamped_log1m(p: Array) -> Array:
    # max(log(1 - p), -100) by log1p (exact for small p), evaluated only at p < 1
    lt = xnp.less(p, 1)
    inner = xnp.log1p(xnp.negative(xnp.where(lt, p, 0.0)))
    return xnp.where(lt, xnp.maximum(inner, -100.0), -100.0)


def _floats(name: str, x: Array, targets: Array) -> tuple[Array, Array, Any]:
    """``x`` and ``targets`` as floats, 16-bit floats in float32, and the dtype to cast the loss
    back to (None when there is none)."""
    xc, back = upcast(float_input(name, x))
    t, _ = upcast(float_input(name, targets))
    return xc, t, back


def binary_cross_entropy(probs: Array, targets: Array, reduction: str = "mean") -> Array:
    """``-(t log p + (1 - t) log(1 - p))`` with each log clamped at -100 (torch's
    ``binary_cross_entropy``), so ``p`` of exactly 0 or 1 gives a finite loss.

    Args:
        probs: float array of probabilities in ``[0, 1]``. targets: same shape, in ``[0, 1]``.
        reduction: 'mean' (over elements), 'sum' or 'none'.

    Returns:
        A scalar, or the element-wise losses for 'none'.
    """
    p, t, back = _floats("binary_cross_entropy", probs, targets)
    log_p = _clamped_log(p)
    log_q = _clamped_log1m(p)
    loss = xnp.negative(xnp.add(xnp.multiply(t, log_p),
                                xnp.multiply(xnp.subtract(1.0, t), log_q)))
    return downcast(reduce_loss("binary_cross_entropy", loss, reduction), back)


def binary_cross_entropy_with_logits(logits: Array, targets: Array,
                                     reduction: str = "mean") -> Array:
    """``binary_cross_entropy(sigmoid(x), t)`` computed stably as ``softplus(x) - x t``
    (exact for any finite logit; torch's ``binary_cross_entropy_with_logits``, optax's
    ``sigmoid_binary_cross_entropy``).

    Args:
        logits: float array. targets: same shape, in ``[0, 1]``.
        reduction: 'mean' (over elements), 'sum' or 'none'.

    Returns:
        A scalar, or the element-wise losses for 'none'.
    """
    x, t, back = _floats("binary_cross_entropy_with_logits", logits, targets)
    loss = xnp.subtract(softplus(x), xnp.multiply(x, t))
    return downcast(reduce_loss("binary_cross_entropy_with_logits", loss, reduction), back)


def mse(predictions: Array, targets: Array, reduction: str = "mean") -> Array:
    """Squared error ``(predictions - targets)**2``.

    Args:
        predictions, targets: float arrays (broadcast together).
        reduction: 'mean' (over elements, torch's ``mse_loss``), 'sum' or 'none'.

    Returns:
        A scalar, or the element-wise losses for 'none'.
    """
    p, back = upcast(float_input("mse", predictions))
    d = xnp.subtract(p, upcast(targets)[0])
    return downcast(reduce_loss("mse", xnp.square(d), reduction), back)


def huber(predictions: Array, targets: Array, delta: float = 1.0,
          reduction: str = "mean") -> Array:
    """Huber loss: ``0.5 d**2`` where ``|d| <= delta``, else ``delta (|d| - delta / 2)``, with
    ``d = predictions - targets`` (torch's ``huber_loss``, optax's ``huber_loss``).

    Args:
        predictions, targets: float arrays (broadcast together). delta: where the loss turns
            linear (> 0). reduction: 'mean' (over elements), 'sum' or 'none'.

    Returns:
        A scalar, or the element-wise losses for 'none'.
    """
    if not delta > 0:
        raise ValueError(f"xops.nn.huber: delta must be > 0, got {delta}")
    p, back = upcast(float_input("huber", predictions))
    a = xnp.abs(xnp.subtract(p, upcast(targets)[0]))
    # the quadratic branch sees min(|d|, delta) so both branches stay finite for large |d|
    q = xnp.minimum(a, delta)
    loss = xnp.where(xnp.less_equal(a, delta), xnp.multiply(xnp.square(q), 0.5),
                     xnp.multiply(xnp.subtract(a, 0.5 * delta), delta))
    return downcast(reduce_loss("huber", loss, reduction), back)


def kl_div(log_predictions: Array, targets: Array, axis: int = -1, log_target: bool = False,
           reduction: str = "mean") -> Array:
    """Kullback-Leibler divergence ``KL(targets || predictions) = sum t (log t - log q)`` along
    ``axis``, from log-probabilities ``log q`` (torch's ``kl_div`` argument order; optax's
    ``kl_divergence``). Terms with ``t = 0`` are 0.

    'mean' averages the per-distribution KL over the remaining axes: torch's ``'batchmean'``
    for 2-d inputs, not torch's element-wise ``'mean'``.

    Args:
        log_predictions: float array of log-probabilities. targets: probabilities (or
            log-probabilities with ``log_target=True``), same shape.
        axis: the distribution axis. log_target: whether ``targets`` are log-probabilities.
        reduction: 'mean', 'sum' or 'none'.

    Returns:
        A scalar, or the per-distribution divergences for 'none'.
    """
    lq, t, back = _floats("kl_div", log_predictions, targets)
    if log_target:
        terms = xnp.multiply(xnp.exp(t), xnp.subtract(t, lq))
    else:
        pos = xnp.greater(t, 0)
        t_safe = xnp.where(pos, t, 1.0)
        terms = xnp.where(pos, xnp.multiply(t, xnp.subtract(xnp.log(t_safe), lq)), 0.0)
    loss = xnp.sum(terms, axis=axis)
    return downcast(reduce_loss("kl_div", loss, reduction), back)

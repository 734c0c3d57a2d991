"""The generic CTC loss: the forward algorithm in log space written with ``xops.numpy`` ops and
``xops.xla.scan`` over time (a ``lax.scan`` under one ``jax.jit`` on jax). It is the fallback of
``xops.nn.functional.ctc_loss`` (declared in ``xops/numpy_api/nn.py``) where the backend has no
native kernel (numpy, jax), the kernel declines the dtype, or ``implementation="xops"``."""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from .._dispatch import array
from ..xla import scan

Array = Any

_NEG = -1e30  # log(0) that keeps every difference finite (no NaN gradients)


def _shift(a: Array, k: int) -> Array:
    """``a`` moved right by ``k`` along the last axis, ``_NEG`` coming in."""
    pad = xnp.full(tuple(a.shape[:-1]) + (k,), _NEG, dtype=xnp.result_type(a), like=a)
    return xnp.concatenate([pad, a[..., :-k]], axis=-1)


def _composite(lp: Array, labels: Array, input_lengths: Array, label_lengths: Array,
               blank: int) -> Array:
    b, t, _ = (int(s) for s in lp.shape)
    n_lab = int(labels.shape[1])
    s = 2 * n_lab + 1
    labels = xnp.astype(labels, xnp.int32)
    blanks = xnp.full((b, n_lab), blank, dtype=xnp.int32, like=labels)
    ext = xnp.reshape(xnp.stack([blanks, labels], axis=-1), (b, 2 * n_lab))
    ext = xnp.concatenate([ext, xnp.full((b, 1), blank, dtype=xnp.int32, like=labels)], axis=1)
    em = xnp.take_along_axis(lp, xnp.broadcast_to(ext[:, None, :], (b, t, s)), axis=2)
    pos = xnp.arange(s, like=labels)
    # a label may be reached from two back when it differs from the label before the blank
    prev2 = xnp.concatenate([ext[:, :2], ext[:, :-2]], axis=1)
    skip = xnp.logical_and(xnp.logical_and(xnp.equal(xnp.remainder(pos, 2), 1),
                                          xnp.greater_equal(pos, 2)), xnp.not_equal(ext, prev2))
    dt = xnp.result_type(lp)
    neg = xnp.full((b, s), _NEG, dtype=dt, like=lp)
    alpha = xnp.where(xnp.less(pos, 2), em[:, 0, :], neg)
    steps = xnp.less(xnp.arange(t, like=labels)[:, None], xnp.astype(input_lengths, xnp.int32)
                     [None, :])  # (T, B)

    def step(alpha: Array, xs: tuple[Array, Array]) -> tuple[Array, None]:
        e, live = xs
        a1 = _shift(alpha, 1)
        a2 = xnp.where(skip, _shift(alpha, 2), neg)
        m = xnp.maximum(xnp.maximum(alpha, a1), a2)
        tot = xnp.add(m, xnp.log(xnp.add(xnp.add(xnp.exp(xnp.subtract(alpha, m)),
                                                 xnp.exp(xnp.subtract(a1, m))),
                                         xnp.exp(xnp.subtract(a2, m)))))
        return xnp.where(live[:, None], xnp.add(tot, e), alpha), None

    if t > 1:
        alpha, _ = scan(step, alpha, (xnp.moveaxis(em[:, 1:, :], 1, 0), steps[1:, :]))
    end = xnp.multiply(xnp.astype(label_lengths, xnp.int32)[:, None], 2)
    last = xnp.take_along_axis(alpha, end, axis=1)[:, 0]
    before = xnp.take_along_axis(alpha, xnp.maximum(xnp.subtract(end, 1), 0), axis=1)[:, 0]
    before = xnp.where(xnp.greater(end[:, 0], 0), before, _NEG)
    return xnp.negative(xnp.logaddexp(last, before))


_JITTED: dict[int, Any] = {}


def _jax_composite(blank: int) -> Any:
    fn = _JITTED.get(blank)
    if fn is None:
        import jax

        def run(lp: Array, labels: Array, il: Array, ll: Array) -> Array:
            return _composite(lp, labels, il, ll, blank)

        fn = _JITTED[blank] = jax.jit(run)
    return fn


def ctc_composite(log_probs: Array, labels: Array, input_lengths: Array, label_lengths: Array,
                  blank: int) -> Array:
    """Per-sequence negative log-likelihood from normalised (B, T, K) log-probabilities (the
    native kernels' signature); infeasible sequences are set to ``+inf`` by the op."""
    # jax: one compiled program per shape, not many eager ops
    if array("nn.ctc_loss", log_probs, "log_probs").name == "jax":
        return _jax_composite(blank)(log_probs, labels, input_lengths, label_lengths)
    return _composite(log_probs, labels, input_lengths, label_lengths, blank)

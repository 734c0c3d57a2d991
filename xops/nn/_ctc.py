"""Connectionist temporal classification loss: the forward algorithm in log space written with
``xops.numpy`` ops and ``xops.xla.scan`` over time (numpy and jax; ``lax.scan`` under jit), or
the native kernel (``torch.nn.functional.ctc_loss``, ``tf.nn.ctc_loss``)."""
from __future__ import annotations

from typing import Any

from .. import numpy as xnp
from ..backends import backend_of
from ..xla import scan
from ._common import downcast, reduce_loss, upcast
from ._conv import float_array
from ._softmax import log_softmax

Array = Any

_NEG = -1e30  # log(0) that keeps every difference finite (no NaN gradients)


def _int_array(name: str, what: str, a: Array, be: Any, like: Array) -> Array:
    if isinstance(a, (list, tuple, int)):
        a = xnp.asarray(a, dtype=xnp.int32, like=like)
    if backend_of(a) is not be:
        raise TypeError(f"xops.nn.{name}: {what} must be an array of the {be.name} backend "
                        "(as logits)")
    if be.dtype_of(a).kind not in "iu":
        raise TypeError(f"xops.nn.{name}: {what} must be integers, got {be.dtype_of(a).name}")
    return a


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
        alpha, _ = scan(step, alpha, (xnp.moveaxis(em[:, 1:, :], 1, 0), steps[1:]))
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


def ctc_loss(logits: Array, labels: Array, input_lengths: Array, label_lengths: Array,
             blank: int = 0, reduction: str = "mean",
             implementation: str | None = None) -> Array:
    """CTC loss: ``-log p(labels | logits)``, summed over all alignments (blanks and
    repeats collapsed), per sequence.

    ``logits`` may be unnormalised or already log-probabilities: a ``log_softmax`` over the
    classes is applied first (it leaves log-probabilities unchanged). Layout is batch-major
    (B, T, K) as optax and ``tf.nn.ctc_loss(logits_time_major=False)``; torch's ``ctc_loss`` is
    time-major. A sequence that no alignment can produce (``input_length <`` label length plus
    its adjacent repeats) has loss ``+inf`` (torch's ``zero_infinity=False``).

    Args:
        logits: (B, T, K) float.
        labels: (B, L) integer class indices, padded past each ``label_length`` with any valid
            class index; must not contain ``blank`` within the length.
        input_lengths: (B,) integers in ``[1, T]``. label_lengths: (B,) integers in ``[0, L]``.
        blank: the blank class index.
        reduction: ``'mean'`` (of the per-sequence losses; torch also divides each by its label
            length first), ``'sum'`` or ``'none'``.
        implementation: ``"native"`` (torch and tf kernels), ``"xops"`` (the composite: the
            forward algorithm with ``xops.xla.scan`` over time, a ``lax.scan`` on jax), or None
            (native where there is one: torch, tensorflow).

    Returns:
        The loss of ``logits``' backend and float dtype: (B,) for ``'none'``, else a scalar.
        Differentiable w.r.t. ``logits`` with the framework's autodiff.
    """
    name = "ctc_loss"
    logits, be = float_array(name, logits)
    if len(logits.shape) != 3:
        raise ValueError(f"xops.nn.ctc_loss: logits must be (B, T, K), got shape "
                         f"{tuple(logits.shape)}")
    if implementation not in (None, "xops", "native"):
        raise ValueError("xops.nn.ctc_loss: implementation must be None, 'xops' or 'native', "
                         f"got {implementation!r}")
    labels = _int_array(name, "labels", labels, be, logits)
    input_lengths = _int_array(name, "input_lengths", input_lengths, be, logits)
    label_lengths = _int_array(name, "label_lengths", label_lengths, be, logits)
    if len(labels.shape) != 2 or int(labels.shape[0]) != int(logits.shape[0]):
        raise ValueError(f"xops.nn.ctc_loss: labels must be (B, L) with B = "
                         f"{int(logits.shape[0])}, got shape {tuple(labels.shape)}")
    k = int(logits.shape[2])
    if not 0 <= blank < k:
        raise ValueError(f"xops.nn.ctc_loss: blank must be in [0, {k}), got {blank}")
    xc, back = upcast(logits)
    lp = log_softmax(xc, axis=-1)
    fn = None if implementation == "xops" else be.kernel("nn.ctc_loss")
    if fn is None and implementation == "native":
        raise ValueError(f"xops.nn.ctc_loss: implementation='native' is unavailable: the "
                         f"{be.name} backend has no native CTC kernel")
    loss = None
    if fn is not None:
        try:
            loss = fn(lp, labels, input_lengths, label_lengths, blank)
        except Exception as e:
            e.add_note(f"(raised in xops.nn.ctc_loss on the {be.name} backend)")
            raise
        if loss is None and implementation == "native":
            raise ValueError(f"xops.nn.ctc_loss: implementation='native' is unavailable: the "
                             f"{be.name} kernel does not take {be.dtype_of(lp).name}")
    if loss is not None:
        pass
    elif be.name == "jax":  # one compiled program per shape instead of many eager ops
        loss = _jax_composite(blank)(lp, labels, input_lengths, label_lengths)
    else:
        loss = _composite(lp, labels, input_lengths, label_lengths, blank)
    # infeasible: fewer frames than labels plus the blanks forced between repeats
    n_lab = int(labels.shape[1])
    lab_len = xnp.astype(label_lengths, xnp.int32)
    if n_lab > 1:
        idx = xnp.arange(1, n_lab, like=labels)
        rep = xnp.logical_and(xnp.equal(labels[:, 1:], labels[:, :-1]),
                              xnp.less(idx[None, :], lab_len[:, None]))
        need = xnp.add(lab_len, xnp.sum(xnp.astype(rep, xnp.int32), axis=1))
    else:
        need = lab_len
    loss = xnp.where(xnp.greater(need, xnp.astype(input_lengths, xnp.int32)), float("inf"), loss)
    return downcast(reduce_loss(name, loss, reduction), back)

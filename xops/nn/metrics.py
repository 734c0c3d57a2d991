"""Stateless metrics in the optax style, written once with ``xops`` ops.

A metric is a :class:`Metric` ``(init, update, compute, name)``::

    m = metrics.accuracy()
    state = m.init(like=x)                    # a dict of arrays of x's backend and device
    state = m.update(state, logits, labels)   # once per batch; pure, jit-able
    value = m.compute(state)                  # a 0-d array

The state is a dict of native arrays (a pytree), so ``update`` and ``compute`` run under
``xops.jit`` (``jax.jit``, ``torch.compile``, ``tf.function(jit_compile=True)``) and the state
is carried through a compiled step like an optimizer's. Nothing branches in Python on array
values: every update is a fixed sequence of ops whose shapes depend only on the input shapes.
Counts are int32 (exact up to 2**31 - 1 samples), sums float32; ``compute`` returns float32.
Accumulating batch by batch gives the same state as one update with the concatenated batch
(integer counts are exact; float sums to float32 rounding).

Class labels outside ``[0, num_classes)`` (e.g. an ignore label of -1 or 255) count nowhere in
the per-class metrics (precision, recall, F1, mean IoU): ``one_hot`` gives them a row of zeros.
See docs/training.md for the table of metrics and their scikit-learn / keras equivalents.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .. import numpy as xnp
from . import functional as F
from ._common import doc_args

__all__ = ["Metric", "mean", "accuracy", "sparse_categorical_accuracy", "top_k_accuracy",
           "binary_accuracy", "precision", "recall", "f1_score", "auc", "mse", "mae",
           "mean_iou", "init_all", "update_all", "compute_all"]

State = dict


class Metric(NamedTuple):
    """``init(like) -> state``, ``update(state, preds, targets) -> state``,
    ``compute(state) -> value``; ``name`` is the key it gets in a training history."""

    init: Callable[..., State]
    update: Callable[..., State]
    compute: Callable[[State], Any]
    name: str


# --- helpers -----------------------------------------------------------------------------------
def _zeros(like: Any, shape: tuple = (), dtype: Any = None) -> Any:
    return xnp.zeros(shape, dtype=xnp.float32 if dtype is None else dtype, like=_first(like))


def _first(like: Any) -> Any:
    """The first array of a pytree (``like`` may be an array, a params tree or a batch)."""
    if isinstance(like, dict):
        for v in like.values():
            return _first(v)
    if isinstance(like, (list, tuple)):
        for v in like:
            return _first(v)
    if like is None:
        raise ValueError("xops.nn.metrics: init needs like= (an array of the backend and "
                         "device the state should live on)")
    return like


def _count(mask: Any, axis: Any = None) -> Any:
    return xnp.sum(xnp.astype(mask, xnp.int32), axis=axis, dtype=xnp.int32)


def _f32(x: Any) -> Any:
    return xnp.astype(x, xnp.float32)


def _ratio(num: Any, den: Any) -> Any:
    """``num / den`` in float32, 0 where ``den`` is 0 (scikit-learn's ``zero_division=0``)."""
    return xnp.divide_no_nan(_f32(num), _f32(den))


def _labels(preds: Any, targets: Any) -> Any:
    """Predicted class labels: ``argmax`` over the last axis of scores that have one more axis
    than ``targets``, else ``preds`` themselves (already labels)."""
    if xnp.ndim(preds) == xnp.ndim(targets) + 1:
        return xnp.argmax(preds, axis=-1)
    return preds


def _int_targets(preds: Any, targets: Any) -> Any:
    """Integer class labels from integer labels, or from one-hot targets shaped like preds."""
    if xnp.ndim(targets) == xnp.ndim(preds) and xnp.ndim(preds) >= 2 \
            and xnp.shape(targets)[-1] == xnp.shape(preds)[-1] and xnp.shape(preds)[-1] > 1 \
            and xnp.isdtype(xnp.result_type(targets), "real floating"):
        return xnp.argmax(targets, axis=-1)
    return targets


def _mean_metric(name: str, per_element: Callable[[Any, Any], Any]) -> Metric:
    """A metric that averages ``per_element(preds, targets)`` over every element."""

    def init(like: Any = None) -> State:
        return {"total": _zeros(like), "count": _zeros(like, dtype=xnp.int32)}

    def update(state: State, preds: Any, targets: Any = None) -> State:
        v = _f32(per_element(preds, targets))
        return {"total": state["total"] + xnp.sum(v, dtype=xnp.float32),
                "count": state["count"] + xnp.asarray(xnp.size(v), dtype=xnp.int32,
                                                      like=state["count"])}

    def compute(state: State) -> Any:
        return _ratio(state["total"], state["count"])

    return Metric(init, update, compute, name)


# --- averages and regression -------------------------------------------------------------------
def mean(name: str = "mean") -> Metric:
    """The running mean of every element passed to ``update(state, values)`` (a loss, say);
    ``targets`` is ignored."""
    return _mean_metric(name, lambda v, t: v)


def mse(name: str = "mse") -> Metric:
    """Mean squared error over every element (scikit-learn ``mean_squared_error``; for several
    outputs its ``uniform_average``, which is the same number)."""
    return _mean_metric(name, lambda p, t: xnp.square(_f32(p) - _f32(t)))


def mae(name: str = "mae") -> Metric:
    """Mean absolute error over every element (scikit-learn ``mean_absolute_error``)."""
    return _mean_metric(name, lambda p, t: xnp.abs(_f32(p) - _f32(t)))


# --- accuracies --------------------------------------------------------------------------------
def _hits_metric(name: str, hits: Callable[[Any, Any], Any]) -> Metric:
    """The fraction of samples where ``hits(preds, targets)`` (a bool per sample) is True."""

    def init(like: Any = None) -> State:
        return {"correct": _zeros(like, dtype=xnp.int32), "count": _zeros(like, dtype=xnp.int32)}

    def update(state: State, preds: Any, targets: Any) -> State:
        h = hits(preds, targets)
        return {"correct": state["correct"] + _count(h),
                "count": state["count"] + xnp.asarray(xnp.size(h), dtype=xnp.int32,
                                                      like=state["count"])}

    def compute(state: State) -> Any:
        return _ratio(state["correct"], state["count"])

    return Metric(init, update, compute, name)


def accuracy(k: int = 1, name: str | None = None) -> Metric:
    """Top-``k`` classification accuracy.

    ``preds`` are scores (logits or probabilities) of shape (..., C); ``targets`` integer labels
    of shape (...) or one-hot / probability targets of shape (..., C) (their argmax). With
    ``k == 1`` a sample is correct when ``argmax(preds) == target`` (the first maximum, as
    NumPy); with ``k > 1`` when fewer than ``k`` classes score strictly higher than the target
    class (ties at the boundary count as hits, as ``tf.math.in_top_k``). If ``preds`` has the
    same shape as integer ``targets`` they are compared as labels (``k`` must be 1).

    Args:
        k: how many of the highest-scoring classes count as a hit.
        name: the history key (default ``"accuracy"``, ``"top{k}_accuracy"`` for ``k > 1``).

    Returns:
        A :class:`Metric`.
    """
    if k < 1:
        raise ValueError(f"xops.nn.metrics.accuracy: k must be >= 1, got {k}")

    def hits(preds: Any, targets: Any) -> Any:
        t = _int_targets(preds, targets)
        if xnp.ndim(preds) == xnp.ndim(t):
            if k != 1:
                raise ValueError("xops.nn.metrics.accuracy: top-k needs scores of shape "
                                 "(..., C), got labels")
            return xnp.equal(preds, xnp.astype(t, xnp.result_type(preds)))
        if k == 1:
            return xnp.equal(xnp.argmax(preds, axis=-1), xnp.astype(t, xnp.int32))
        ti = xnp.astype(t, xnp.int32)
        # labels outside [0, C) are never hits (the clipped gather is masked out)
        inside = (ti >= 0) & (ti < xnp.shape(preds)[-1])
        idx = xnp.clip(ti, 0, xnp.shape(preds)[-1] - 1)
        score = xnp.take_along_axis(preds, xnp.expand_dims(idx, -1), axis=-1)
        higher = _count(preds > score, axis=-1)
        return (higher < k) & inside

    return _hits_metric(name or ("accuracy" if k == 1 else f"top{k}_accuracy"), hits)


def top_k_accuracy(k: int = 5, name: str | None = None) -> Metric:
    """``accuracy(k)`` (keras ``SparseTopKCategoricalAccuracy``, scikit-learn
    ``top_k_accuracy_score``).

    Args:
        k: how many of the highest-scoring classes count as a hit.
        name: the history key (default ``"top{k}_accuracy"``).

    Returns:
        A :class:`Metric`.
    """
    return accuracy(k, name or f"top{k}_accuracy")


def sparse_categorical_accuracy(name: str = "accuracy") -> Metric:
    """``argmax(preds, -1) == targets`` for integer ``targets`` (keras
    ``SparseCategoricalAccuracy``); the same as ``accuracy()``.

    Args:
        name: the history key.

    Returns:
        A :class:`Metric`.
    """
    return accuracy(1, name)


def binary_accuracy(threshold: float = 0.5, name: str = "binary_accuracy") -> Metric:
    """``(preds > threshold) == (targets > 0.5)`` element by element (keras
    ``BinaryAccuracy`` compares ``preds > threshold``; pass logits with ``threshold=0``).

    Args:
        threshold: the decision threshold on ``preds``.
        name: the history key.

    Returns:
        A :class:`Metric`.
    """
    return _hits_metric(name, lambda p, t: xnp.equal(xnp.greater(p, threshold),
                                                      xnp.greater(_f32(t), 0.5)))


# --- per-class counts: precision, recall, F1, IoU ---------------------------------------------
def _class_counts_metric(name: str, num_classes: int | None, average: str,
                         threshold: float, result: Callable[[Any, Any, Any], Any]) -> Metric:
    """State: per-class ``tp``, predicted and true counts (int32, shape (C,)); binary metrics
    keep C = 2 and report class 1."""
    if average not in ("binary", "macro", "micro"):
        raise ValueError(f"xops.nn.metrics.{name}: average must be 'binary', 'macro' or "
                         f"'micro', got {average!r}")
    if average == "binary":
        _check_average(average, num_classes)
        n = 2
    else:
        if num_classes is None or num_classes < 1:
            raise ValueError(f"xops.nn.metrics.{name}: average={average!r} needs num_classes")
        n = num_classes

    def init(like: Any = None) -> State:
        z = _zeros(like, (n,), xnp.int32)
        return {"tp": z, "pred": z, "true": z}

    def update(state: State, preds: Any, targets: Any) -> State:
        if average == "binary":
            # probabilities (or 0/1 labels) thresholded; targets 0/1 (bool, int or float)
            p = xnp.astype(xnp.greater(preds, threshold), xnp.int32) \
                if xnp.ndim(preds) == xnp.ndim(targets) else xnp.argmax(preds, axis=-1)
            t = xnp.astype(_f32(targets) > 0.5, xnp.int32)
        else:
            t = _int_targets(preds, targets)
            p = _labels(preds, t)
        p = xnp.reshape(p, (-1,))
        t = xnp.reshape(t, (-1,))
        po = F.one_hot(xnp.astype(p, xnp.int32), n, dtype=xnp.int32)
        to = F.one_hot(xnp.astype(t, xnp.int32), n, dtype=xnp.int32)
        return {"tp": state["tp"] + xnp.sum(po * to, axis=0, dtype=xnp.int32),
                "pred": state["pred"] + xnp.sum(po, axis=0, dtype=xnp.int32),
                "true": state["true"] + xnp.sum(to, axis=0, dtype=xnp.int32)}

    def compute(state: State) -> Any:
        tp, pred, true = state["tp"], state["pred"], state["true"]
        if average == "binary":
            return result(tp[1], pred[1], true[1])
        if average == "micro":
            return result(xnp.sum(tp), xnp.sum(pred), xnp.sum(true))
        return xnp.mean(result(tp, pred, true))

    return Metric(init, update, compute, name)


def _check_average(average: str, num_classes: int | None) -> None:
    if average == "binary" and num_classes not in (None, 2):
        raise ValueError("xops.nn.metrics: average='binary' is for two classes; use "
                         "average='macro' with num_classes")


_COUNTS_ARGS = """
    Args:
        num_classes: the number of classes (required for ``"macro"``/``"micro"``).
        average: ``"binary"``, ``"macro"`` or ``"micro"``.
        threshold: the decision threshold of the binary case.
        name: the history key.

    Returns:
        A :class:`Metric`.
"""


@doc_args(_COUNTS_ARGS)
def precision(num_classes: int | None = None, average: str = "binary", threshold: float = 0.5,
              name: str = "precision") -> Metric:
    """Precision ``tp / (tp + fp)`` (0 where nothing is predicted positive).

    ``average="binary"``: ``preds`` are probabilities (or 0/1 labels) of the positive class,
    positive where ``preds > threshold``, and ``targets`` 0/1; scores of shape (..., 2) with
    labels of shape (...) are argmaxed instead. ``"macro"``: the unweighted mean over all
    ``num_classes`` classes of the per-class precision (scikit-learn
    ``precision_recall_fscore_support(labels=range(C), average="macro", zero_division=0)``);
    ``preds`` are scores (..., C) (argmax) or labels, ``targets`` labels (or one-hot).
    ``"micro"``: from the counts summed over classes (for single-label data: the accuracy).
    """
    return _class_counts_metric(name, num_classes, average, threshold,
                                lambda tp, pred, true: _ratio(tp, pred))


@doc_args(_COUNTS_ARGS)
def recall(num_classes: int | None = None, average: str = "binary", threshold: float = 0.5,
           name: str = "recall") -> Metric:
    """Recall ``tp / (tp + fn)`` (0 for a class that never occurs); arguments as
    :func:`precision`.
    """
    return _class_counts_metric(name, num_classes, average, threshold,
                                lambda tp, pred, true: _ratio(tp, true))


@doc_args(_COUNTS_ARGS)
def f1_score(num_classes: int | None = None, average: str = "binary", threshold: float = 0.5,
             name: str = "f1") -> Metric:
    """F1 ``2 tp / (2 tp + fp + fn)`` per class (0 where that is 0 / 0); ``"macro"`` averages
    the per-class F1 (scikit-learn's macro F1, not the F1 of macro precision and recall);
    arguments as :func:`precision`.
    """
    return _class_counts_metric(name, num_classes, average, threshold,
                                lambda tp, pred, true: _ratio(2 * tp, pred + true))


def mean_iou(num_classes: int, name: str = "mean_iou") -> Metric:
    """Mean intersection over union ``tp / (tp + fp + fn)`` over the classes that occur in the
    targets or the predictions (keras ``MeanIoU``; scikit-learn ``jaccard_score(average=
    "macro")``). ``preds`` are labels or scores (..., C) (argmax); any shape (segmentation maps
    are flattened).

    Args:
        num_classes: the number of classes.
        name: the history key.

    Returns:
        A :class:`Metric`.
    """
    base = _class_counts_metric(name, num_classes, "macro", 0.5, lambda *a: None)

    def compute(state: State) -> Any:
        tp, pred, true = state["tp"], state["pred"], state["true"]
        union = pred + true - tp
        present = union > 0
        iou = _ratio(tp, union)
        return _ratio(xnp.sum(iou), _count(present))

    return Metric(base.init, base.update, compute, name)


# --- AUC ---------------------------------------------------------------------------------------
_EPS = 1e-7


def auc(num_thresholds: int = 200, curve: str = "ROC", from_logits: bool = False,
        name: str | None = None) -> Metric:
    """Area under the ROC or precision-recall curve, approximated as keras ``AUC`` does.

    ``preds`` are probabilities of the positive class (``from_logits=True``: logits, passed
    through a sigmoid), ``targets`` 0/1; any shape (flattened). The state counts, for each of
    ``num_thresholds`` fixed thresholds (``-1e-7``, ``i / (num_thresholds - 1)`` for ``i = 1 ..
    num_thresholds - 2``, ``1 + 1e-7``), the true and false positives (``preds > threshold``),
    so it has a fixed size however much data is seen. ``compute`` integrates with keras'
    ``summation_method="interpolation"``: ROC by the trapezoidal rule over (FPR, TPR); PR by
    Davis & Goadrich's interpolation (true and false positives vary linearly between
    thresholds, precision does not), from recall 0 to 1. Exact ROC/PR AUCs (scikit-learn
    ``roc_auc_score``, ``average_precision_score``) differ by the discretisation: about
    ``1 / num_thresholds`` for well-spread scores.

    Args:
        num_thresholds: the number of thresholds (> 1).
        curve: ``"ROC"`` or ``"PR"``.
        from_logits: apply a sigmoid to ``preds`` first.
        name: the history key (default ``"auc"`` / ``"pr_auc"``).

    Returns:
        A :class:`Metric`.
    """
    if num_thresholds < 2:
        raise ValueError(f"xops.nn.metrics.auc: num_thresholds must be > 1, got "
                         f"{num_thresholds}")
    curve = curve.upper()
    if curve not in ("ROC", "PR"):
        raise ValueError(f"xops.nn.metrics.auc: curve must be 'ROC' or 'PR', got {curve!r}")
    inner = [i / (num_thresholds - 1) for i in range(1, num_thresholds - 1)]
    thresholds = [-_EPS, *inner, 1.0 + _EPS]

    def init(like: Any = None) -> State:
        z = _zeros(like, (num_thresholds,), xnp.int32)
        return {"tp": z, "fp": z, "pos": _zeros(like, dtype=xnp.int32),
                "neg": _zeros(like, dtype=xnp.int32)}

    def update(state: State, preds: Any, targets: Any) -> State:
        p = _f32(xnp.reshape(preds, (-1,)))
        if from_logits:
            p = F.sigmoid(p)
        t = _f32(xnp.reshape(targets, (-1,))) > 0.5
        thr = xnp.asarray(thresholds, dtype=xnp.float32, like=p)
        above = xnp.expand_dims(p, 1) > xnp.expand_dims(thr, 0)      # (N, T)
        tcol = xnp.expand_dims(t, 1)
        return {"tp": state["tp"] + _count(above & tcol, axis=0),
                "fp": state["fp"] + _count(above & ~tcol, axis=0),
                "pos": state["pos"] + _count(t), "neg": state["neg"] + _count(~t)}

    def compute_roc(state: State) -> Any:
        tpr = _ratio(state["tp"], state["pos"])
        fpr = _ratio(state["fp"], state["neg"])
        # thresholds rise, so the rates fall: trapezoids between neighbours
        return xnp.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)

    def compute_pr(state: State) -> Any:
        tp = _f32(state["tp"])
        p = tp + _f32(state["fp"])                 # predicted positives per threshold
        dtp = tp[:-1] - tp[1:]
        dp = p[:-1] - p[1:]
        # between thresholds i and i+1, tp = slope * p + intercept; precision = tp / p;
        # recall = tp / pos, so d recall = slope * dp / pos and the integral of precision over
        # that piece is (slope / pos) * (dtp + intercept * log(p_i / p_{i+1}))
        slope = xnp.divide_no_nan(dtp, dp)
        intercept = tp[1:] - slope * p[1:]
        ok = (p[1:] > 0) & (p[:-1] > 0)
        ratio = xnp.where(ok, p[:-1] / xnp.where(ok, p[1:], 1.0), 1.0)
        piece = slope * (dtp + intercept * xnp.log(ratio))
        # a piece down to p = 0 has intercept 0 (tp = 0 there) and log ratio 0: precision is
        # flat at its slope down to recall 0
        return xnp.divide_no_nan(xnp.sum(piece), _f32(state["pos"]))

    return Metric(init, update, compute_roc if curve == "ROC" else compute_pr,
                  name or ("auc" if curve == "ROC" else "pr_auc"))


# --- several metrics at once -------------------------------------------------------------------
def init_all(metrics: dict[str, Metric], like: Any) -> dict[str, State]:
    """``{name: metric.init(like)}`` for a dict of metrics."""
    return {k: m.init(like) for k, m in metrics.items()}


def update_all(metrics: dict[str, Metric], states: dict[str, State], preds: Any,
               targets: Any) -> dict[str, State]:
    """Every metric's ``update`` with the same predictions and targets."""
    return {k: m.update(states[k], preds, targets) for k, m in metrics.items()}


def compute_all(metrics: dict[str, Metric], states: dict[str, State]) -> dict[str, Any]:
    """``{name: metric.compute(state)}``."""
    return {k: m.compute(states[k]) for k, m in metrics.items()}

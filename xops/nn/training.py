"""One call to train (``train``), ``evaluate`` and ``predict`` an ``xops.nn`` layer on any
backend, and the pieces they are made of, each public and usable alone.

From the top down (docs/training.md shows the same model trained each way):

1. ``train(layer, params, optimizer, loss, data, epochs=..., metrics=..., validation_data=...)``
   runs epochs, shows a progress bar and returns ``(params, opt_state, history)``.
2. ``make_train_step(layer, loss, optimizer)`` is the compiled step ``train`` calls:
   ``step(params, opt_state, x, y, key) -> (params, opt_state, loss, outputs)``; write your own
   loop around it. ``make_eval_step`` and ``batches`` likewise.
3. Below that: ``xops.value_and_grad``, ``optimizer.update``, ``optim.apply_updates``,
   ``xops.jit`` and the metrics of ``xops.nn.metrics``.

Nothing here converts between frameworks behind the caller's back: batches that are already
native arrays are used as they are; NumPy batches are converted to ``backend=`` (on
``device=``) once each, the one transfer per batch.
"""
from __future__ import annotations

import importlib
import sys
import time
from typing import Any, Callable, Iterable, Iterator, NamedTuple

import numpy as np

from .. import numpy as xnp
from .. import random as xr
from .._convert import convert
from ..xla import jit as _xjit
from ..xla import value_and_grad
from . import metrics as _metrics
from ._pytree import tree_map
from .checkpoint import _placer
from .optim import GradientTransformation, _find_scale_state, apply_updates

__all__ = ["train", "evaluate", "predict", "make_train_step", "make_eval_step", "batches",
           "Batches", "TrainResult", "ProgressBar"]

PyTree = Any


class TrainResult(NamedTuple):
    """What :func:`train` returns: ``params, opt_state, history = train(...)``."""

    params: PyTree
    opt_state: PyTree
    history: dict


# --- data ----------------------------------------------------------------------------------
class Batches:
    """Re-iterable batches of NumPy (or any sliceable) arrays, reshuffled on every pass.

    Each ``iter()`` is one epoch: a new permutation from ``seed`` and the epoch number when
    ``shuffle``, so two passes differ and a rerun repeats them. ``len()`` is the number of
    batches.
    """

    def __init__(self, arrays: tuple, batch_size: int, shuffle: bool, seed: int,
                 drop_remainder: bool) -> None:
        if not arrays:
            raise ValueError("xops.nn.batches: give at least one array")
        n = len(arrays[0])
        if any(len(a) != n for a in arrays):
            raise ValueError("xops.nn.batches: the arrays have different lengths: "
                             f"{[len(a) for a in arrays]}")
        if batch_size < 1:
            raise ValueError(f"xops.nn.batches: batch_size must be >= 1, got {batch_size}")
        self.arrays, self.batch_size, self.shuffle = arrays, batch_size, shuffle
        self.seed, self.drop_remainder, self.n = seed, drop_remainder, n
        self.epoch = 0

    def __len__(self) -> int:
        full, rest = divmod(self.n, self.batch_size)
        return full + (1 if rest and not self.drop_remainder else 0)

    def __iter__(self) -> Iterator:
        if self.shuffle:
            order = np.random.default_rng([self.seed, self.epoch]).permutation(self.n)
        else:
            order = np.arange(self.n)
        self.epoch += 1
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            out = tuple(a[idx] for a in self.arrays)
            yield out if len(out) > 1 else out[0]


def batches(*arrays: Any, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
            drop_remainder: bool = False) -> Batches:
    """Split NumPy arrays into batches along their first axis: ``batches(x, y, batch_size=64,
    shuffle=True)`` yields ``(x_batch, y_batch)`` pairs (one array alone: the batches).

    Args:
        *arrays: arrays of equal length (NumPy, or anything indexable by an index array).
        batch_size: rows per batch.
        shuffle: draw a new order for every pass (epoch).
        seed: the seed of the orders (epoch ``e`` uses ``default_rng([seed, e])``).
        drop_remainder: leave out the last, smaller batch (a compiled step then sees one
            shape only, so it never recompiles).

    Returns:
        A re-iterable :class:`Batches` with ``len()``.
    """
    return Batches(arrays, batch_size, shuffle, seed, drop_remainder)


def _native_or_placed(backend: str | None, device: Any) -> Callable[[Any], Any]:
    """A function converting a batch (a pytree) to ``backend``/``device``: NumPy leaves are
    converted (one transfer each); leaves that are already native arrays are kept."""
    if backend is None:
        if device is not None:
            raise ValueError("xops.nn.train: device= needs backend= (the framework of the "
                             "NumPy batches on that device)")
        return lambda batch: batch
    place = _placer(backend, device)

    def leaf(a: Any) -> Any:
        if isinstance(a, (np.ndarray, np.generic)):
            return place(np.asarray(a))
        return a

    return lambda batch: tree_map(leaf, batch)


def _split(batch: Any, who: str) -> tuple[Any, Any]:
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch[0], batch[1]
    raise TypeError(f"xops.nn.{who}: each batch must be a pair (x, y), got "
                    f"{type(batch).__name__}")


def _epoch_data(data: Any, epoch: int) -> Iterable:
    return data(epoch) if callable(data) else data


def _length(data: Any) -> int | None:
    try:
        return len(data)
    except TypeError:
        return None


def _first_leaf(tree: Any) -> Any:
    leaves: list = []
    tree_map(leaves.append, tree)
    return leaves[0]


# --- steps ---------------------------------------------------------------------------------
def _identity(f: Callable) -> Callable:
    return f


def _stateful(layer: Any) -> bool:
    return bool(getattr(layer, "has_state", False))


def make_train_step(layer: Any, loss: Callable[[Any, Any], Any],
                    optimizer: GradientTransformation, *, jit: bool = True,
                    donate: bool = False) -> Callable:
    """The training step: forward pass, ``xops.value_and_grad``, optimizer update.

    ``step(params, opt_state, x, y, key=None) -> (params, opt_state, loss, outputs)``, with
    ``outputs = layer.apply(params, x, key=key, training=True)`` (before the update) and
    ``loss = loss(outputs, y)``. For a layer with state (``layer.has_state``: BatchNorm),
    ``params`` is the pair ``(params, state)`` that ``layer.init_with_state`` returns, the
    optimizer state covers the first, and the step returns the new pair. ``key`` is the
    step's ``xops.random`` key (dropout); ``None`` where the layer draws nothing.

    Args:
        layer: an ``xops.nn`` layer (anything with ``apply`` / ``apply_with_state``).
        loss: ``loss(outputs, targets) -> scalar``, e.g. ``F.sparse_softmax_cross_entropy``.
        optimizer: an ``xops.nn.optim`` gradient transformation.
        jit: compile the step with ``xops.jit`` (``False``: run it eagerly, to debug).
        donate: let the compiled step reuse the buffers of ``params`` and ``opt_state`` for
            the new ones (jax donation, torch in-place writes); the caller must not use the
            arguments after the call.

    Returns:
        The step function.
    """
    stateful = _stateful(layer)

    # With optim.loss_scale in the optimizer, the objective differentiated is the loss times
    # the state's scale (the wrapper's update unscales the gradients); the step reports the
    # unscaled loss.
    def scaled(value: Any, scale: Any) -> Any:
        return value if scale is None else value * xnp.astype(scale, xnp.result_type(value))

    if stateful:
        def objective(p: PyTree, model_state: PyTree, x: Any, y: Any, key: Any,
                      scale: Any) -> Any:
            out, new_state = layer.apply_with_state(p, model_state, x, key=key, training=True)
            value = loss(out, y)
            return scaled(value, scale), (value, out, new_state)
    else:
        def objective(p: PyTree, x: Any, y: Any, key: Any,  # type: ignore[misc]
                      scale: Any) -> Any:
            out = layer.apply(p, x, key=key, training=True)
            value = loss(out, y)
            return scaled(value, scale), (value, out)

    grad_fn = value_and_grad(objective, has_aux=True)

    def step(params: PyTree, opt_state: PyTree, x: Any, y: Any, key: Any = None) -> tuple:
        ls = _find_scale_state(opt_state)
        scale = None if ls is None else ls.scale
        if stateful:
            p, model_state = params
            (_, (value, out, model_state)), grads = grad_fn(p, model_state, x, y, key, scale)
        else:
            p = params
            (_, (value, out)), grads = grad_fn(p, x, y, key, scale)
        updates, opt_state = optimizer.update(grads, opt_state, p)
        p = apply_updates(p, updates)
        return (p, model_state) if stateful else p, opt_state, value, out

    if not jit:
        return step
    return _xjit(step, donate_argnums=(0, 1) if donate else ())


def make_eval_step(layer: Any, loss: Callable[[Any, Any], Any] | None = None, *,
                   jit: bool = True) -> Callable:
    """``step(params, x, y) -> (loss, outputs)`` in inference mode (``training=False``; no
    key); ``loss`` is ``None`` when no loss function is given. ``params`` as in
    :func:`make_train_step`.

    Args:
        layer: an ``xops.nn`` layer.
        loss: ``loss(outputs, targets) -> scalar``, or None.
        jit: compile with ``xops.jit``.

    Returns:
        The step function.
    """
    stateful = _stateful(layer)

    def step(params: PyTree, x: Any, y: Any = None) -> tuple:
        if stateful:
            out, _ = layer.apply_with_state(params[0], params[1], x, training=False)
        else:
            out = layer.apply(params, x, training=False)
        return (None if loss is None or y is None else loss(out, y)), out

    return _xjit(step) if jit else step


# --- metrics arguments -----------------------------------------------------------------------
_NAMED: dict[str, Callable[[], _metrics.Metric]] = {
    "accuracy": _metrics.accuracy, "acc": _metrics.accuracy,
    "sparse_categorical_accuracy": _metrics.sparse_categorical_accuracy,
    "binary_accuracy": _metrics.binary_accuracy, "auc": _metrics.auc,
    "mse": _metrics.mse, "mae": _metrics.mae}


def _metric_dict(metrics: Any) -> dict[str, _metrics.Metric]:
    if metrics is None:
        return {}
    if isinstance(metrics, dict):
        items = list(metrics.items())
    else:
        if isinstance(metrics, (str, _metrics.Metric)):
            metrics = [metrics]
        items = []
        for m in metrics:
            if isinstance(m, str):
                if m not in _NAMED:
                    raise ValueError(f"xops.nn.train: unknown metric name {m!r}; known: "
                                     f"{sorted(_NAMED)} (or pass an xops.nn.metrics metric)")
                items.append((m, _NAMED[m]()))
            else:
                items.append((m.name, m))
    out: dict[str, _metrics.Metric] = {}
    for name, m in items:
        if name == "loss" or name in out:
            raise ValueError(f"xops.nn.train: two metrics named {name!r} ('loss' is the loss)")
        out[name] = m
    return out


def _make_metric_update(metrics: dict[str, _metrics.Metric], jit: bool) -> Callable:
    loss_mean = _metrics.mean("loss")

    def update(states: dict, loss: Any, out: Any, y: Any) -> dict:
        new = {k: m.update(states[k], out, y) for k, m in metrics.items()}
        if loss is not None:
            new["loss"] = loss_mean.update(states["loss"], loss)
        return new

    return _xjit(update) if jit else update


def _init_states(metrics: dict[str, _metrics.Metric], like: Any, with_loss: bool) -> dict:
    states = {k: m.init(like) for k, m in metrics.items()}
    if with_loss:
        states["loss"] = _metrics.mean("loss").init(like)
    return states


def _compute(metrics: dict[str, _metrics.Metric], states: dict) -> dict[str, float]:
    out = {}
    if "loss" in states:
        out["loss"] = _metrics.mean("loss").compute(states["loss"])
    for k, m in metrics.items():
        out[k] = m.compute(states[k])
    return {k: float(convert(v, "numpy")) for k, v in out.items()}


# --- progress bar ----------------------------------------------------------------------------
class ProgressBar:
    """tqdm when it is installed, else a one-line bar on stderr (redrawn in place on a
    terminal, one line per epoch otherwise)."""

    def __init__(self, total: int | None, desc: str, enabled: bool = True,
                 file: Any = None) -> None:
        self.total, self.desc, self.enabled = total, desc, enabled
        self.file = file if file is not None else sys.stderr
        self.done, self.text = 0, ""
        self._tqdm = None
        if enabled:
            try:  # optional, and untyped
                tqdm = importlib.import_module("tqdm.auto").tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._tqdm = tqdm(total=total, desc=desc, file=self.file, leave=True)
        self._tty = hasattr(self.file, "isatty") and self.file.isatty()

    def update(self, n: int = 1, values: dict[str, float] | None = None) -> None:
        self.done += n
        if values is not None:
            self.text = "  ".join(f"{k} {v:.4f}" for k, v in values.items())
        if not self.enabled:
            return
        if self._tqdm is not None:
            if values is not None:
                self._tqdm.set_postfix_str(self.text, refresh=False)
            self._tqdm.update(n)
        elif self._tty:
            self._draw("")

    def _draw(self, end: str) -> None:
        width = 24
        if self.total:
            filled = width * min(self.done, self.total) // self.total
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done}"
        print(f"\r{self.desc} {bar} {self.text}", end=end, file=self.file, flush=True)

    def close(self, values: dict[str, float] | None = None) -> None:
        if values is not None:
            self.text = "  ".join(f"{k} {v:.4f}" for k, v in values.items())
        if not self.enabled:
            return
        if self._tqdm is not None:
            self._tqdm.set_postfix_str(self.text, refresh=True)
            self._tqdm.close()
        else:
            self._draw("\n")


# --- the loops -------------------------------------------------------------------------------
def _as_key(key: Any, like: Any) -> Any:
    if key is None:
        key = 0
    if isinstance(key, (int, np.integer)):
        return xr.key(int(key), like=like)
    return key


def train(layer: Any, params: PyTree, optimizer: GradientTransformation,
          loss: Callable[[Any, Any], Any], data: Any, *, epochs: int = 1,
          opt_state: PyTree = None, metrics: Any = None, validation_data: Any = None,
          key: Any = None, backend: str | None = None, device: Any = None, jit: bool = True,
          progress: bool | str = True, refresh_seconds: float = 0.2) -> TrainResult:
    """Train ``layer`` for ``epochs`` passes over ``data``; keras' ``fit`` in one call.

    Each batch goes through the step of :func:`make_train_step` (compiled with ``xops.jit``
    unless ``jit=False``; params and optimizer state are donated, after one copy of the ones
    given, so the caller's arrays stay valid). The loss and ``metrics`` are accumulated on the
    device (also compiled) and read back only when the progress bar redraws and at the end of
    each epoch.

    Args:
        layer: an ``xops.nn`` layer.
        params: its parameters (``layer.init``; for a layer with state the pair from
            ``layer.init_with_state``), arrays of the backend and device to train on.
        optimizer: an ``xops.nn.optim`` gradient transformation.
        loss: ``loss(outputs, targets) -> scalar`` (``F.sparse_softmax_cross_entropy``, ...).
        data: re-iterable ``(x, y)`` batches (a list, :func:`batches`, a ``DataLoader``-like
            object), or a callable ``epoch -> iterable``; a one-shot iterator only with
            ``epochs=1``. Batches are native arrays of the params' backend, or NumPy arrays
            with ``backend=``.
        epochs: passes over ``data``.
        opt_state: the optimizer state to resume from (default ``optimizer.init(params)``).
        metrics: ``xops.nn.metrics`` metrics (a list, or a dict name -> metric), or names
            (``"accuracy"``, ``"mse"``, ``"mae"``, ``"auc"``, ...); updated with ``(outputs,
            y)`` of each training batch (outputs before that step's update, as keras).
        validation_data: ``(x, y)`` batches evaluated after every epoch (history keys
            ``val_loss``, ``val_<metric>``).
        key: an ``xops.random`` key or an int seed (default 0) for dropout; step ``i`` uses
            ``xr.fold_in(key, i)`` (none is made when the layer draws nothing).
        backend: the framework NumPy batches are converted to (``"jax"``, ``"torch"``, ...).
        device: where converted batches go (``"cuda:0"``, ...; needs ``backend``).
        jit: compile the step (``False`` to debug eagerly).
        progress: show a progress bar (tqdm when installed) on stderr; a string also labels
            it (``progress="torch"``).
        refresh_seconds: how often the bar reads the running loss and metrics back.

    Returns:
        ``TrainResult(params, opt_state, history)``; ``history`` maps ``"loss"``, each metric
        name and the ``val_`` entries to a list of per-epoch floats.

    Raises:
        ValueError: a one-shot iterator with ``epochs > 1``, or duplicate metric names.
    """
    if epochs > 1 and not callable(data) and iter(data) is data:
        raise ValueError("xops.nn.train: data is a one-shot iterator but epochs > 1; pass a "
                         "list, xops.nn.batches(...), or a callable epoch -> iterable")
    mets = _metric_dict(metrics)
    place = _native_or_placed(backend, device)
    stateful = _stateful(layer)
    trainable = params[0] if stateful else params
    if opt_state is None:
        opt_state = optimizer.init(trainable)
    step = make_train_step(layer, loss, optimizer, jit=jit, donate=jit)
    if jit:  # the step donates its arguments: never the caller's own arrays
        params = tree_map(xnp.copy, params)
        opt_state = tree_map(xnp.copy, opt_state)
    update = _make_metric_update(mets, jit)
    eval_step = make_eval_step(layer, loss, jit=jit) if validation_data is not None else None
    uses_key = getattr(layer, "_uses_key", lambda training: True)(True)
    base_key = None
    history: dict[str, list[float]] = {}
    count = 0
    for epoch in range(epochs):
        epoch_data = _epoch_data(data, epoch)
        label = f"{progress} " if isinstance(progress, str) else ""
        bar = ProgressBar(_length(epoch_data), f"{label}epoch {epoch + 1}/{epochs}",
                          bool(progress))
        states = None
        last = time.perf_counter()
        for batch in epoch_data:
            x, y = _split(place(batch), "train")
            if uses_key and base_key is None:
                base_key = _as_key(key, _first_leaf(x))
            k = xr.fold_in(base_key, count) if uses_key else None
            params, opt_state, value, out = step(params, opt_state, x, y, k)
            if states is None:
                states = _init_states(mets, value, True)
            states = update(states, value, out, y)
            count += 1
            now = time.perf_counter()
            if progress and now - last >= refresh_seconds:
                bar.update(1, _compute(mets, states))
                last = now
            else:
                bar.update(1)
        if states is None:
            raise ValueError("xops.nn.train: data gave no batches")
        values = _compute(mets, states)
        if validation_data is not None:
            assert eval_step is not None
            val = _evaluate(eval_step, params, validation_data, mets, place, jit, True)
            values.update({"val_" + k: v for k, v in val.items()})
        bar.close(values)
        for k, v in values.items():
            history.setdefault(k, []).append(v)
    return TrainResult(params, opt_state, history)


def _evaluate(eval_step: Callable, params: PyTree, data: Any, mets: dict, place: Callable,
              jit: bool, with_loss: bool) -> dict[str, float]:
    update = _make_metric_update(mets, jit)
    states = None
    for batch in _epoch_data(data, 0):
        x, y = _split(place(batch), "evaluate")
        value, out = eval_step(params, x, y)
        if states is None:
            states = _init_states(mets, out, with_loss and value is not None)
        states = update(states, value, out, y)
    if states is None:
        raise ValueError("xops.nn.evaluate: data gave no batches")
    return _compute(mets, states)


def evaluate(layer: Any, params: PyTree, data: Any, *, loss: Callable | None = None,
             metrics: Any = None, backend: str | None = None, device: Any = None,
             jit: bool = True) -> dict[str, float]:
    """The mean loss (when ``loss`` is given) and the metrics over every ``(x, y)`` batch of
    ``data``, in inference mode.

    Args:
        layer: an ``xops.nn`` layer.
        params: its parameters (the pair ``(params, state)`` for a layer with state).
        data: ``(x, y)`` batches (a single pair is one batch).
        loss: ``loss(outputs, targets) -> scalar``, or None.
        metrics: as in :func:`train`.
        backend: the framework NumPy batches are converted to.
        device: where converted batches go.
        jit: compile the forward pass and the metric updates.

    Returns:
        ``{"loss": ..., name: value, ...}`` as Python floats.
    """
    if isinstance(data, tuple) and len(data) == 2 and hasattr(data[0], "shape"):
        data = [data]
    return _evaluate(make_eval_step(layer, loss, jit=jit), params, data, _metric_dict(metrics),
                     _native_or_placed(backend, device), jit, loss is not None)


def predict(layer: Any, params: PyTree, data: Any, *, batch_size: int | None = None,
            backend: str | None = None, device: Any = None, jit: bool = True) -> Any:
    """The layer's outputs (inference mode) for every input, concatenated along axis 0.

    Args:
        layer: an ``xops.nn`` layer.
        params: its parameters (the pair ``(params, state)`` for a layer with state).
        data: one array (split into ``batch_size`` rows when given), or an iterable of input
            batches or of ``(x, y)`` pairs (``y`` is ignored).
        batch_size: rows per forward pass when ``data`` is one array (default: all at once).
        backend: the framework NumPy inputs are converted to.
        device: where converted inputs go.
        jit: compile the forward pass.

    Returns:
        One native array of the params' backend.
    """
    place = _native_or_placed(backend, device)
    step = make_eval_step(layer, None, jit=jit)
    if hasattr(data, "shape"):
        n = int(data.shape[0])
        size = n if batch_size is None else batch_size
        data = [data[i:i + size] for i in range(0, n, size)]
    outs = []
    for batch in data:
        x = batch[0] if isinstance(batch, (tuple, list)) else batch
        outs.append(step(params, place(x))[1])
    if not outs:
        raise ValueError("xops.nn.predict: data gave no batches")
    return outs[0] if len(outs) == 1 else xnp.concatenate(outs, axis=0)

"""Bridges from an ``xops.nn`` layer and its parameters to a ``torch.nn.Module`` or a
``tf.Module`` (and back), so xops layers drop into torch.optim / state_dict / torch.compile and
tf.saved_model. Frameworks are imported only when a bridge is used.

These functions convert explicitly (that is their job): parameters of another backend are
copied with ``xops.convert``; parameters already of the target backend are used as they are
(torch) or become the initial values of variables (tensorflow).
"""
from __future__ import annotations

from typing import Any

from .._convert import convert
from .._dispatch import backend_of

__all__ = ["to_torch", "from_torch", "to_tf", "from_tf"]

_STATE_PREFIX = "state."


def _check_tree(where: str, tree: Any, path: str = "") -> None:
    if isinstance(tree, dict):
        for k, v in tree.items():
            if not isinstance(k, str) or not k or "." in k or "/" in k:
                raise ValueError(f"xops.nn.{where}: parameter tree keys must be non-empty "
                                 f"strings without '.' or '/', got {k!r} under "
                                 f"{path or '<root>'}")
            _check_tree(where, v, f"{path}.{k}" if path else k)
    elif backend_of(tree) is None:
        raise TypeError(f"xops.nn.{where}: expected a dict tree of arrays, found "
                        f"{type(tree).__name__} at {path or '<root>'}")


# --------------------------------------------------------------------------------------------
# torch
# --------------------------------------------------------------------------------------------
def _torch_classes() -> Any:
    import torch

    class _Node(torch.nn.Module):
        """One dict node of the parameter/state trees: leaves are Parameters (params) and
        buffers (state); sub-dicts are child modules."""

        def __init__(self, params: dict, state: dict) -> None:
            super().__init__()
            for k in sorted(set(params) | set(state)):
                p, s = params.get(k), state.get(k)
                if isinstance(p, dict) or isinstance(s, dict):
                    if (p is not None and not isinstance(p, dict)) or (
                            s is not None and not isinstance(s, dict)):
                        raise ValueError(f"xops.nn.to_torch: {k!r} is a leaf in one of params/"
                                         "state and a subtree in the other")
                    self.add_module(k, _Node(p or {}, s or {}))
                elif p is not None and s is not None:
                    raise ValueError(f"xops.nn.to_torch: {k!r} is both a parameter and a state "
                                     "entry")
                elif p is not None:
                    self.register_parameter(k, torch.nn.Parameter(_as_torch(p)))
                else:
                    self.register_buffer(k, _as_torch(s).detach().clone())
            self._param_keys = tuple(sorted(k for k in params if not isinstance(params[k], dict)))
            self._state_keys = tuple(sorted(k for k in state if not isinstance(state[k], dict)))
            self._params_sub = tuple(sorted(k for k in params if isinstance(params[k], dict)))
            self._state_sub = tuple(sorted(k for k in state if isinstance(state[k], dict)))

        def trees(self) -> tuple[dict, dict]:
            params = {k: getattr(self, k) for k in self._param_keys}
            state = {k: getattr(self, k) for k in self._state_keys}
            for k in self._params_sub:
                params[k] = getattr(self, k).trees()[0]
            for k in self._state_sub:
                state[k] = getattr(self, k).trees()[1]
            return params, state

        def write_state(self, new: dict) -> None:
            for k in self._state_keys:
                getattr(self, k).copy_(new[k])
            for k in self._state_sub:
                getattr(self, k).write_state(new[k])

    class XopsModule(_Node):
        """A ``torch.nn.Module`` running an ``xops.nn`` layer: parameters mirror the layer's
        param tree (``"0.w"``, ``"attn.query.b"``), state entries are buffers; ``forward``
        calls ``layer.apply`` (training follows ``module.train()``/``eval()`` unless given)."""

        def __init__(self, layer: Any, params: dict, state: dict) -> None:
            super().__init__(params, state)
            self.layer = layer
            self._stateful = bool(layer.has_state)

        def forward(self, x: Any, *, key: Any = None, training: bool | None = None,
                    **kwargs: Any) -> Any:
            train = self.training if training is None else training
            params, state = self.trees()
            if not self._stateful:
                return self.layer.apply(params, x, key=key, training=train, **kwargs)
            y, new = self.layer.apply_with_state(params, state, x, key=key, training=train,
                                                 **kwargs)
            if train:
                with torch.no_grad():
                    self.write_state(new)
            return y

        def extra_repr(self) -> str:
            return f"layer={self.layer!r}"

    return _Node, XopsModule


_TORCH: list = []


def _as_torch(x: Any) -> Any:
    be = backend_of(x)
    if be is None:
        raise TypeError(f"xops.nn.to_torch: expected arrays, got {type(x).__name__}")
    return x if be.name == "torch" else convert(x, "torch")


def to_torch(layer: Any, params: dict, state: dict | None = None) -> Any:
    """A ``torch.nn.Module`` whose ``forward(x, *, key=None, training=None)`` runs
    ``layer.apply`` with its parameters.

    Parameters become ``torch.nn.Parameter`` named after the param tree (``"0.w"`` for
    ``params["0"]["w"]``; they share memory with torch ``params``); ``state`` (stateful layers)
    becomes buffers updated in place when training, like torch's BatchNorm. ``training``
    defaults to ``module.training``. torch.optim, ``state_dict``/``load_state_dict`` and
    ``torch.compile`` work on the result.

    Returns:
        A ``torch.nn.Module``.
    """
    if not _TORCH:
        _TORCH.extend(_torch_classes())
    state = _checked_state("to_torch", layer, params, state)
    return _TORCH[1](layer, params, state)


def _checked_state(name: str, layer: Any, params: dict, state: dict | None) -> dict:
    """``state`` (``{}`` for a stateless layer), with ``params`` and it checked as trees."""
    if state is None:
        if layer.has_state:
            raise ValueError(f"xops.nn.{name}: this layer has state; pass the state from "
                             "init_with_state")
        state = {}
    _check_tree(name, params)
    _check_tree(name, state)
    return state


def _nest(items: Any) -> dict:
    out: dict = {}
    for name, v in items:
        parts = name.split(".")
        d = out
        for p in parts[:-1]:
            d = d.setdefault(p, {})
        d[parts[-1]] = v
    return out


def from_torch(module: Any, *, with_state: bool = False) -> Any:
    """The parameter tree of a module made by :func:`to_torch` (its ``nn.Parameter`` objects,
    so gradients flow), or of any ``torch.nn.Module`` (nested dicts from the dotted parameter
    names).

    Returns:
        ``params``, or ``(params, state)`` with ``with_state`` (state: the buffers).
    """
    if _TORCH and isinstance(module, _TORCH[0]):
        params, state = module.trees()
    else:
        params = _nest(module.named_parameters())
        state = _nest(module.named_buffers())
    return (params, state) if with_state else params


# --------------------------------------------------------------------------------------------
# tensorflow
# --------------------------------------------------------------------------------------------
def _tf_module_class() -> Any:
    import tensorflow as tf

    def read(tree: Any) -> Any:
        if isinstance(tree, dict) or hasattr(tree, "items"):
            return {k: read(v) for k, v in tree.items()}
        return tf.convert_to_tensor(tree)

    class XopsTFModule(tf.Module):
        """A ``tf.Module`` running an ``xops.nn`` layer on ``tf.Variable`` parameters; its
        ``__call__`` is a ``tf.function`` (savable with ``tf.saved_model.save``)."""

        def __init__(self, layer: Any, params: dict, state: dict, input_signature: Any,
                     name: str | None) -> None:
            super().__init__(name=name)
            self.layer = layer
            self.params = _variables(tf, params, True)
            self.state = _variables(tf, state, False)
            if input_signature is not None:  # trace now so saved_model exports it
                self.__call__.get_concrete_function(*input_signature)

        @tf.function
        def __call__(self, x: Any) -> Any:
            return self._run(x, None, False)

        @tf.function
        def train_step(self, x: Any, key: Any = None) -> Any:
            return self._run(x, key, True)

        def _run(self, x: Any, key: Any, training: bool) -> Any:
            params = read(self.params)
            if not self.layer.has_state:
                return self.layer.apply(params, x, key=key, training=training)
            y, new = self.layer.apply_with_state(params, read(self.state), x, key=key,
                                                 training=training)
            if training:
                _assign(self.state, new)
            return y

    return XopsTFModule


def _variables(tf: Any, tree: dict, trainable: bool) -> dict:
    out = {}
    for k, v in tree.items():
        if isinstance(v, dict):
            out[k] = _variables(tf, v, trainable)
        else:
            be = backend_of(v)
            if be is None:
                raise TypeError(f"xops.nn.to_tf: parameter {k!r} is not an array of a supported "
                                f"backend, got {type(v).__name__}")
            t = v if be.name == "tensorflow" else convert(v, "tensorflow")
            out[k] = tf.Variable(t, trainable=trainable, name=k)
    return out


def _assign(vars_: Any, new: dict) -> None:
    for k, v in vars_.items():
        if hasattr(v, "assign"):
            v.assign(new[k])
        else:
            _assign(v, new[k])


_TF: list = []


def to_tf(layer: Any, params: dict, state: dict | None = None, *,
          input_signature: Any = None, name: str | None = None) -> Any:
    """A ``tf.Module`` holding the parameters as ``tf.Variable`` (trainable; state entries as
    non-trainable variables) with ``__call__(x)`` = ``layer.apply(params, x)`` (inference) and
    ``train_step(x, key=None)`` (``training=True``: dropout, BatchNorm updates its variables),
    both ``tf.function``. ``input_signature`` (a list of ``tf.TensorSpec``) fixes the traced
    signature so ``tf.saved_model.save`` exports it without a prior call; otherwise call the
    module once before saving.

    Returns:
        A ``tf.Module``; ``module.trainable_variables`` are the parameters.
    """
    if not _TF:
        _TF.append(_tf_module_class())
    state = _checked_state("to_tf", layer, params, state)
    return _TF[0](layer, params, state, input_signature, name)


def _tf_read(tree: Any) -> Any:
    import tensorflow as tf
    if hasattr(tree, "items"):
        return {k: _tf_read(v) for k, v in tree.items()}
    return tf.convert_to_tensor(tree)


def from_tf(module: Any, *, with_state: bool = False) -> Any:
    """The parameter tree (current values as ``tf.Tensor``) of a module made by :func:`to_tf`,
    or reloaded from ``tf.saved_model.load``.

    Returns:
        ``params``, or ``(params, state)`` with ``with_state``.
    """
    if not hasattr(module, "params"):
        raise TypeError("xops.nn.from_tf: expected a module made by xops.nn.to_tf (or its "
                        f"saved-model reload), got {type(module).__name__}")
    params = _tf_read(module.params)
    if not with_state:
        return params
    return params, _tf_read(getattr(module, "state", {}))

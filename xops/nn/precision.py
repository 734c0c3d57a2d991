"""``xops.nn.precision``: dtype policies for mixed-precision layers.

A :class:`Policy` says in which dtype a layer stores its parameters (``param_dtype``), runs its
computation (``compute_dtype``) and returns its output (``output_dtype``). The presets are the
names keras uses::

    "float32"          params float32,  compute float32,  output float32
    "mixed_bfloat16"   params float32,  compute bfloat16, output bfloat16
    "mixed_float16"    params float32,  compute float16,  output float16  (use optim.loss_scale)
    "bfloat16"         params bfloat16, compute bfloat16, output bfloat16
    "float16"          params float16,  compute float16,  output float16
    "float64"          params float64,  compute float64,  output float64

A layer takes one with ``policy=`` (``nn.Dense(8, policy="mixed_bfloat16")``), a whole model
with :func:`with_policy`. Parameters are created in ``param_dtype`` by ``init`` and cast once to
``compute_dtype`` at the start of ``apply``; float inputs are cast too, integer and bool arrays
never. Numerically sensitive parts (normalisation statistics, the attention softmax, losses
wrapped in :func:`loss_in_float32`) run in float32 and are cast back. The casts are
differentiable, so the gradients of float32 master weights are float32.

Everything here is resolved when a layer is built: ``apply`` builds no object holding an xops
``DType`` (it runs under ``torch.compile(fullgraph=True)``).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from .. import numpy as xnp
from .._dispatch import backend_of
from .._dtypes import DType, bfloat16, canonical, float16, float32, float64

__all__ = ["Policy", "policy", "PRESETS", "with_policy", "loss_in_float32", "cast_floats"]


@dataclasses.dataclass(frozen=True)
class Policy:
    """Where a layer keeps its parameters, computes and returns its output.

    Args:
        param_dtype: dtype of the float parameters (and float state) ``init`` creates.
        compute_dtype: dtype float parameters and float inputs are cast to inside ``apply``.
        output_dtype: dtype of the layer's float output (default: ``compute_dtype``).
        name: the preset's name, or None.
    """

    param_dtype: Any = float32
    compute_dtype: Any = None
    output_dtype: Any = None
    name: str | None = None

    def __post_init__(self) -> None:
        p = _float_dtype(self.param_dtype, "param_dtype")
        c = p if self.compute_dtype is None else _float_dtype(self.compute_dtype,
                                                               "compute_dtype")
        o = c if self.output_dtype is None else _float_dtype(self.output_dtype, "output_dtype")
        object.__setattr__(self, "param_dtype", p)
        object.__setattr__(self, "compute_dtype", c)
        object.__setattr__(self, "output_dtype", o)

    @property
    def low_precision(self) -> bool:
        """Whether the computation runs in a 16-bit float (sensitive ops then use float32)."""
        return self.compute_dtype.bits == 16

    def __repr__(self) -> str:
        if self.name is not None:
            return f"Policy({self.name!r})"
        return (f"Policy(param_dtype={self.param_dtype.name}, compute_dtype="
                f"{self.compute_dtype.name}, output_dtype={self.output_dtype.name})")


def _float_dtype(d: Any, what: str) -> DType:
    try:
        dt = canonical(d)
    except TypeError:
        raise ValueError(f"xops.nn.Policy: {what}={d!r} is not a dtype") from None
    if dt.kind != "f":
        raise ValueError(f"xops.nn.Policy: {what} must be a float dtype, got {dt.name}")
    return dt


PRESETS: dict[str, Policy] = {
    "float32": Policy(float32, float32, float32, "float32"),
    "float64": Policy(float64, float64, float64, "float64"),
    "mixed_bfloat16": Policy(float32, bfloat16, bfloat16, "mixed_bfloat16"),
    "mixed_float16": Policy(float32, float16, float16, "mixed_float16"),
    "bfloat16": Policy(bfloat16, bfloat16, bfloat16, "bfloat16"),
    "float16": Policy(float16, float16, float16, "float16"),
}


def policy(p: Any) -> Policy:
    """A :class:`Policy` from a preset name (``"mixed_bfloat16"``, ...) or a Policy.

    Raises:
        ValueError: an unknown preset name.
        TypeError: neither a name nor a Policy.
    """
    if isinstance(p, Policy):
        return p
    if isinstance(p, str):
        got = PRESETS.get(p)
        if got is None:
            raise ValueError(f"xops.nn.policy: unknown dtype policy {p!r}; the presets are "
                             f"{', '.join(map(repr, PRESETS))} (or pass an xops.nn.Policy)")
        return got
    raise TypeError(f"xops.nn.policy: expected a preset name or an xops.nn.Policy, got "
                    f"{type(p).__name__}")


# --- casts used inside apply (no DType is built here: the dtypes come from a Policy) ---------
def _float_kind(x: Any) -> DType | None:
    be = backend_of(x)
    if be is None:
        return None
    d = be.dtype_of(x)
    return d if d.kind == "f" else None


def cast_float(x: Any, dtype: DType) -> Any:
    """``x`` cast to ``dtype`` if it is a float array of another dtype; anything else as is."""
    d = _float_kind(x)
    if d is None or d is dtype:
        return x
    return xnp.astype(x, dtype)


def cast_floats(tree: Any, dtype: Any) -> Any:
    """Every float array leaf of a dict/list/tuple tree cast to ``dtype`` (integer and bool
    leaves, and anything not an array, unchanged)."""
    dtype = canonical(dtype)
    return _cast_tree(tree, dtype)


def _cast_tree(tree: Any, dtype: DType) -> Any:
    if isinstance(tree, dict):
        return {k: _cast_tree(v, dtype) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)) and not hasattr(tree, "_fields"):
        return type(tree)(_cast_tree(v, dtype) for v in tree)
    return cast_float(tree, dtype)


def is_low(x: Any) -> bool:
    """Whether ``x`` is a 16-bit float array."""
    d = _float_kind(x)
    return d is not None and d.bits == 16


def in_float32(fn: Callable, x: Any, *args: Any, **kwargs: Any) -> Any:
    """``fn(x, *args)`` computed in float32 when ``x`` is a 16-bit float array, the result cast
    back to ``x``'s dtype (float array ``args`` are upcast too); otherwise ``fn(x, *args)``."""
    d = _float_kind(x)
    if d is None or d.bits != 16:
        return fn(x, *args, **kwargs)
    y = fn(xnp.astype(x, float32), *(cast_float(a, float32) for a in args), **kwargs)
    return xnp.astype(y, d)


def loss_in_float32(loss: Callable) -> Callable:
    """Wrap ``loss(outputs, targets, ...)`` so float array arguments are upcast to float32 first
    (16-bit outputs of a mixed-precision model): the loss, its value and the cotangent it sends
    back are float32, as in the frameworks' autocast lists (the cast back to the output's dtype
    happens in the cast's derivative)."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return loss(*(cast_float(a, float32) for a in args), **kwargs)

    wrapped.__name__ = getattr(loss, "__name__", "loss")
    wrapped.__doc__ = getattr(loss, "__doc__", None)
    return wrapped


def with_policy(layer: Any, p: Any, *, override: bool = False) -> Any:
    """A copy of ``layer`` (and, for ``Sequential``, of its stored layers) with policy ``p``
    (a preset name or a :class:`Policy`). Layers that already have a policy keep it unless
    ``override``."""
    from .layers import Layer, Sequential

    pol = policy(p)

    def one(m: Any) -> Any:
        if not isinstance(m, Layer):
            return m
        if isinstance(m, Sequential):
            children = tuple(one(c) for c in m.layers)
            own = m.policy if (m.policy is not None and not override) else pol
            return Sequential(*children, policy=own)
        if m.policy is not None and not override:
            return m
        return dataclasses.replace(m, policy=pol)

    return one(layer)

"""Helpers shared by the nn functions: dtype handling and loss reduction."""
from __future__ import annotations

from typing import Any, Callable

from .. import numpy as xnp
from .._dispatch import backend_of
from .._dtypes import DType, bfloat16, float16, float32
from ..numpy_api._registry import with_sections

Array = Any

_LOW = (float16, bfloat16)
REDUCTIONS = ("mean", "sum", "none")


def doc_args(sections: str) -> Callable[[Callable], Callable]:
    """Put ``sections`` (the ``Args:``/``Returns:`` part of the docstring, written once beside a
    family of functions that take the same arguments) into the function's own docstring."""

    def deco(fn: Callable) -> Callable:
        fn.__doc__ = with_sections(fn.__doc__, sections)
        return fn

    return deco


def dtype_of(x: Array) -> DType:
    be = backend_of(x)
    if be is None:
        raise TypeError(f"xops.nn: {type(x).__name__} is not an array of a supported backend")
    return be.dtype_of(x)


def upcast(x: Array) -> tuple[Array, DType | None]:
    """``x`` in float32 when it is float16/bfloat16 (the dtype to cast back to, else None).

    16-bit floats are computed in float32, as torch's CPU kernels and XLA do for reductions and
    transcendental functions: exp/log/erf in float16 lose too much, and sums lose more.
    """
    if isinstance(x, (bool, int, float)):
        return x, None  # Python scalars stay weak
    d = dtype_of(x)
    if d in _LOW:
        return xnp.astype(x, float32), d
    return x, None


def downcast(y: Array, d: DType | None) -> Array:
    return y if d is None else xnp.astype(y, d)


def float_input(name: str, x: Array) -> Array:
    """``x`` unchanged if floating; integers and bools become the backend's default float.
    Python scalars (accepted where another argument carries the backend) become floats."""
    if isinstance(x, (bool, int, float)):
        return float(x)
    be = backend_of(x)
    if be is None:
        raise TypeError(f"xops.nn.{name}: {type(x).__name__} is not an array of a supported "
                        f"backend")
    d = be.dtype_of(x)
    if d.kind == "f":
        return x
    if d.kind == "c":
        raise TypeError(f"xops.nn.{name}: complex input is not supported")
    return xnp.astype(x, be.default_float)


def reduce_loss(name: str, loss: Array, reduction: str) -> Array:
    """Apply ``reduction`` ('mean', 'sum' or 'none') to a per-example loss."""
    if reduction == "mean":
        return xnp.mean(loss)
    if reduction == "sum":
        return xnp.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"xops.nn.{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")

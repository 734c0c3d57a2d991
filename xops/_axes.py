"""Axes, shapes and op names in errors: the argument checks every op shares (no backend
involved). ``xops._dispatch`` re-exports these names."""
from __future__ import annotations

import operator
from typing import Any

__all__ = ["AxisError", "normalize_axis", "normalize_axes", "normalize_shape", "opname_of"]


def opname_of(name: str) -> str:
    """The public name of registry op ``name`` (``nn.conv`` lives in ``xops.nn.functional``)."""
    if name.startswith("nn."):
        return f"xops.nn.functional.{name[3:]}"
    return f"xops.numpy.{name}"


# --------------------------------------------------------------------------------------------
# axes and shapes
# --------------------------------------------------------------------------------------------
class AxisError(ValueError, IndexError):
    """An axis out of range for the array's rank, on every backend (``xops.AxisError``). Both a
    ValueError and an IndexError, as ``numpy.exceptions.AxisError`` is, so code written for
    NumPy, jax or torch catches it either way."""


def normalize_axis(name: str, axis: Any, ndim: int) -> int:
    try:
        a = operator.index(axis)
    except TypeError:
        raise TypeError(f"{opname_of(name)}: axis must be an integer, got "
                        f"{type(axis).__name__}") from None
    if not -ndim <= a < ndim:
        raise AxisError(f"{opname_of(name)}: axis {a} is out of bounds for an array of "
                        f"dimension {ndim}")
    return a + ndim if a < 0 else a


def normalize_axes(name: str, axis: Any, ndim: int) -> tuple[int, ...] | None:
    """None, an int or a sequence of ints -> None or a sorted tuple of distinct non-negative
    ints."""
    if axis is None:
        return None
    if isinstance(axis, (tuple, list)):
        out = tuple(sorted(normalize_axis(name, a, ndim) for a in axis))
        if len(set(out)) != len(out):
            raise ValueError(f"{opname_of(name)}: repeated axis in {tuple(axis)}")
        return out
    return (normalize_axis(name, axis, ndim),)


# ops that allocate an array of the shape they are given: a shape too big for any memory is a
# ValueError before a backend tries (NumPy: ValueError or MemoryError; jax/XLA may abort)
_ALLOCATING = frozenset({"zeros", "ones", "empty", "full", "indices", "resize"})
_MAX_ELEMENTS = 2**53


def normalize_shape(name: str, shape: Any) -> tuple[int, ...]:
    out = _normalize_shape(name, shape)
    if name in _ALLOCATING:
        n = 1
        for s in out:
            if s < 0:  # NumPy's error; torch and tf raise their own types
                raise ValueError(f"{opname_of(name)}: negative dimensions are not allowed, got "
                                 f"shape {out}")
            n *= s
        if n > _MAX_ELEMENTS:
            raise ValueError(f"{opname_of(name)}: shape {out} has {n} elements, too many for "
                             "any array")
    return out


def _normalize_shape(name: str, shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (tuple, list)):
        try:
            out = tuple(operator.index(s) for s in shape)
        except TypeError:
            raise TypeError(f"{opname_of(name)}: shape must be a sequence of integers, got "
                            f"{shape!r}") from None
    else:
        try:
            out = (operator.index(shape),)
        except TypeError:
            dims = _shape_like(shape)
            if dims is None:
                raise TypeError(f"{opname_of(name)}: shape must be an integer or a sequence of "
                                f"integers, got {type(shape).__name__}") from None
            if any(s is None for s in dims):
                raise ValueError(f"{opname_of(name)}: shape {shape} has unknown dimensions; "
                                 "pass known sizes (tf.shape(x) inside tf.function)") from None
            return _normalize_shape(name, dims)
    return out


def _shape_like(shape: Any) -> list | None:
    """The dims of a framework shape object (tf.TensorShape: ints or None), else None."""
    as_list = getattr(shape, "as_list", None)
    if as_list is not None and type(shape).__module__.split(".")[0] == "tensorflow":
        try:
            return as_list()
        except ValueError:  # unknown rank
            return [None]
    return None

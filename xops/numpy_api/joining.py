"""NumPy's joining and splitting helpers beyond the Array API: atleast_1d/2d/3d (the dimension
padding the joins apply), append, vstack, hstack, dstack, column_stack, array_split, hsplit,
vsplit and dsplit. Compositions of manipulation.py's concatenate, reshape and split; array-like
arguments are converted with ``creation.asarray``. Split from manipulation.py to keep both
files readable (under 900 lines)."""
from __future__ import annotations

import operator
from typing import Any, Sequence

from .._dispatch import normalize_axis, opname_of
from ._common import _cast, _shape
from ._registry import declare
from .creation import _arrays, _one
from .manipulation import _seq, concatenate, ravel, reshape, split

Array = Any


@declare("shape", composite=True)
def append(arr: Any, values: Any, axis: int | None = None) -> Array:
    """Values appended to the end of ``arr`` (NumPy ``append``): with ``axis`` None both are
    flattened first, otherwise they are concatenated along ``axis``; dtypes are promoted.

    Args:
        arr: array (or array-like).
        values: array or array-like (converted like ``asarray``, as NumPy does).
        axis: int or None.

    Returns:
        An array of ``arr``'s backend.
    """
    _, (a, v) = _arrays("append", arr, values)
    if axis is None:
        return concatenate([ravel(a), ravel(v)], axis=0)
    return concatenate([a, v], axis=axis)


def _atleast(name: str, nd: int, arys: Sequence[Any]) -> list[Array]:
    _, arrs = _arrays(name, *arys)
    out = []
    for a in arrs:
        s = _shape(a)
        if len(s) < nd:
            if nd == 1:
                s2: tuple = (1,)
            elif nd == 2:
                s2 = (1,) * (2 - len(s)) + s
            else:
                s2 = {0: (1, 1, 1), 1: (1, *s, 1), 2: (*s, 1)}[len(s)]
            a = reshape(a, s2)
        out.append(a)
    return out


def _atleast_result(out: list[Array]) -> Any:
    return out[0] if len(out) == 1 else tuple(out)


@declare("shape", composite=True)
def atleast_1d(*arys: Any) -> Any:
    """Inputs viewed with at least one dimension (0-d becomes shape ``(1,)``).

    Args:
        *arys: arrays or array-likes of one backend.

    Returns:
        One array for one input, else a tuple of arrays (NumPy 2).
    """
    return _atleast_result(_atleast("atleast_1d", 1, arys))


@declare("shape", composite=True)
def atleast_2d(*arys: Any) -> Any:
    """Inputs viewed with at least two dimensions (0-d -> ``(1, 1)``, ``(n,)`` -> ``(1, n)``).

    Args:
        *arys: arrays or array-likes of one backend.

    Returns:
        One array for one input, else a tuple of arrays.
    """
    return _atleast_result(_atleast("atleast_2d", 2, arys))


@declare("shape", composite=True)
def atleast_3d(*arys: Any) -> Any:
    """Inputs viewed with at least three dimensions (0-d -> ``(1, 1, 1)``, ``(n,)`` ->
    ``(1, n, 1)``, ``(m, n)`` -> ``(m, n, 1)``).

    Args:
        *arys: arrays or array-likes of one backend.

    Returns:
        One array for one input, else a tuple of arrays.
    """
    return _atleast_result(_atleast("atleast_3d", 3, arys))


def _stack_seq(name: str, tup: Any) -> list[Any]:
    return _seq(name, tup, "need at least one array to concatenate")


@declare("shape", composite=True)
def vstack(tup: Sequence[Any], *, dtype: Any = None) -> Array:
    """Stack arrays row-wise: inputs made at least 2-d, then joined along axis 0.

    Args:
        tup: sequence of arrays of one backend.
        dtype: optional result dtype (cast after joining the promoted inputs).

    Returns:
        An array of the inputs' backend.
    """
    arrs = _atleast("vstack", 2, _stack_seq("vstack", tup))
    return _cast(concatenate(arrs, axis=0), dtype, "vstack")


@declare("shape", composite=True)
def hstack(tup: Sequence[Any], *, dtype: Any = None) -> Array:
    """Stack arrays column-wise: joined along axis 1, or along axis 0 for 1-d inputs (0-d
    inputs become 1-d).

    Args:
        tup: sequence of arrays of one backend.
        dtype: optional result dtype.

    Returns:
        An array of the inputs' backend.
    """
    arrs = _atleast("hstack", 1, _stack_seq("hstack", tup))
    axis = 0 if len(arrs[0].shape) == 1 else 1
    return _cast(concatenate(arrs, axis=axis), dtype, "hstack")


@declare("shape", composite=True)
def dstack(tup: Sequence[Any]) -> Array:
    """Stack arrays depth-wise: inputs made at least 3-d (see ``atleast_3d``), joined along
    axis 2.

    Args:
        tup: sequence of arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    return concatenate(_atleast("dstack", 3, _stack_seq("dstack", tup)), axis=2)


@declare("shape", composite=True)
def column_stack(tup: Sequence[Any]) -> Array:
    """Stack 1-d arrays as columns of a 2-d array (0-d inputs become ``(1, 1)``, 2-d inputs are
    joined as they are), along axis 1.

    Args:
        tup: sequence of arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    _, arrs = _arrays("column_stack", *_stack_seq("column_stack", tup))
    cols = [(reshape(a, (-1, 1)) if len(a.shape) < 2 else a) for a in arrs]
    return concatenate(cols, axis=1)


@declare("shape", composite=True)
def array_split(ary: Array, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into ``indices_or_sections`` parts that may differ in length (the first
    ``n % sections`` parts get one more element), or at the given indices.

    Args:
        ary: array.
        indices_or_sections: int > 0 or sequence of split points.
        axis: the axis.

    Returns:
        A list of arrays of ``ary``'s backend.
    """
    _, x = _one("array_split", ary)
    if isinstance(indices_or_sections, (list, tuple)):
        return split(x, list(indices_or_sections), axis=axis)
    ax = normalize_axis("array_split", axis, len(x.shape))
    sections = operator.index(indices_or_sections)
    if sections <= 0:
        raise ValueError("xops.numpy.array_split: number sections must be larger than 0")
    each, extra = divmod(x.shape[ax], sections)
    points, at = [], 0
    for i in range(sections - 1):
        at += each + (1 if i < extra else 0)
        points.append(at)
    return split(x, points, axis=ax)


def _split_at(name: str, ary: Any, ios: Any, min_nd: int, axis_of: Any) -> list[Array]:
    _, x = _one(name, ary)
    nd = len(x.shape)
    if nd < min_nd:
        raise ValueError(f"{opname_of(name)}: needs an array of at least {min_nd} dimensions, "
                         f"got shape {_shape(x)}")
    return split(x, ios, axis=axis_of(nd))


_SPLIT_ARGS = """
    Args:
        ary: array with ndim >= {nd}.
        indices_or_sections: int or sequence of split points.

    Returns:
        A list of arrays of ``ary``'s backend.
"""


@declare("shape", composite=True, doc_args=_SPLIT_ARGS.format(nd=1))
def hsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split horizontally (along axis 1, or axis 0 for 1-d input) into equal sections or at
    indices (``split`` rules)."""
    return _split_at("hsplit", ary, indices_or_sections, 1, lambda nd: 1 if nd > 1 else 0)


@declare("shape", composite=True, doc_args=_SPLIT_ARGS.format(nd=2))
def vsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split vertically (along axis 0) an array of ndim >= 2 (``split`` rules)."""
    return _split_at("vsplit", ary, indices_or_sections, 2, lambda nd: 0)


@declare("shape", composite=True, doc_args=_SPLIT_ARGS.format(nd=3))
def dsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split along the third axis an array of ndim >= 3 (``split`` rules)."""
    return _split_at("dsplit", ary, indices_or_sections, 3, lambda nd: 2)

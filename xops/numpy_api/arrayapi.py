"""Array API 2025.12 functions beyond the core set: nextafter, unstack, nonzero, searchsorted,
the unique_* family, cumulative_sum/prod, diff, from_dlpack and broadcast_shapes.

NumPy 2 is the reference (``numpy.unique_all`` and friends, ``numpy.cumulative_sum``); the
functions whose output shape depends on the data (nonzero, unique_*) take an optional ``size=``
(and ``fill_value=``), as ``jax.numpy`` does, so that they also run under ``jax.jit``.
"""
from __future__ import annotations

import operator
from typing import Any, NamedTuple

from .. import _dtypes
from .._dispatch import PY_SCALARS, call, normalize_axis, opname_of, promote_args, resolve
from .._dtypes import bool_
from . import creation, elementwise as ew, indexing, manipulation, reductions
from ._registry import declare

Array = Any


# --- elementwise --------------------------------------------------------------------------------

@declare("elementwise")
def nextafter(x1: Array, x2: Array, /) -> Array:
    """The next representable floating-point value after ``x1`` in the direction of ``x2``
    (``x2`` when they are equal; NaN if either is NaN), in the promoted dtype (16-bit floats
    step in their own precision on every backend).

    Args:
        x1, x2: real floating arrays of one backend or Python floats, broadcast together.

    Returns:
        An array of the inputs' backend and promoted dtype.
    """
    be = resolve("nextafter", x1, x2)
    (a, b), _ = promote_args("nextafter", be, (x1, x2), kinds="f")
    return call(be, "nextafter", a, b)


# --- manipulation -------------------------------------------------------------------------------

@declare("shape")
def unstack(x: Array, /, *, axis: int = 0) -> tuple[Array, ...]:
    """Split ``x`` into the tuple of its slices along ``axis`` (the inverse of ``stack``).

    Args:
        x: array with ndim >= 1. axis: the axis to unstack along.

    Returns:
        A tuple of ``x.shape[axis]`` arrays of ``x``'s backend, each of ndim ``x.ndim - 1``.
    """
    be = resolve("unstack", x)
    nd = len(getattr(x, "shape", ()))
    if type(x) in PY_SCALARS or nd == 0:
        raise ValueError("xops.numpy.unstack: input must be at least 1-d")
    return tuple(call(be, "unstack", x, normalize_axis("unstack", axis, nd)))


@declare("shape", composite=True)
def broadcast_shapes(*shapes: Any) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to (NumPy rules).

    Args:
        *shapes: ints or tuples of ints.

    Returns:
        A tuple of ints (``()`` for no argument); ValueError when the shapes do not broadcast.
    """
    from .._dispatch import normalize_shape
    return manipulation._broadcast_shapes(
        "broadcast_shapes", *(normalize_shape("broadcast_shapes", s) for s in shapes))


# --- searching ----------------------------------------------------------------------------------

@declare("searching")
def nonzero(x: Array, /, *, size: int | None = None, fill_value: int | None = None
            ) -> tuple[Array, ...]:
    """Indices of the non-zero (truthy) elements, one index array per dimension, in row-major
    order. The output shape depends on the data: under ``jax.jit`` pass ``size`` (results are
    truncated to, or padded up to, ``size`` entries with ``fill_value``, default 0), as
    ``jax.numpy.nonzero`` does; every backend accepts it.

    Args:
        x: array with ndim >= 1 (0-d input raises ValueError, as in NumPy 2).
        size: optional fixed number of results. fill_value: index used for padding.

    Returns:
        A tuple of ``x.ndim`` 1-d arrays of the default integer dtype.
    """
    be = resolve("nonzero", x)
    if type(x) in PY_SCALARS or len(x.shape) == 0:
        raise ValueError("xops.numpy.nonzero: calling nonzero on a 0-d array is not allowed; "
                         "reshape it to 1-d first")
    if size is not None:
        size = operator.index(size)
        if size < 0:
            raise ValueError(f"xops.numpy.nonzero: size must be non-negative, got {size}")
    idx = be.check_dtype(be.default_int, "nonzero")
    return tuple(call(be, "nonzero", x, idx, size, fill_value))


@declare("searching")
def searchsorted(x1: Array, x2: Any, /, *, side: str = "left", sorter: Array | None = None
                 ) -> Array:
    """Insertion indices of ``x2`` into the sorted 1-d array ``x1`` that keep it sorted
    (``side='left'``: first suitable position; ``'right'``: last). NaN sorts after +inf, as in
    NumPy, on every backend. Inputs are promoted to one dtype.

    Args:
        x1: 1-d real array, sorted ascending unless ``sorter`` is given.
        x2: array or Python scalar of values to insert.
        side: 'left' or 'right'. sorter: integer indices that sort ``x1``.

    Returns:
        An array of the default integer dtype with the shape of ``x2``.
    """
    if side not in ("left", "right"):
        raise ValueError(f"xops.numpy.searchsorted: side must be 'left' or 'right', got {side!r}")
    if type(x1) in PY_SCALARS:
        raise TypeError("xops.numpy.searchsorted: x1 must be a 1-d array")
    be = resolve("searchsorted", x1, x2, sorter)
    if len(x1.shape) != 1:
        raise ValueError(f"xops.numpy.searchsorted: x1 must be 1-d, got shape {tuple(x1.shape)}")
    if sorter is not None:
        x1 = indexing.take(x1, sorter)
    (a, v), _ = promote_args("searchsorted", be, (x1, x2), kinds="biuf")
    return call(be, "searchsorted", a, v, side, be.check_dtype(be.default_int, "searchsorted"))


# --- set functions ------------------------------------------------------------------------------

class UniqueAllResult(NamedTuple):
    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    values: Array
    inverse_indices: Array


def _unique(name: str, x: Array, size: int | None, fill_value: Any,
            want: str) -> tuple[Array, Array | None, Array | None, Array | None]:
    """Sort-based unique: group starts are where a sorted element differs from its predecessor.
    NaN != NaN, so every NaN is its own group (NumPy 2's array API functions do the same)."""
    be = resolve(name, x)
    if type(x) in PY_SCALARS:
        raise TypeError(f"{opname_of(name)}: expected an array, got {type(x).__name__}")
    d = be.dtype_of(x)
    if d.kind not in "biuf":
        raise TypeError(f"{opname_of(name)}: does not accept {d.name} input (xops sorts to find "
                        "unique values; complex numbers have no order)")
    shape = tuple(x.shape)
    xf = manipulation.reshape(x, (-1,))
    n = xf.shape[0]
    if size is not None:
        size = operator.index(size)
    idx_d = be.default_int
    if n == 0:
        k = 0 if size is None else size
        empty_i = creation.zeros((k,), idx_d, like=x)
        vals = creation.full((k,), 0 if fill_value is None else fill_value, d, like=x)
        return vals, empty_i, creation.zeros(shape, idx_d, like=x), empty_i
    perm = indexing.argsort(xf, stable=True)
    s = indexing.take(xf, perm)
    first = creation.ones((1,), bool_, like=x)
    mask = manipulation.concatenate([first, ew.not_equal(s[1:], s[:-1])])
    if size is None:
        (starts,) = nonzero(mask)
        values = indexing.take(s, starts)
        indices = indexing.take(perm, starts) if "i" in want else None
        valid = None
    else:
        # one start more than kept, so the last kept group's count ends at the next start
        (ends,) = nonzero(mask, size=size + 1, fill_value=n)
        starts = ends[:size]
        valid = ew.less(starts, n)
        safe = ew.minimum(starts, n - 1)
        fill = s[0] if fill_value is None else fill_value
        values = indexing.where(valid, indexing.take(s, safe), fill)
        indices = (indexing.where(valid, indexing.take(perm, safe), perm[0])
                   if "i" in want else None)
    counts = None
    if "c" in want:
        if size is None:
            counts = diff(starts, append=creation.full((1,), n, idx_d, like=x))
        else:
            counts = diff(ends)
    inverse = None
    if "v" in want:
        gid = ew.subtract(reductions.cumsum(mask, dtype=idx_d), 1)
        inverse = manipulation.reshape(indexing.take(gid, indexing.argsort(perm)), shape)
    return values, indices, inverse, counts


@declare("set", ref="unique_all", composite=True)
def unique_all(x: Array, /, *, size: int | None = None, fill_value: Any = None
               ) -> UniqueAllResult:
    """Sorted unique elements of the flattened ``x`` with the index of each one's first
    occurrence, the inverse indices (shape of ``x``) and the counts; each NaN is distinct.

    Args:
        x: real or bool array. size, fill_value: for ``jax.jit`` (data-dependent output
        shape): truncate or pad the result to ``size`` entries; padded values are
        ``fill_value`` (default: the smallest value), padded counts 0, as in ``jax.numpy``.

    Returns:
        ``UniqueAllResult(values, indices, inverse_indices, counts)``; index arrays in the
        default integer dtype.
    """
    v, i, inv, c = _unique("unique_all", x, size, fill_value, "icv")
    return UniqueAllResult(v, i, inv, c)


@declare("set", ref="unique_counts", composite=True)
def unique_counts(x: Array, /, *, size: int | None = None, fill_value: Any = None
                  ) -> UniqueCountsResult:
    """Sorted unique elements of the flattened ``x`` and how often each occurs; each NaN is
    distinct (count 1).

    Args:
        x: real or bool array. size, fill_value: for ``jax.jit`` (data-dependent output
        shape): truncate or pad the result to ``size`` entries; padded values are
        ``fill_value`` (default: the smallest value), padded counts 0, as in ``jax.numpy``.

    Returns:
        ``UniqueCountsResult(values, counts)``; counts in the default integer dtype.
    """
    v, _, _, c = _unique("unique_counts", x, size, fill_value, "c")
    return UniqueCountsResult(v, c)


@declare("set", ref="unique_inverse", composite=True)
def unique_inverse(x: Array, /, *, size: int | None = None, fill_value: Any = None
                   ) -> UniqueInverseResult:
    """Sorted unique elements of the flattened ``x`` and, for every element of ``x``, the index
    of its value among them (same shape as ``x``); each NaN is distinct.

    Args:
        x: real or bool array. size, fill_value: for ``jax.jit`` (data-dependent output
        shape): truncate or pad the result to ``size`` entries; padded values are
        ``fill_value`` (default: the smallest value), padded counts 0, as in ``jax.numpy``.

    Returns:
        ``UniqueInverseResult(values, inverse_indices)``; indices in the default integer dtype.
    """
    v, _, inv, _ = _unique("unique_inverse", x, size, fill_value, "v")
    return UniqueInverseResult(v, inv)


@declare("set", ref="unique_values", composite=True)
def unique_values(x: Array, /, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Sorted unique elements of the flattened ``x``; each NaN is distinct (NumPy 2).

    Args:
        x: real or bool array. size, fill_value: for ``jax.jit`` (data-dependent output
        shape): truncate or pad the result to ``size`` entries; padded values are
        ``fill_value`` (default: the smallest value), padded counts 0, as in ``jax.numpy``.

    Returns:
        A 1-d array of ``x``'s backend and dtype.
    """
    return _unique("unique_values", x, size, fill_value, "")[0]


# --- statistical --------------------------------------------------------------------------------

def _cumulative(name: str, scan: Any, x: Array, axis: int | None, dtype: Any,
                include_initial: bool, initial: int) -> Array:
    be = resolve(name, x)
    if type(x) in PY_SCALARS:
        raise TypeError(f"{opname_of(name)}: expected an array, got {type(x).__name__}")
    nd = len(x.shape)
    if axis is None:
        if nd > 1:
            raise ValueError(f"{opname_of(name)}: axis is required for arrays with more than one "
                             "dimension")
        if nd == 0:
            x = manipulation.reshape(x, (1,))
        axis = 0
    ax = normalize_axis(name, axis, len(x.shape))
    out = scan(x, axis=ax, dtype=dtype)
    if include_initial:
        shp = list(out.shape)
        shp[ax] = 1
        init = creation.full(tuple(shp), initial, be.dtype_of(out), like=out)
        out = manipulation.concatenate([init, out], axis=ax)
    return out


@declare("reduction", composite=True)
def cumulative_sum(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Array:
    """Cumulative sum along ``axis`` (required for ndim > 1), optionally starting with the
    initial 0; accumulation dtype as for :func:`sum` (narrow integers widen to the default int).

    Args:
        x: array. axis: int (None for 0-d/1-d input). dtype: accumulation and result dtype.
        include_initial: prepend the sum of no elements (0) along ``axis``.

    Returns:
        An array of ``x``'s backend; ``axis`` has ``n + 1`` entries with ``include_initial``.
    """
    return _cumulative("cumulative_sum", reductions.cumsum, x, axis, dtype, include_initial, 0)


@declare("reduction", composite=True)
def cumulative_prod(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                    include_initial: bool = False) -> Array:
    """Cumulative product along ``axis`` (required for ndim > 1), optionally starting with the
    initial 1; accumulation dtype as for :func:`prod`.

    Args:
        x: array. axis: int (None for 0-d/1-d input). dtype: accumulation and result dtype.
        include_initial: prepend the product of no elements (1) along ``axis``.

    Returns:
        An array of ``x``'s backend; ``axis`` has ``n + 1`` entries with ``include_initial``.
    """
    return _cumulative("cumulative_prod", reductions.cumprod, x, axis, dtype, include_initial, 1)


def _edge(be: Any, x: Array, v: Any, ax: int) -> Array:
    """``prepend``/``append`` as an array: 0-d values broadcast to ``x``'s shape with size 1
    along ``ax`` (NumPy's rule); Python scalars are weak (they take ``x``'s dtype)."""
    if type(v) in PY_SCALARS or len(getattr(v, "shape", ())) == 0:
        shp = list(x.shape)
        shp[ax] = 1
        if type(v) in PY_SCALARS:
            d = _dtypes.weak_scalar_dtype(v, be.dtype_of(x), be.default_int, be.default_float)
            v = creation.asarray(v, dtype=d, like=x)
        return manipulation.broadcast_to(v, tuple(shp))
    return v


@declare("utility", composite=True)
def diff(x: Array, /, *, axis: int = -1, n: int = 1, prepend: Any = None,
         append: Any = None) -> Array:
    """The ``n``-th forward difference ``x[i+1] - x[i]`` along ``axis`` (bool input: ``!=``, as
    NumPy does); ``prepend``/``append`` are joined to ``x`` along ``axis`` first (dtypes
    promoted; Python scalars are weak, taking ``x``'s dtype where NumPy would widen to int64 or
    float64, and broadcast).

    Args:
        x: array with ndim >= 1. axis: the axis. n: number of times to difference (>= 0).
        prepend, append: arrays or scalars joined before/after ``x`` along ``axis``.

    Returns:
        An array of ``x``'s backend, ``n`` shorter along ``axis`` (plus the joined lengths).
    """
    be = resolve("diff", x)
    if type(x) in PY_SCALARS or len(x.shape) == 0:
        raise ValueError("xops.numpy.diff: input must be at least 1-d")
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"xops.numpy.diff: order must be non-negative, got {n}")
    nd = len(x.shape)
    ax = normalize_axis("diff", axis, nd)
    if n == 0:
        return x  # NumPy returns the input as is, without prepend/append
    if prepend is not None or append is not None:
        parts = [x]
        if prepend is not None:
            parts.insert(0, _edge(be, x, prepend, ax))
        if append is not None:
            parts.append(_edge(be, x, append, ax))
        x = manipulation.concatenate(parts, axis=ax)
    head = (slice(None),) * ax
    hi, lo = head + (slice(1, None),), head + (slice(None, -1),)
    op = ew.not_equal if be.dtype_of(x) is bool_ else ew.subtract
    for _ in range(n):
        if x.shape[ax] == 0:
            break
        x = op(x[hi], x[lo])
    return x


# --- creation -----------------------------------------------------------------------------------

@declare("creation")
def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None,
                like: Array | None = None) -> Array:
    """An array of ``like``'s (or the default) backend viewing the memory of any DLPack
    producer ``x`` (another framework's array included: this is the explicit, zero-copy
    conversion the standard defines). ``copy=True`` copies; the dtype is kept exactly.

    Args:
        x: an object with ``__dlpack__`` (numpy, jax, torch, tensorflow arrays...).
        device: target device (None: ``x``'s). copy: None (share when possible), True, False.
        like: array whose backend to produce.

    Returns:
        A native array of the target backend.
    """
    be = resolve("from_dlpack", like=like)
    out = call(be, "from_dlpack", x, device, copy)
    src = getattr(x, "dtype", None)
    if src is not None:
        try:
            want = _dtypes.canonical(src)
        except TypeError:
            want = None
        if want is not None and be.dtype_of(out) is not want:
            raise TypeError(f"xops.numpy.from_dlpack: the {be.name} backend turned {want.name} "
                            f"into {be.dtype_of(out).name}; xops never changes a dtype silently")
    return out

"""Indexing, sorting and searching: taking and putting elements (take, take_along_axis,
put_along_axis, select, diagonal/diag), sorting (sort, argsort, partition), searching (nonzero,
argwhere, searchsorted), index arithmetic (unravel_index, ravel_multi_index), and removing or
inserting sub-arrays at static indices (delete, insert: they select with ``take``).

``where`` is declared in elementwise.py (an element-wise select that the elementwise fallback
bodies use). The functions whose output shape depends on the data (nonzero, argwhere,
flatnonzero) take an optional ``size=`` (and ``fill_value=``), as ``jax.numpy`` does, so that
they also run under ``jax.jit``.
"""
from __future__ import annotations

import builtins
import operator
from typing import Any, Sequence

from .. import _dtypes
from .._dispatch import (
    PY_SCALARS,
    backend_of,
    call,
    check_kind,
    none_given,
    normalize_axis,
    normalize_shape,
    opname_of,
    promote_args,
    resolve,
)
from .._dtypes import bool_
from ..backends import Backend
from . import creation as _cr
from . import dtypes as _dt
from . import elementwise as _ew
from . import manipulation as _mp
from . import reductions as _rd
from ._common import _along, _err, _int_index, _is_float, _known_true, _nonzero, _prod, _shape
from ._registry import declare
from .creation import _array, _arrays, _is_array, _one

Array = Any


# --- taking elements -----------------------------------------------------------------------------


def _index_array(name: str, be: Any, idx: Any, x: Any) -> Any:
    if isinstance(idx, (list, tuple)) or type(idx) in PY_SCALARS:
        if isinstance(idx, (bool, float, complex)):
            raise TypeError(f"{opname_of(name)}: indices must be integers")
        # made on x's device: a GPU kernel must not meet host indices
        return call(be, "asarray", idx, be.check_dtype(be.default_int, name), be.k.device(x),
                    None)
    d = be.dtype_of(idx)
    if d.kind not in "iu":
        raise TypeError(f"{opname_of(name)}: indices must be integers, got {d.name}")
    return idx


@declare("indexing")
def take(x: Array, indices: Any, /, axis: int | None = None) -> Array:
    """Elements of ``x`` at integer ``indices`` along ``axis`` (None: of the flattened array).
    Negative indices count from the end; out-of-range indices raise on eager backends (their
    result is unspecified under jit).

    Args:
        x: array.
        indices: integer array of the same backend, int or list of ints.
        axis: int or None.

    Returns:
        An array of ``x``'s backend.
    """
    host = type(indices) in PY_SCALARS or isinstance(indices, (list, tuple))
    be = resolve("take", x, None if host else indices)
    idx = _index_array("take", be, indices, x)
    if axis is None:
        x = call(be, "reshape", x, (-1,))
        axis = 0
    ax = normalize_axis("take", axis, len(x.shape))
    return call(be, "take", x, idx, ax)


@declare("indexing")
def take_along_axis(x: Array, indices: Array, /, axis: int = -1) -> Array:
    """Pick values along ``axis`` using ``indices`` of the same rank (the output of argsort or
    argmax with keepdims); other axes broadcast. Negative indices count from the end.

    Args:
        x: array.
        indices: integer array of the same backend and ndim.
        axis: the axis.

    Returns:
        An array of ``x``'s backend.
    """
    be = resolve("take_along_axis", x, indices)
    idx = _index_array("take_along_axis", be, indices, x)
    nd = len(x.shape)
    if len(idx.shape) != nd:
        raise ValueError(f"xops.numpy.take_along_axis: indices need ndim {nd}, got "
                         f"{len(idx.shape)}")
    return call(be, "take_along_axis", x, idx, normalize_axis("take_along_axis", axis, nd))


@declare("indexing")
def put_along_axis(arr: Array, indices: Any, values: Any, axis: int | None) -> Array:
    """A copy of ``arr`` with ``values`` written at ``indices`` along ``axis`` (the inverse of
    ``take_along_axis``). Functional: **NumPy writes into ``arr`` in place and returns None;
    xops returns the new array and never mutates ``arr``**. ``indices`` has ``arr``'s ndim; its
    other axes broadcast against ``arr``'s (size 1 or equal), ``values`` broadcast to the
    indices' shape and are cast to ``arr``'s dtype. Negative indices count from the end. When an
    index repeats, which value lands is unspecified (as in NumPy under fancy indexing).

    Args:
        arr: array.
        indices: integer array (ndim of ``arr``; 1-d when ``axis`` is None).
        values: array, array-like or scalar.
        axis: int, or None for the flattened array.

    Returns:
        An array of ``arr``'s backend, shape and dtype.
    """
    be, (x, idx, v) = _arrays("put_along_axis", arr, indices, values)
    d = be.dtype_of(x)
    idx = _int_index("put_along_axis", be, idx)
    shape0 = _shape(x)
    if axis is None:
        if len(idx.shape) != 1:
            raise ValueError("xops.numpy.put_along_axis: with axis=None, indices must be 1-d")
        x = _mp.ravel(x)
        axis = 0
    nd = len(x.shape)
    if len(idx.shape) != nd:
        raise ValueError(f"xops.numpy.put_along_axis: indices need ndim {nd}, got "
                         f"{len(idx.shape)}")
    ax = normalize_axis("put_along_axis", axis, nd)
    xs, iss = _shape(x), _shape(idx)
    dims = []
    for i, (p, q) in enumerate(zip(xs, iss)):
        if i == ax:
            dims.append(q)
        elif q in (1, p):
            dims.append(p)
        else:
            raise ValueError(f"xops.numpy.put_along_axis: indices shape {iss} does not "
                             f"broadcast against the array shape {xs} outside axis {ax}")
    target = tuple(dims)
    n = xs[ax]
    idx = _mp.broadcast_to(idx, target)
    idx = _ew.where(_ew.less(idx, 0), _ew.add(idx, n), idx)
    v = _mp.broadcast_to(_dt.astype(v, d, copy=False), target)
    out = call(be, "put_along_axis", x, idx, v, ax)
    return out if _shape(out) == shape0 else _mp.reshape(out, shape0)


@declare("indexing", composite=True)
def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Array:
    """Elements of ``choicelist[i]`` where ``condlist[i]`` is the first true condition, else
    ``default``; everything broadcast together, choices and default promoted (a Python scalar
    ``default`` is weak, as everywhere in xops; NumPy 2 gives the same dtypes).

    Args:
        condlist: sequence of bool arrays.
        choicelist: sequence of arrays (same length).
        default: array or Python scalar.

    Returns:
        An array of the inputs' backend.
    """
    if not isinstance(condlist, (list, tuple)) or not isinstance(choicelist, (list, tuple)):
        raise TypeError("xops.numpy.select: condlist and choicelist must be sequences")
    if len(condlist) != len(choicelist):
        raise ValueError("xops.numpy.select: list of cases must be same length as list of "
                         "conditions")
    if not condlist:
        raise ValueError("xops.numpy.select: select with an empty condition list is not "
                         "possible")
    n = len(condlist)
    be, arrs = _arrays("select", *condlist, *choicelist,
                       *([default] if _is_array(default) else []))
    conds = arrs[:n]
    for i, c in enumerate(conds):
        if be.dtype_of(c) is not bool_:
            raise TypeError(f"xops.numpy.select: invalid entry {i} in condlist: should be a "
                            f"bool array, got {be.dtype_of(c).name}")
    rest = arrs[n:] if _is_array(default) else [*arrs[n:], default]
    promoted, _ = promote_args("select", be, rest, like=conds[0])
    out = promoted[-1]
    for c, ch in zip(reversed(conds), reversed(promoted[:-1])):
        out = _ew.where(c, ch, out)
    shp = _mp._broadcast_shapes("select", *(_shape(a) for a in (*conds, *promoted)))
    return out if _shape(out) == shp else _mp.broadcast_to(out, shp)


@declare("indexing")
def diagonal(a: Array, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The diagonal at ``offset`` of the 2-d sub-arrays in the plane ``(axis1, axis2)``
    (NumPy's function: these axes are removed and the diagonal becomes the last axis). Where
    the backend makes views (numpy, torch) the result is one, as in NumPy; do not write to it.

    Args:
        a: array with ndim >= 2.
        offset: diagonal offset (> 0 above the main diagonal).
        axis1: the first of the two distinct axes.
        axis2: the second of the two distinct axes.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    be, x = _one("diagonal", a)
    nd = len(x.shape)
    if nd < 2:
        raise ValueError(f"xops.numpy.diagonal: input must be at least 2-d, got shape "
                         f"{_shape(x)}")
    a1 = normalize_axis("diagonal", axis1, nd)
    a2 = normalize_axis("diagonal", axis2, nd)
    if a1 == a2:
        raise ValueError("xops.numpy.diagonal: axis1 and axis2 cannot be the same")
    return call(be, "diagonal", x, operator.index(offset), a1, a2)


@declare("indexing", needs=("pad",), composite=True)
def diag(v: Array, k: int = 0) -> Array:
    """For 1-d ``v``: a 2-d array with ``v`` on the ``k``-th diagonal (zeros elsewhere); for
    2-d ``v``: its ``k``-th diagonal.

    Args:
        v: 1-d or 2-d array.
        k: diagonal offset.

    Returns:
        An array of ``v``'s backend and dtype.
    """
    be, x = _one("diag", v)
    k = operator.index(k)
    nd = len(x.shape)
    if nd == 2:
        return diagonal(x, k)
    if nd != 1:
        raise ValueError(f"xops.numpy.diag: input must be 1-d or 2-d, got shape {_shape(x)}")
    n = x.shape[0]
    m = n + abs(k)
    d = be.dtype_of(x)
    # Row i of the result holds v[i] (k >= 0) or v[i - |k|] (k < 0) where the mask is true;
    # the padding is never selected. A where keeps NaN/inf/-0.0 exact (v * eye would not).
    col = _mp.pad(x, ((0, k),) if k >= 0 else ((-k, 0),), constant_values=False if d is bool_
                  else 0)
    mask = _cr.eye(m, m, k=k, dtype=bool_, like=x)
    return _ew.where(mask, _mp.reshape(col, (m, 1)), _cr.zeros((), dtype=d, like=x))


@declare("indexing", needs=("diag",), composite=True)
def diagflat(v: Array, k: int = 0) -> Array:
    """A 2-d array with the flattened ``v`` on the ``k``-th diagonal.

    Args:
        v: array (any shape).
        k: diagonal offset.

    Returns:
        A 2-d array of ``v``'s backend and dtype.
    """
    _, x = _one("diagflat", v)
    return diag(_mp.ravel(x), k)


# --- sorting -------------------------------------------------------------------------------------


def _sort(name: str, x: Array, axis: int | None, descending: bool, stable: bool
          ) -> tuple[Any, Array, int]:
    be = resolve(name, x)
    d = be.dtype_of(x)
    check_kind(name, d, "biuf")
    if axis is None:
        x = call(be, "reshape", x, (-1,))
        axis = -1
    return be, x, normalize_axis(name, axis, len(x.shape))


_SORT_ARGS = """
    Args:
        x: real array.
        axis: int or None.
        descending: {descending}.
        stable: accepted for the Array API ({stable}).

    Returns:
        {returns}
"""
_SORT_DOC = _SORT_ARGS.format(
    descending="sort in descending order", stable="xops sorts are always stable",
    returns="An array of ``x``'s backend and dtype.")
_ARGSORT_DOC = _SORT_ARGS.format(
    descending="descending order, ties still in index order", stable="always stable",
    returns="An array of the default integer dtype.")


@declare("sorting", doc_args=_SORT_DOC)
def sort(x: Array, /, axis: int | None = -1, *, descending: bool = False,
         stable: bool = True) -> Array:
    """Sorted copy along ``axis`` (None: flattened); NaN sorts last (first when descending)."""
    be, x, ax = _sort("sort", x, axis, descending, stable)
    return call(be, "sort", x, ax, bool(descending))


@declare("sorting", doc_args=_ARGSORT_DOC)
def argsort(x: Array, /, axis: int | None = -1, *, descending: bool = False,
            stable: bool = True) -> Array:
    """Indices that sort ``x`` along ``axis``; ties keep their order (stable), NaN last."""
    be, x, ax = _sort("argsort", x, axis, descending, stable)
    return call(be, "argsort", x, ax, bool(descending), be.check_dtype(be.default_int, "argsort"))


def _kth_axis(name: str, a: Any, kth: Any, axis: int | None) -> tuple[Array, int]:
    """``a`` as an array (flattened when ``axis`` is None) and the axis to partition, with
    ``kth`` checked against its length."""
    _, x = _array(name, a)
    if axis is None:
        x = _mp.reshape(x, (-1,))
        axis = 0
    ax = normalize_axis(name, axis, len(x.shape))
    _kth(name, kth, x.shape[ax])
    return x, ax


def _kth(name: str, kth: Any, n: int) -> None:
    ks = [kth] if not isinstance(kth, (list, tuple)) else list(kth)
    if backend_of(kth) is not None:
        raise TypeError(_err(name, "kth must be an int or a sequence of ints (static)"))
    for k in ks:
        k = operator.index(k)
        if not -n <= k < n:
            raise ValueError(_err(name, f"kth(={k}) out of bounds ({n})"))


@declare("sorting", composite=True)
def partition(a: Array, kth: Any, axis: int | None = -1, kind: str = "introselect",
              order: Any = None) -> Array:
    """An array whose ``kth`` element(s) along ``axis`` are where a sort would put them, smaller
    ones before, larger ones after (NaN last). xops returns the fully sorted array, which has
    that property on every backend (NumPy's arrangement within the parts is unspecified).

    Args:
        a: real array.
        kth: int or sequence of ints.
        axis: int or None (flattened).
        kind: accepted for NumPy compatibility.
        order: accepted for NumPy compatibility (must be None).

    Returns:
        An array of ``a``'s backend and dtype.
    """
    x, ax = _kth_axis("partition", a, kth, axis)
    return sort(x, axis=ax)


@declare("sorting", composite=True)
def argpartition(a: Array, kth: Any, axis: int | None = -1, kind: str = "introselect",
                 order: Any = None) -> Array:
    """Indices that partition ``a`` along ``axis`` around ``kth`` (see :func:`partition`): xops
    returns the stable argsort, which has the partition property.

    Args:
        a: real array.
        kth: int or sequence of ints.
        axis: int or None (flattened).
        kind: accepted for NumPy compatibility.
        order: accepted for NumPy compatibility.

    Returns:
        An array of the default integer dtype of ``a``'s backend.
    """
    x, ax = _kth_axis("argpartition", a, kth, axis)
    return argsort(x, axis=ax)


# --- searching -----------------------------------------------------------------------------------


@declare("searching")
def nonzero(x: Array, /, *, size: int | None = None, fill_value: int | None = None
            ) -> tuple[Array, ...]:
    """Indices of the non-zero (truthy) elements, one index array per dimension, in row-major
    order. The output shape depends on the data: under ``jax.jit`` pass ``size`` (results are
    truncated to, or padded up to, ``size`` entries with ``fill_value``, default 0), as
    ``jax.numpy.nonzero`` does; every backend accepts it.

    Args:
        x: array with ndim >= 1 (0-d input raises ValueError, as in NumPy 2).
        size: optional fixed number of results.
        fill_value: index used for padding.

    Returns:
        A tuple of ``x.ndim`` 1-d arrays of the default integer dtype.
    """
    return _nonzero(x, size, fill_value)


@declare("indexing")
def argwhere(a: Array, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Coordinates of the non-zero elements, one row per element in row-major order: shape
    ``(N, a.ndim)``. N depends on the values, so this runs eagerly only, unless ``size`` is
    given (as in jax.numpy): then exactly ``size`` rows, truncated or padded with
    ``fill_value`` (default 0), which works under jax.jit too.

    Args:
        a: array.
        size: static number of rows.
        fill_value: padding value.

    Returns:
        A 2-d array of the default integer dtype (NumPy: intp).
    """
    be, x = _one("argwhere", a)
    if size is not None:
        size = operator.index(size)
        if size < 0:
            raise ValueError("xops.numpy.argwhere: size must be non-negative")
    fill = 0 if fill_value is None else operator.index(fill_value)
    return call(be, "argwhere", x, size, fill, be.check_dtype(be.default_int, "argwhere"))


@declare("indexing", needs=("argwhere",), composite=True)
def flatnonzero(a: Array, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Indices of the non-zero elements of the flattened array (eager only unless ``size`` is
    given, see ``argwhere``).

    Args:
        a: array.
        size: static length.
        fill_value: padding value (default 0).

    Returns:
        A 1-d array of the default integer dtype.
    """
    _, x = _one("flatnonzero", a)
    return _mp.reshape(argwhere(_mp.ravel(x), size=size, fill_value=fill_value), (-1,))


@declare("searching")
def searchsorted(x1: Array, x2: Any, /, *, side: str = "left", sorter: Array | None = None
                 ) -> Array:
    """Insertion indices of ``x2`` into the sorted 1-d array ``x1`` that keep it sorted
    (``side='left'``: first suitable position; ``'right'``: last). NaN sorts after +inf, as in
    NumPy, on every backend. Inputs are promoted to one dtype.

    Args:
        x1: 1-d real array, sorted ascending unless ``sorter`` is given.
        x2: array or Python scalar of values to insert.
        side: 'left' or 'right'.
        sorter: integer indices that sort ``x1``.

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
        x1 = take(x1, sorter)
    (a, v), _ = promote_args("searchsorted", be, (x1, x2), kinds="biuf")
    return call(be, "searchsorted", a, v, side, be.check_dtype(be.default_int, "searchsorted"))


def _searchsorted(be: Backend, name: str, a: Array, v: Array, right: bool) -> Array:
    """Insertion points of ``v`` into the sorted 1-d ``a`` (same dtype); NaN in ``v`` goes after
    everything, as in NumPy (backends' binary searches disagree on NaN)."""
    idx = be.check_dtype(be.default_int, name)
    r = call(be, "searchsorted", a, v, "right" if right else "left", idx)
    if _is_float(be.dtype_of(v)):
        r = _ew.where(_ew.isnan(v), a.shape[0], r)
    return r


# --- index arithmetic ----------------------------------------------------------------------------


@declare("indexing", composite=True)
def unravel_index(indices: Any, shape: Any, order: str = "C") -> tuple[Array, ...]:
    """Convert flat indices into a tuple of coordinate arrays for an array of ``shape``
    (``order`` 'C' row-major or 'F'). Out-of-range indices raise eagerly; under tracing (jit,
    vmap, tf.function) they are not checked and the result is unspecified.

    Args:
        indices: integer array (or int / list of ints).
        shape: sequence of ints.
        order: 'C' or 'F'.

    Returns:
        A tuple of arrays of the default integer dtype (NumPy: intp, i.e. int64; int32 on jax
        without x64), one per dimension.
    """
    be, x = _one("unravel_index", indices)
    dims = normalize_shape("unravel_index", shape)
    if order not in ("C", "F"):
        raise ValueError(f"xops.numpy.unravel_index: order must be 'C' or 'F', got {order!r}")
    if builtins.any(s < 0 for s in dims):
        raise ValueError("xops.numpy.unravel_index: dimensions must be non-negative")
    x = _int_index("unravel_index", be, x)
    if not dims and len(x.shape):  # NumPy's rule: a 0-d array has one index, of shape ()
        raise ValueError(f"xops.numpy.unravel_index: indices of shape {tuple(x.shape)} for a 0-d "
                         "array; only a 0-d index is supported there")
    total = _prod(dims)
    bad = _ew.less(x, 0)
    if total <= _dtypes.iinfo(be.default_int).max:
        bad = _ew.logical_or(bad, _ew.greater_equal(x, total))
    bad = _rd.any(bad)
    if _known_true(be, bad):
        raise ValueError(f"xops.numpy.unravel_index: an index is out of bounds for an array "
                         f"of size {total} (on the {be.name} backend)")
    out = []
    walk = reversed(dims) if order == "C" else iter(dims)
    for d in walk:
        d1 = builtins.max(d, 1)
        out.append(_ew.remainder(x, d1))
        x = _ew.floor_divide(x, d1)
    return tuple(reversed(out)) if order == "C" else tuple(out)


_MODES = ("raise", "wrap", "clip")


@declare("indexing", composite=True)
def ravel_multi_index(multi_index: Sequence[Any], dims: Sequence[int], mode: Any = "raise",
                      order: str = "C") -> Array:
    """Convert a tuple of coordinate arrays into flat indices for an array of shape ``dims``.
    ``mode`` (one, or one per dimension): 'raise' (out-of-range raises eagerly; unchecked and
    unspecified under tracing), 'wrap' (modulo) or 'clip'.

    Args:
        multi_index: sequence of integer arrays (or ints), one per dimension, broadcast together.
        dims: sequence of ints.
        mode: 'raise', 'wrap', 'clip' or a sequence of those.
        order: 'C' or 'F'.

    Returns:
        An array of the default integer dtype (NumPy: intp).
    """
    dims = normalize_shape("ravel_multi_index", tuple(dims))
    if not isinstance(multi_index, (list, tuple)) or len(multi_index) != len(dims):
        raise ValueError(f"xops.numpy.ravel_multi_index: expected a sequence of {len(dims)} "
                         "index arrays, one per dimension")
    if not dims:
        raise ValueError("xops.numpy.ravel_multi_index: dims must not be empty")
    if order not in ("C", "F"):
        raise ValueError(f"xops.numpy.ravel_multi_index: order must be 'C' or 'F', got "
                         f"{order!r}")
    modes = tuple(mode) if isinstance(mode, (list, tuple)) else (mode,) * len(dims)
    if len(modes) != len(dims) or builtins.any(m not in _MODES for m in modes):
        raise ValueError(f"xops.numpy.ravel_multi_index: mode must be one of {_MODES} or one "
                         f"per dimension, got {mode!r}")
    be, arrs = _arrays("ravel_multi_index", *multi_index)
    arrs = _mp.broadcast_arrays(*[_int_index("ravel_multi_index", be, a) for a in arrs])
    strides = []
    acc = 1
    for d in (reversed(dims) if order == "C" else dims):
        strides.append(acc)
        acc *= d
    if order == "C":
        strides.reverse()
    out = None
    for i, (a, d, m, st) in enumerate(zip(arrs, dims, modes, strides)):
        if m == "wrap":
            a = _ew.remainder(a, builtins.max(d, 1))
        elif m == "clip":
            a = _ew.clip(a, 0, builtins.max(d - 1, 0))
        else:
            bad = _rd.any(_ew.logical_or(_ew.less(a, 0), _ew.greater_equal(a, d)))
            if _known_true(be, bad):
                raise ValueError(f"xops.numpy.ravel_multi_index: invalid entry in coordinates "
                                 f"array {i} (out of bounds for dimension of size {d}; on the "
                                 f"{be.name} backend)")
        term = a if st == 1 else _ew.multiply(a, st)
        out = term if out is None else _ew.add(out, term)
    return out


# --- removing and inserting sub-arrays at static indices -----------------------------------------


@declare("shape", composite=True)
def delete(arr: Array, obj: Any, axis: int | None = None) -> Array:
    """A new array without the sub-arrays at ``obj`` along ``axis`` (None: of the flattened
    array). ``obj`` is static: an int, a slice, or a sequence (or NumPy array) of ints or bools
    (a mask); arrays of other backends are not accepted (the result shape depends on it).

    Args:
        arr: array.
        obj: int, slice, or sequence of ints/bools.
        axis: int or None.

    Returns:
        An array of ``arr``'s backend and dtype.
    """
    _, x = _one("delete", arr)
    if axis is None:
        x = _mp.ravel(x)
        axis = 0
    ax = normalize_axis("delete", axis, len(x.shape))
    n = x.shape[ax]
    if isinstance(obj, slice):
        drop = set(range(*obj.indices(n)))
        start, stop, step = obj.indices(n)
        if step == 1:
            if start >= stop:
                return take(x, list(range(n)), axis=ax)
            return _mp.concatenate([x[_along(ax, slice(0, start))],
                                    x[_along(ax, slice(stop, None))]], axis=ax)
    else:
        idx = _static_index("delete", obj, n)
        if isinstance(idx, int):
            return _mp.concatenate([x[_along(ax, slice(0, idx))],
                                    x[_along(ax, slice(idx + 1, None))]], axis=ax)
        drop = set(idx)
    keep = [i for i in range(n) if i not in drop]
    return take(x, keep, axis=ax)


def _static_ints(name: str, obj: Any) -> tuple[list[int], bool, bool]:
    """A static index spec as (ints, is_scalar, was_bool_mask), in pure Python (so it traces
    under torch.compile): an int, a sequence of ints or of bools, or a NumPy array of those."""
    if _is_array(obj):
        b = resolve(name, obj)
        if b.name != "numpy":
            raise TypeError(f"{opname_of(name)}: obj must be static (an int, a slice, or a "
                            f"sequence or NumPy array of ints or bools), got a {b.name} array: "
                            "the result shape depends on it")
        obj = obj.tolist()
    if isinstance(obj, (list, tuple)):
        if builtins.any(isinstance(e, (list, tuple)) for e in obj):
            raise ValueError(f"{opname_of(name)}: obj must be a scalar or 1-d")
        if obj and builtins.all(isinstance(e, bool) for e in obj):
            return [i for i, e in enumerate(obj) if e], False, True
        vals, scalar = list(obj), False
    elif isinstance(obj, bool):
        raise ValueError(f"{opname_of(name)}: a boolean obj must be 1-d")
    else:
        vals, scalar = [obj], True
    try:
        return [operator.index(v) for v in vals], scalar, False
    except TypeError:
        raise IndexError(f"{opname_of(name)}: obj must hold integers or bools, got "
                         f"{obj!r}") from None


def _static_index(name: str, obj: Any, n: int) -> int | list[int]:
    """An int (non-negative) or a list of non-negative ints from a static index spec."""
    vals, scalar, mask = _static_ints(name, obj)
    if mask:
        if len(obj) != n:
            raise ValueError(f"{opname_of(name)}: boolean obj must have one entry per element "
                             f"of the axis ({n}), got {len(obj)}")
        return vals
    for v in vals:
        if not -n <= v < n:
            raise IndexError(f"{opname_of(name)}: index {v} is out of bounds for an axis of "
                             f"size {n}")
    vals = [v + n if v < 0 else v for v in vals]
    return vals[0] if scalar else vals


@declare("shape", composite=True)
def insert(arr: Array, obj: Any, values: Any, axis: int | None = None) -> Array:
    """A new array with ``values`` inserted before the indices ``obj`` along ``axis`` (None: of
    the flattened array), with NumPy's rules: an int ``obj`` inserts all of ``values`` there
    (``values`` axis 0 becomes the insertion axis), a slice or sequence inserts one sub-array
    per index (``values`` broadcast). ``values`` is cast to ``arr``'s dtype. ``obj`` is static
    (int, slice, sequence or NumPy array of ints or bools).

    Args:
        arr: array.
        obj: int, slice or sequence.
        values: array or array-like.
        axis: int or None.

    Returns:
        An array of ``arr``'s backend and dtype.
    """
    be, x = _one("insert", arr)
    d = be.dtype_of(x)
    if values is None:
        raise none_given("insert")
    if isinstance(values, (str, bytes)) or not (
            type(values) in PY_SCALARS or isinstance(values, (list, tuple))
            or hasattr(values, "dtype")):
        t = type(values)
        raise TypeError(f"xops.numpy.insert: unsupported argument type "
                        f"{t.__module__}.{t.__qualname__} for values; pass an array, a Python "
                        "scalar or a sequence of numbers")
    if _is_array(values):
        resolve("insert", x, values)
        v = _dt.astype(values, d, copy=False)
    else:
        v = _cr.asarray(values, dtype=d, like=x)
    if axis is None:
        x = _mp.ravel(x)
        axis = 0
    nd = len(x.shape)
    ax = normalize_axis("insert", axis, nd)
    n = x.shape[ax]
    if isinstance(obj, slice):
        ind, scalar = list(range(*obj.indices(n))), False
    else:
        ind, scalar, _ = _static_ints("insert", obj)
    vs = _shape(v)
    if len(vs) < nd:
        v = _mp.reshape(v, (1,) * (nd - len(vs)) + vs)
    for i in ind:
        if not -n <= i <= n:
            raise IndexError(f"xops.numpy.insert: index {i} is out of bounds for axis {ax} "
                             f"with size {n}")
    ind = [i + n if i < 0 else i for i in ind]
    if len(ind) == 1:
        index = ind[0]
        if scalar:
            v = _mp.moveaxis(v, 0, ax)
        slot = list(_shape(x))
        slot[ax] = _shape(v)[ax]
        v = _mp.broadcast_to(v, tuple(slot))
        return _mp.concatenate([x[_along(ax, slice(0, index))], v,
                                x[_along(ax, slice(index, None))]], axis=ax)
    numnew = len(ind)
    if numnew == 0:
        return take(x, list(range(n)), axis=ax)
    # NumPy's placement: the j-th smallest index (stable) moves right by j.
    for rank, j in enumerate(sorted(range(numnew), key=lambda j: ind[j])):
        ind[j] += rank
    slot = list(_shape(x))
    slot[ax] = numnew
    v = _mp.broadcast_to(v, tuple(slot))
    total = n + numnew
    src = [-1] * total
    for j, p in enumerate(ind):
        src[p] = n + j
    old = iter(range(n))
    src = [next(old) if s < 0 else s for s in src]
    return take(_mp.concatenate([x, v], axis=ax), src, axis=ax)

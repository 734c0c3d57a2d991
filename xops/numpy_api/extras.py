"""NumPy names beyond the Array API standard (shape, creation, selection and misc helpers).

Most of these are compositions of other xops ops (so they run on every backend and under every
transform); a few call kernels of the ``extras`` section (``xops/backends/extras/``) where the
frameworks have the op natively or where a composition cannot be exact: ``diagonal``, ``copy``,
``argwhere``, ``put_along_axis``, ``tril_indices``/``triu_indices`` and the eager bounds check
``known_true``.

Array-like arguments that are not arrays (Python scalars, nested lists) are converted with
``asarray`` onto the backend of the array arguments, as NumPy converts them with ``asarray``:
they are *strong* (``append(int8_array, 5)`` is int64, as in NumPy), except where a docstring
says they are weak (``select``'s ``default``).
"""
from __future__ import annotations

import builtins
import math
import operator
from typing import Any, Sequence

from .. import _dtypes
from .._dispatch import (PY_SCALARS, call, dtype_arg, normalize_axis, normalize_shape,
                         opname_of, promote_args, resolve)
from .._dtypes import bool_
from ..backends import Backend, backend_of
from . import creation as _cr
from . import elementwise as _ew
from . import indexing as _ix
from . import manipulation as _mp
from . import reductions as _rd
from ._registry import declare

Array = Any


# --- helpers ------------------------------------------------------------------------------------

def _is_array(v: Any) -> bool:
    return v is not None and type(v) not in PY_SCALARS and backend_of(v) is not None


def _arrays(name: str, *objs: Any) -> tuple[Backend, list[Any]]:
    """The backend of the array arguments, with the array-likes among ``objs`` converted to it
    (``asarray`` with that backend's defaults, on the first array's device)."""
    arrs = [o for o in objs if _is_array(o)]
    be = resolve(name, *arrs)
    like = arrs[0] if arrs else None
    out = []
    for o in objs:
        if o is None or _is_array(o):
            out.append(o)
        elif isinstance(o, (list, tuple)) or type(o) in PY_SCALARS:
            out.append(_cr.asarray(o, like=like))
        else:
            raise TypeError(f"{opname_of(name)}: unsupported argument type "
                            f"{type(o).__module__}.{type(o).__qualname__}; pass an array of "
                            "numpy, jax, torch or tensorflow, a Python scalar or a nested list")
    return be, out


def _one(name: str, x: Any) -> tuple[Backend, Array]:
    be, (a,) = _arrays(name, x)
    return be, a


def _shape(x: Array) -> tuple[int, ...]:
    return tuple(x.shape)


def _along(ax: int, sl: slice) -> tuple:
    """An index selecting ``sl`` along axis ``ax`` (native basic slicing works on every
    backend, under jit too)."""
    return (slice(None),) * ax + (sl,)


def _mul(a: Array, b: Array) -> Array:
    """NumPy's multiply, which is logical and for two bool arrays (xops' multiply is numeric)."""
    if _is_array(a) and _is_array(b):
        be = resolve("multiply", a, b)
        if be.dtype_of(a) is bool_ and be.dtype_of(b) is bool_:
            return _ew.logical_and(a, b)
    return _ew.multiply(a, b)


def _known_true(be: Backend, cond: Array) -> bool:
    """True when ``cond`` (a 0-d bool) is concretely true; False when false or when its value is
    not known (jax tracing, torch.compile/vmap, tf.function graphs): such checks raise eagerly and
    are skipped under tracing, where the result is then unspecified."""
    return bool(call(be, "known_true", cond))


def _int_index(name: str, be: Backend, x: Array) -> Array:
    d = be.dtype_of(x)
    if d.kind not in "iu":
        raise TypeError(f"{opname_of(name)}: only integer indices are accepted, got {d.name}")
    di = be.default_int
    return x if d is di else _ix.astype(x, di)


def _prod(vals: Sequence[int]) -> int:
    p = 1
    for v in vals:
        p *= v
    return p


# --- shape: joining, splitting, rotating ---------------------------------------------------------

@declare("shape", composite=True)
def append(arr: Any, values: Any, axis: int | None = None) -> Array:
    """Values appended to the end of ``arr`` (NumPy ``append``): with ``axis`` None both are
    flattened first, otherwise they are concatenated along ``axis``; dtypes are promoted.

    Args:
        arr: array (or array-like). values: array or array-like (converted like ``asarray``, as
        NumPy does). axis: int or None.

    Returns:
        An array of ``arr``'s backend.
    """
    _, (a, v) = _arrays("append", arr, values)
    if axis is None:
        return _mp.concatenate([_mp.ravel(a), _mp.ravel(v)], axis=0)
    return _mp.concatenate([a, v], axis=axis)


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
            a = _mp.reshape(a, s2)
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


def _seq(name: str, tup: Any) -> list[Any]:
    if not isinstance(tup, (list, tuple)):
        raise TypeError(f"{opname_of(name)}: expected a sequence of arrays, got "
                        f"{type(tup).__name__}")
    if not tup:
        raise ValueError(f"{opname_of(name)}: need at least one array to concatenate")
    return list(tup)


def _cast(x: Array, dtype: Any, name: str) -> Array:
    d = dtype_arg(name, dtype)
    return x if d is None else _ix.astype(x, d, copy=False)


@declare("shape", composite=True)
def vstack(tup: Sequence[Any], *, dtype: Any = None) -> Array:
    """Stack arrays row-wise: inputs made at least 2-d, then joined along axis 0.

    Args:
        tup: sequence of arrays of one backend. dtype: optional result dtype (cast after joining
        the promoted inputs).

    Returns:
        An array of the inputs' backend.
    """
    arrs = _atleast("vstack", 2, _seq("vstack", tup))
    return _cast(_mp.concatenate(arrs, axis=0), dtype, "vstack")


@declare("shape", composite=True)
def hstack(tup: Sequence[Any], *, dtype: Any = None) -> Array:
    """Stack arrays column-wise: joined along axis 1, or along axis 0 for 1-d inputs (0-d
    inputs become 1-d).

    Args:
        tup: sequence of arrays of one backend. dtype: optional result dtype.

    Returns:
        An array of the inputs' backend.
    """
    arrs = _atleast("hstack", 1, _seq("hstack", tup))
    axis = 0 if len(arrs[0].shape) == 1 else 1
    return _cast(_mp.concatenate(arrs, axis=axis), dtype, "hstack")


@declare("shape", composite=True)
def dstack(tup: Sequence[Any]) -> Array:
    """Stack arrays depth-wise: inputs made at least 3-d (see ``atleast_3d``), joined along
    axis 2.

    Args:
        tup: sequence of arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    return _mp.concatenate(_atleast("dstack", 3, _seq("dstack", tup)), axis=2)


@declare("shape", composite=True)
def column_stack(tup: Sequence[Any]) -> Array:
    """Stack 1-d arrays as columns of a 2-d array (0-d inputs become ``(1, 1)``, 2-d inputs are
    joined as they are), along axis 1.

    Args:
        tup: sequence of arrays of one backend.

    Returns:
        An array of the inputs' backend.
    """
    _, arrs = _arrays("column_stack", *_seq("column_stack", tup))
    cols = [(_mp.reshape(a, (-1, 1)) if len(a.shape) < 2 else a) for a in arrs]
    return _mp.concatenate(cols, axis=1)


@declare("shape", composite=True)
def array_split(ary: Array, indices_or_sections: Any, axis: int = 0) -> list[Array]:
    """Split into ``indices_or_sections`` parts that may differ in length (the first
    ``n % sections`` parts get one more element), or at the given indices.

    Args:
        ary: array. indices_or_sections: int > 0 or sequence of split points. axis: the axis.

    Returns:
        A list of arrays of ``ary``'s backend.
    """
    _, x = _one("array_split", ary)
    if isinstance(indices_or_sections, (list, tuple)):
        return _mp.split(x, list(indices_or_sections), axis=axis)
    ax = normalize_axis("array_split", axis, len(x.shape))
    sections = operator.index(indices_or_sections)
    if sections <= 0:
        raise ValueError("xops.numpy.array_split: number sections must be larger than 0")
    each, extra = divmod(x.shape[ax], sections)
    points, at = [], 0
    for i in range(sections - 1):
        at += each + (1 if i < extra else 0)
        points.append(at)
    return _mp.split(x, points, axis=ax)


def _split_at(name: str, ary: Any, ios: Any, min_nd: int, axis_of: Any) -> list[Array]:
    _, x = _one(name, ary)
    nd = len(x.shape)
    if nd < min_nd:
        raise ValueError(f"{opname_of(name)}: needs an array of at least {min_nd} dimensions, "
                         f"got shape {_shape(x)}")
    return _mp.split(x, ios, axis=axis_of(nd))


@declare("shape", composite=True)
def hsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split horizontally (along axis 1, or axis 0 for 1-d input) into equal sections or at
    indices (``split`` rules).

    Args:
        ary: array with ndim >= 1. indices_or_sections: int or sequence of split points.

    Returns:
        A list of arrays of ``ary``'s backend.
    """
    return _split_at("hsplit", ary, indices_or_sections, 1, lambda nd: 1 if nd > 1 else 0)


@declare("shape", composite=True)
def vsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split vertically (along axis 0) an array of ndim >= 2 (``split`` rules).

    Args:
        ary: array with ndim >= 2. indices_or_sections: int or sequence of split points.

    Returns:
        A list of arrays of ``ary``'s backend.
    """
    return _split_at("vsplit", ary, indices_or_sections, 2, lambda nd: 0)


@declare("shape", composite=True)
def dsplit(ary: Array, indices_or_sections: Any) -> list[Array]:
    """Split along the third axis an array of ndim >= 3 (``split`` rules).

    Args:
        ary: array with ndim >= 3. indices_or_sections: int or sequence of split points.

    Returns:
        A list of arrays of ``ary``'s backend.
    """
    return _split_at("dsplit", ary, indices_or_sections, 3, lambda nd: 2)


@declare("shape", composite=True)
def rot90(m: Array, k: int = 1, axes: Sequence[int] = (0, 1)) -> Array:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``, from the first axis towards
    the second (NumPy ``rot90``).

    Args:
        m: array with ndim >= 2. k: number of rotations (any int). axes: two distinct axes.

    Returns:
        An array of ``m``'s backend (``m`` itself when ``k % 4 == 0``).
    """
    _, x = _one("rot90", m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("xops.numpy.rot90: len(axes) must be 2")
    nd = len(x.shape)
    a0 = normalize_axis("rot90", axes[0], nd)
    a1 = normalize_axis("rot90", axes[1], nd)
    if a0 == a1:
        raise ValueError(f"xops.numpy.rot90: axes must be different, got {axes}")
    k = operator.index(k) % 4
    if k == 0:
        return x
    if k == 2:
        return _mp.flip(_mp.flip(x, axis=a0), axis=a1)
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return _mp.transpose(_mp.flip(x, axis=a1), perm)
    return _mp.flip(_mp.transpose(x, perm), axis=a1)


@declare("shape", composite=True)
def fliplr(m: Array) -> Array:
    """Reverse the order along axis 1 (left/right).

    Args:
        m: array with ndim >= 2.

    Returns:
        An array of ``m``'s backend.
    """
    _, x = _one("fliplr", m)
    if len(x.shape) < 2:
        raise ValueError("xops.numpy.fliplr: input must be >= 2-d")
    return _mp.flip(x, axis=1)


@declare("shape", composite=True)
def flipud(m: Array) -> Array:
    """Reverse the order along axis 0 (up/down).

    Args:
        m: array with ndim >= 1.

    Returns:
        An array of ``m``'s backend.
    """
    _, x = _one("flipud", m)
    if len(x.shape) < 1:
        raise ValueError("xops.numpy.flipud: input must be >= 1-d")
    return _mp.flip(x, axis=0)


@declare("shape", composite=True)
def resize(a: Array, new_shape: Any) -> Array:
    """A new array of shape ``new_shape`` filled with the flattened ``a`` repeated cyclically
    (zeros when ``a`` is empty), as NumPy's function (not the in-place method) does.

    Args:
        a: array. new_shape: int or sequence of non-negative ints.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _, x = _one("resize", a)
    shape = normalize_shape("resize", new_shape)
    if builtins.any(s < 0 for s in shape):
        raise ValueError("xops.numpy.resize: all elements of new_shape must be non-negative")
    total = _prod(shape)
    flat = _mp.ravel(x)
    n = _prod(_shape(x))
    if n == 0 or total == 0:
        return _cr.zeros(shape, dtype=_dtype(x), like=x)
    reps = -(-total // n)
    if reps > 1:
        flat = _mp.tile(flat, reps)
    return _mp.reshape(flat[:total], shape)


def _dtype(x: Array) -> Any:
    return resolve("dtype", x).dtype_of(x)


@declare("shape", composite=True)
def delete(arr: Array, obj: Any, axis: int | None = None) -> Array:
    """A new array without the sub-arrays at ``obj`` along ``axis`` (None: of the flattened
    array). ``obj`` is static: an int, a slice, or a sequence (or NumPy array) of ints or bools
    (a mask); arrays of other backends are not accepted (the result shape depends on it).

    Args:
        arr: array. obj: int, slice, or sequence of ints/bools. axis: int or None.

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
                return _ix.take(x, list(range(n)), axis=ax)
            return _mp.concatenate([x[_along(ax, slice(0, start))],
                                    x[_along(ax, slice(stop, None))]], axis=ax)
    else:
        idx = _static_index("delete", obj, n)
        if isinstance(idx, int):
            return _mp.concatenate([x[_along(ax, slice(0, idx))],
                                    x[_along(ax, slice(idx + 1, None))]], axis=ax)
        drop = set(idx)
    keep = [i for i in range(n) if i not in drop]
    return _ix.take(x, keep, axis=ax)


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
        arr: array. obj: int, slice or sequence. values: array or array-like.
        axis: int or None.

    Returns:
        An array of ``arr``'s backend and dtype.
    """
    be, x = _one("insert", arr)
    d = be.dtype_of(x)
    if _is_array(values):
        resolve("insert", x, values)
        v = _ix.astype(values, d, copy=False)
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
        return _ix.take(x, list(range(n)), axis=ax)
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
    return _ix.take(_mp.concatenate([x, v], axis=ax), src, axis=ax)


# --- diagonals and triangles ---------------------------------------------------------------------

@declare("indexing")
def diagonal(a: Array, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The diagonal at ``offset`` of the 2-d sub-arrays in the plane ``(axis1, axis2)``
    (NumPy's function: these axes are removed and the diagonal becomes the last axis). Where
    the backend makes views (numpy, torch) the result is one, as in NumPy; do not write to it.

    Args:
        a: array with ndim >= 2. offset: diagonal offset (> 0 above the main diagonal).
        axis1, axis2: the two distinct axes.

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


@declare("indexing", composite=True)
def diag(v: Array, k: int = 0) -> Array:
    """For 1-d ``v``: a 2-d array with ``v`` on the ``k``-th diagonal (zeros elsewhere); for
    2-d ``v``: its ``k``-th diagonal.

    Args:
        v: 1-d or 2-d array. k: diagonal offset.

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
    return _ix.where(mask, _mp.reshape(col, (m, 1)), _cr.zeros((), dtype=d, like=x))


@declare("indexing", composite=True)
def diagflat(v: Array, k: int = 0) -> Array:
    """A 2-d array with the flattened ``v`` on the ``k``-th diagonal.

    Args:
        v: array (any shape). k: diagonal offset.

    Returns:
        A 2-d array of ``v``'s backend and dtype.
    """
    _, x = _one("diagflat", v)
    return diag(_mp.ravel(x), k)


@declare("reduction", composite=True)
def trace(a: Array, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Array:
    """Sum along the diagonal at ``offset`` of the plane ``(axis1, axis2)`` (NumPy's function;
    the Array API's last-two-axes form is ``xnp.linalg.trace``). Accumulates like ``sum``:
    bool and small integers in the default integer dtype.

    Args:
        a: array with ndim >= 2. offset: diagonal offset. axis1, axis2: the plane.
        dtype: accumulation and result dtype.

    Returns:
        An array of ``a``'s backend with the two axes removed.
    """
    return _rd.sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


@declare("creation", composite=True)
def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = None, *, device: Any = None,
        like: Array | None = None) -> Array:
    """An ``(N, M)`` array with ones at and below the ``k``-th diagonal, zeros above.

    Args:
        N: rows. M: columns (default ``N``). k: diagonal offset. dtype: result dtype (default:
        the backend's default float, as NumPy's float). device: backend device.
        like: array whose backend and device to use.

    Returns:
        A native 2-d array.
    """
    be = resolve("tri", like=like)
    N = operator.index(N)
    M = N if M is None else operator.index(M)
    k = builtins.max(-N - 1, builtins.min(operator.index(k), M + 1))  # fits any int dtype
    d = dtype_arg("tri", dtype) or be.default_float
    rows = _mp.reshape(_arange(be, N, None, device, like), (N, 1))
    cols = _mp.reshape(_arange(be, M, None, device, like), (1, M))
    return _ix.astype(_ew.less_equal(_ew.subtract(cols, rows), k), d)


def _ar(be: Backend, n: int, dtype: Any = None) -> Array:
    """arange(n) on backend ``be`` (for creation functions given no ``like``)."""
    return call(be, "arange", 0, n, 1, be.check_dtype(dtype_arg("arange", dtype) or
                                                     be.default_int, "arange"), None)


def _arange(be: Backend, n: int, dtype: Any, device: Any, like: Any) -> Array:
    if like is None and device is None:
        return _ar(be, n, dtype)
    return _cr.arange(n, dtype=dtype, device=device, like=like)


@declare("creation", composite=True)
def vander(x: Array, N: int | None = None, increasing: bool = False) -> Array:
    """The Vandermonde matrix of the 1-d ``x``: columns are powers ``x**(N-1), ..., x**0``
    (ascending with ``increasing``), computed as running products like NumPy. The dtype is
    ``x``'s promoted with the default integer under the xops table (NumPy promotes with int64
    under its own table, so NumPy gives float64 for float32 input where xops keeps float32).

    Args:
        x: 1-d array. N: number of columns (default ``len(x)``). increasing: power order.

    Returns:
        A 2-d array of ``x``'s backend.
    """
    be, v = _one("vander", x)
    if len(v.shape) != 1:
        raise ValueError(f"xops.numpy.vander: x must be a one-dimensional array, got shape "
                         f"{_shape(v)}")
    n = v.shape[0]
    N = n if N is None else operator.index(N)
    if N < 0:
        raise ValueError("xops.numpy.vander: N must be non-negative")
    d = _dtypes.promote_types(be.dtype_of(v), be.default_int)
    be.check_dtype(d, "vander")
    v = _ix.astype(v, d, copy=False)
    if N == 0:
        return _cr.zeros((n, 0), dtype=d, like=v)
    cols = [_cr.ones_like(v)]
    for _ in range(1, N):
        cols.append(_ew.multiply(cols[-1], v))
    if not increasing:
        cols.reverse()
    return _mp.stack(cols, axis=1)


@declare("creation")
def tril_indices(n: int, k: int = 0, m: int | None = None, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, Array]:
    """Row and column indices of the lower triangle (at and below the ``k``-th diagonal) of an
    ``(n, m)`` array, in row-major order. Static shapes: works under jit.

    Args:
        n: rows. k: diagonal offset. m: columns (default ``n``). device: backend device.
        like: array whose backend and device to use.

    Returns:
        A tuple ``(rows, cols)`` of 1-d arrays of the default integer dtype (NumPy: intp, i.e.
        int64; int32 on jax without x64).
    """
    return _tri_indices("tril_indices", n, k, m, device, like)


@declare("creation")
def triu_indices(n: int, k: int = 0, m: int | None = None, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, Array]:
    """Row and column indices of the upper triangle (at and above the ``k``-th diagonal) of an
    ``(n, m)`` array, in row-major order. Static shapes: works under jit.

    Args:
        n: rows. k: diagonal offset. m: columns (default ``n``). device: backend device.
        like: array whose backend and device to use.

    Returns:
        A tuple ``(rows, cols)`` of 1-d arrays of the default integer dtype.
    """
    return _tri_indices("triu_indices", n, k, m, device, like)


def _tri_indices(name: str, n: Any, k: Any, m: Any, device: Any, like: Any) -> tuple:
    be = resolve(name, like=like)
    n = operator.index(n)
    m = n if m is None else operator.index(m)
    if n < 0 or m < 0:
        raise ValueError(f"{opname_of(name)}: n and m must be non-negative")
    k = builtins.max(-n - 1, builtins.min(operator.index(k), m + 1))
    native = be.check_dtype(be.default_int, name)
    dev = device if device is not None or like is None else be.k.device(like)
    return tuple(call(be, name, n, k, m, native, dev))


@declare("creation", composite=True)
def diag_indices(n: int, ndim: int = 2, *, device: Any = None,
                 like: Array | None = None) -> tuple[Array, ...]:
    """Indices of the main diagonal of an ``ndim``-dimensional array of side ``n``: ``ndim``
    times ``arange(n)``.

    Args:
        n: side length. ndim: number of dimensions. device: backend device.
        like: array whose backend and device to use.

    Returns:
        A tuple of ``ndim`` 1-d arrays of the default integer dtype.
    """
    be = resolve("diag_indices", like=like)
    idx = _arange(be, operator.index(n), None, device, like)
    return (idx,) * operator.index(ndim)


@declare("creation", composite=True)
def indices(dimensions: Sequence[int], dtype: Any = None, sparse: bool = False, *,
            device: Any = None, like: Array | None = None) -> Any:
    """A grid of indices: array ``i`` of the result varies along axis ``i`` only
    (shape ``(len(dimensions), *dimensions)``); with ``sparse``, a tuple of arrays of shape
    ``(1, ..., d_i, ..., 1)`` instead.

    Args:
        dimensions: sequence of ints. dtype: result dtype (default integer). sparse: return
        the broadcastable pieces. device: backend device. like: backend/device source.

    Returns:
        A native array, or a tuple of arrays when ``sparse``.
    """
    be = resolve("indices", like=like)
    dims = normalize_shape("indices", tuple(dimensions))
    nd = len(dims)
    d = dtype_arg("indices", dtype) or be.default_int
    parts = []
    for i, n in enumerate(dims):
        r = _arange(be, n, d, device, like)
        parts.append(_mp.reshape(r, (1,) * i + (n,) + (1,) * (nd - i - 1)))
    if sparse:
        return tuple(parts)
    if not parts:
        return _cr.zeros((0,), dtype=d, device=device, like=like) if like is not None else \
            call(be, "zeros", (0,), be.check_dtype(d, "indices"), device)
    return _mp.stack([_mp.broadcast_to(p, dims) for p in parts], axis=0)


# --- creation ------------------------------------------------------------------------------------

def _real_scalar(name: str, v: Any, what: str) -> float:
    if type(v) not in PY_SCALARS or isinstance(v, complex):
        raise TypeError(f"{opname_of(name)}: {what} must be a real Python scalar, got "
                        f"{type(v).__name__} (array or complex endpoints are not supported)")
    return float(v)


def _axis0(name: str, axis: Any) -> None:
    if operator.index(axis) not in (0, -1):
        raise ValueError(f"{opname_of(name)}: the result is 1-d, axis must be 0 or -1")


@declare("creation", composite=True)
def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10.0,
             dtype: Any = None, axis: int = 0, *, device: Any = None,
             like: Array | None = None) -> Array:
    """``base ** linspace(start, stop, num)``: ``num`` samples evenly spaced on a log scale,
    computed in the backend's default float (NumPy: float64; jax without x64: float32), then
    cast to ``dtype`` if given. ``start``/``stop``/``base`` are real Python scalars here.

    Args:
        start, stop: exponents of the first and last sample. num: number of samples.
        endpoint: include ``base ** stop``. base: the log base. dtype: result dtype.
        axis: 0 (the result is 1-d). device: backend device. like: backend/device source.

    Returns:
        A 1-d native array.
    """
    _real_scalar("logspace", start, "start")
    _real_scalar("logspace", stop, "stop")
    _real_scalar("logspace", base, "base")
    _axis0("logspace", axis)
    y = _cr.linspace(start, stop, num, endpoint=endpoint, device=device, like=like)
    return _cast(_ew.power(float(base), y), dtype, "logspace")


@declare("creation", composite=True)
def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, dtype: Any = None,
              axis: int = 0, *, device: Any = None, like: Array | None = None) -> Array:
    """``num`` samples evenly spaced on a log scale from ``start`` to ``stop`` (a geometric
    progression; both negative gives a negative progression; endpoints are exact), computed in
    the backend's default float, then cast to ``dtype``. Real Python scalar endpoints only.

    Args:
        start, stop: non-zero real Python scalars. num: number of samples.
        endpoint: include ``stop``. dtype: result dtype. axis: 0 (the result is 1-d).
        device: backend device. like: backend/device source.

    Returns:
        A 1-d native array.
    """
    s = _real_scalar("geomspace", start, "start")
    e = _real_scalar("geomspace", stop, "stop")
    _axis0("geomspace", axis)
    if s == 0 or e == 0:
        raise ValueError("xops.numpy.geomspace: a geometric sequence cannot include zero")
    num = operator.index(num)
    sign = 1.0 if s > 0 else -1.0
    s, e = s * sign, e * sign
    ls = math.log10(s)
    le = math.log10(e) if e > 0 else math.nan  # mixed signs: NaN inside, as NumPy
    out = logspace(ls, le, num, endpoint, 10.0, device=device, like=like)
    if num > 0:
        be = resolve("geomspace", out)
        idx = _arange(be, num, None, None, out)
        out = _ix.where(_ew.equal(idx, 0), s, out)
        if num > 1 and endpoint:
            out = _ix.where(_ew.equal(idx, num - 1), e, out)
    if sign < 0:
        out = _ew.negative(out)
    return _cast(out, dtype, "geomspace")


@declare("creation", composite=True)
def array(object: Any, dtype: Any = None, *, copy: bool | None = True, ndmin: int = 0,  # noqa: A002
          device: Any = None, like: Array | None = None) -> Array:
    """An array from nested Python data or an array of the target backend: ``asarray`` that
    copies by default (NumPy 2's ``copy``: True always, None when needed, False never),
    with ``ndmin`` leading size-1 axes added as needed.

    Args:
        object: Python scalar, nested sequence or array. dtype: result dtype. copy: see above.
        ndmin: minimum number of dimensions. device: backend device.
        like: array whose backend (and device) to use.

    Returns:
        A native array.
    """
    x = _cr.asarray(object, dtype=dtype, device=device, copy=copy, like=like)
    s = _shape(x)
    ndmin = operator.index(ndmin)
    if len(s) < ndmin:
        x = _mp.reshape(x, (1,) * (ndmin - len(s)) + s)
    return x


@declare("creation")
def copy(a: Array, order: str = "K") -> Array:
    """A copy of ``a`` (same backend, dtype and device; torch keeps autograd history, as
    ``clone`` does). ``order`` is accepted for NumPy compatibility; layouts are the backend's.

    Args:
        a: array. order: 'K', 'C', 'F' or 'A' (ignored outside numpy).

    Returns:
        A native array.
    """
    be, x = _one("copy", a)
    if order not in ("K", "C", "F", "A"):
        raise ValueError(f"xops.numpy.copy: order must be one of 'K', 'C', 'F', 'A', got "
                         f"{order!r}")
    return call(be, "copy", x, order)


# --- shape queries -------------------------------------------------------------------------------

def _py_shape(name: str, a: Any) -> tuple:
    if _is_array(a):
        return tuple(a.shape)
    if type(a) in PY_SCALARS:
        return ()
    if isinstance(a, (list, tuple)):
        if not a:
            return (0,)
        inner = [_py_shape(name, e) for e in a]
        if builtins.any(s != inner[0] for s in inner):
            raise ValueError(f"{opname_of(name)}: the nested sequence is ragged")
        return (len(a), *inner[0])
    raise TypeError(f"{opname_of(name)}: unsupported argument type {type(a).__name__}")


@declare("shape", composite=True)
def shape(a: Any) -> tuple:
    """The shape of an array (or of nested Python data) as a tuple of ints; static, so it works
    under jit (tensorflow graphs may hold None for unknown sizes).

    Args:
        a: array, Python scalar or nested sequence.

    Returns:
        A tuple of Python ints.
    """
    return _py_shape("shape", a)


@declare("shape", composite=True)
def ndim(a: Any) -> int:
    """The number of dimensions of an array (or of nested Python data).

    Args:
        a: array, Python scalar or nested sequence.

    Returns:
        A Python int.
    """
    return len(_py_shape("ndim", a))


@declare("shape", composite=True)
def size(a: Any, axis: Any = None) -> int:
    """The number of elements, in total or along ``axis`` (an int or a tuple of ints).

    Args:
        a: array, Python scalar or nested sequence. axis: None, int or tuple of ints.

    Returns:
        A Python int.
    """
    s = _py_shape("size", a)
    if axis is None:
        return _prod(s)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return _prod([s[normalize_axis("size", ax, len(s))] for ax in axes])


# --- products ------------------------------------------------------------------------------------

def _numeric(name: str, be: Backend, *xs: Array) -> None:
    for x in xs:
        if be.dtype_of(x) is bool_:
            raise TypeError(f"{opname_of(name)}: does not accept bool input; cast with "
                            "xnp.astype (xops products are numeric)")


@declare("linalg", composite=True)
def inner(a: Array, b: Array) -> Array:
    """Inner product over the last axes (no conjugation): shape ``a.shape[:-1] +
    b.shape[:-1]``; a 0-d operand multiplies. Dtypes are promoted.

    Args:
        a, b: numeric arrays of one backend with equal last dimensions.

    Returns:
        An array of the inputs' backend.
    """
    be, (x, y) = _arrays("inner", a, b)
    na, nb = len(x.shape), len(y.shape)
    if na == 0 or nb == 0:
        return _mul(x, y)
    _numeric("inner", be, x, y)
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"xops.numpy.inner: last dimensions differ: {_shape(x)} and "
                         f"{_shape(y)}")
    return _ix.tensordot(x, y, axes=([na - 1], [nb - 1]))


@declare("linalg", composite=True)
def vdot(a: Array, b: Array) -> Array:
    """Dot product of the flattened arrays, conjugating ``a`` first (complex), accumulated in
    the promoted dtype (like NumPy: no widening of small integers).

    Args:
        a, b: numeric arrays of one backend with the same number of elements.

    Returns:
        A 0-d array of the inputs' backend.
    """
    be, (x, y) = _arrays("vdot", a, b)
    _numeric("vdot", be, x, y)
    x, y = _mp.ravel(x), _mp.ravel(y)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"xops.numpy.vdot: vectors have different lengths ({x.shape[0]} and "
                         f"{y.shape[0]})")
    return _ix.matmul(_ew.conj(x), y)


@declare("linalg", composite=True)
def kron(a: Array, b: Array) -> Array:
    """Kronecker product: blocks of ``b`` scaled by each element of ``a`` (operands padded with
    leading size-1 axes to the same rank); dtypes promoted, two bool operands give bool.

    Args:
        a, b: arrays of one backend.

    Returns:
        An array of the inputs' backend with shape ``a.shape * b.shape`` elementwise.
    """
    _, (x, y) = _arrays("kron", a, b)
    sa, sb = _shape(x), _shape(y)
    if not sa or not sb:
        return _mul(x, y)
    nd = builtins.max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    xi = _mp.reshape(x, tuple(v for s in sa for v in (s, 1)))
    yi = _mp.reshape(y, tuple(v for s in sb for v in (1, s)))
    return _mp.reshape(_mul(xi, yi), tuple(p * q for p, q in zip(sa, sb)))


@declare("linalg", composite=True)
def cross(a: Array, b: Array, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Array:
    """Cross product of 2- or 3-element vectors along ``axisa``/``axisb`` (``axis`` sets all
    three), broadcasting the other axes; a missing third component counts as zero, two
    2-vectors give the scalar z component. The result vectors lie along ``axisc``. (NumPy's
    function; ``xnp.linalg.cross`` is the Array API form.)

    Args:
        a, b: numeric arrays of one backend. axisa, axisb, axisc: vector axes of a, b and the
        result. axis: overrides the three.

    Returns:
        An array of the inputs' backend.
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    be, (x, y) = _arrays("cross", a, b)
    (x, y), _ = promote_args("cross", be, (x, y), kinds="iufc")
    if len(x.shape) < 1 or len(y.shape) < 1:
        raise ValueError("xops.numpy.cross: inputs must be at least 1-d")
    x = _mp.moveaxis(x, normalize_axis("cross", axisa, len(x.shape)), -1)
    y = _mp.moveaxis(y, normalize_axis("cross", axisb, len(y.shape)), -1)
    na, nb = x.shape[-1], y.shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("xops.numpy.cross: incompatible dimensions for cross product "
                         "(dimension must be 2 or 3)")
    mul, sub = _ew.multiply, _ew.subtract
    a0, a1, b0, b1 = x[..., 0], x[..., 1], y[..., 0], y[..., 1]
    cp2 = sub(mul(a0, b1), mul(a1, b0))
    if na == 2 and nb == 2:
        return cp2
    if na == 2:
        b2 = y[..., 2]
        cp0, cp1 = mul(a1, b2), _ew.negative(mul(a0, b2))
    elif nb == 2:
        a2 = x[..., 2]
        cp0, cp1 = _ew.negative(mul(a2, b1)), mul(a2, b0)
    else:
        a2, b2 = x[..., 2], y[..., 2]
        cp0, cp1 = sub(mul(a1, b2), mul(a2, b1)), sub(mul(a2, b0), mul(a0, b2))
    shp = _mp._broadcast_shapes("cross", _shape(cp0), _shape(cp1), _shape(cp2))
    cp = _mp.stack([_mp.broadcast_to(c, shp) for c in (cp0, cp1, cp2)], axis=-1)
    return _mp.moveaxis(cp, -1, normalize_axis("cross", axisc, len(cp.shape)))


# --- index arithmetic ----------------------------------------------------------------------------

@declare("indexing", composite=True)
def unravel_index(indices: Any, shape: Any, order: str = "C") -> tuple[Array, ...]:
    """Convert flat indices into a tuple of coordinate arrays for an array of ``shape``
    (``order`` 'C' row-major or 'F'). Out-of-range indices raise eagerly; under tracing (jit,
    vmap, tf.function) they are not checked and the result is unspecified.

    Args:
        indices: integer array (or int / list of ints). shape: sequence of ints.
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
        dims: sequence of ints. mode: 'raise', 'wrap', 'clip' or a sequence of those.
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
            a = _ix.clip(a, 0, builtins.max(d - 1, 0))
        else:
            bad = _rd.any(_ew.logical_or(_ew.less(a, 0), _ew.greater_equal(a, d)))
            if _known_true(be, bad):
                raise ValueError(f"xops.numpy.ravel_multi_index: invalid entry in coordinates "
                                 f"array {i} (out of bounds for dimension of size {d}; on the "
                                 f"{be.name} backend)")
        term = a if st == 1 else _ew.multiply(a, st)
        out = term if out is None else _ew.add(out, term)
    return out


@declare("indexing")
def put_along_axis(arr: Array, indices: Any, values: Any, axis: int | None) -> Array:
    """A copy of ``arr`` with ``values`` written at ``indices`` along ``axis`` (the inverse of
    ``take_along_axis``). Functional: **NumPy writes into ``arr`` in place and returns None;
    xops returns the new array and never mutates ``arr``**. ``indices`` has ``arr``'s ndim; its
    other axes broadcast against ``arr``'s (size 1 or equal), ``values`` broadcast to the
    indices' shape and are cast to ``arr``'s dtype. Negative indices count from the end. When an
    index repeats, which value lands is unspecified (as in NumPy under fancy indexing).

    Args:
        arr: array. indices: integer array (ndim of ``arr``; 1-d when ``axis`` is None).
        values: array, array-like or scalar. axis: int, or None for the flattened array.

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
    target = []
    for i, (p, q) in enumerate(zip(xs, iss)):
        if i == ax:
            target.append(q)
        elif q in (1, p):
            target.append(p)
        else:
            raise ValueError(f"xops.numpy.put_along_axis: indices shape {iss} does not "
                             f"broadcast against the array shape {xs} outside axis {ax}")
    target = tuple(target)
    n = xs[ax]
    idx = _mp.broadcast_to(idx, target)
    idx = _ix.where(_ew.less(idx, 0), _ew.add(idx, n), idx)
    v = _mp.broadcast_to(_ix.astype(v, d, copy=False), target)
    out = call(be, "put_along_axis", x, idx, v, ax)
    return out if _shape(out) == shape0 else _mp.reshape(out, shape0)


# --- selection -----------------------------------------------------------------------------------

@declare("indexing", composite=True)
def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Array:
    """Elements of ``choicelist[i]`` where ``condlist[i]`` is the first true condition, else
    ``default``; everything broadcast together, choices and default promoted (a Python scalar
    ``default`` is weak, as everywhere in xops; NumPy 2 gives the same dtypes).

    Args:
        condlist: sequence of bool arrays. choicelist: sequence of arrays (same length).
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
        out = _ix.where(c, ch, out)
    shp = _mp._broadcast_shapes("select", *(_shape(a) for a in (*conds, *promoted)))
    return out if _shape(out) == shp else _mp.broadcast_to(out, shp)


@declare("indexing")
def argwhere(a: Array, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Coordinates of the non-zero elements, one row per element in row-major order: shape
    ``(N, a.ndim)``. N depends on the values, so this runs eagerly only, unless ``size`` is
    given (as in jax.numpy): then exactly ``size`` rows, truncated or padded with
    ``fill_value`` (default 0), which works under jax.jit too.

    Args:
        a: array. size: static number of rows. fill_value: padding value.

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


@declare("indexing", composite=True)
def flatnonzero(a: Array, *, size: int | None = None, fill_value: Any = None) -> Array:
    """Indices of the non-zero elements of the flattened array (eager only unless ``size`` is
    given, see ``argwhere``).

    Args:
        a: array. size: static length. fill_value: padding value (default 0).

    Returns:
        A 1-d array of the default integer dtype.
    """
    _, x = _one("flatnonzero", a)
    return _mp.reshape(argwhere(_mp.ravel(x), size=size, fill_value=fill_value), (-1,))

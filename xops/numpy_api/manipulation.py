"""Shape manipulation. Axes and shapes are normalised here so every kernel receives the same
plain Python ints and tuples.

NumPy's joining, splitting and rotating helpers (vstack, array_split, rot90, resize, ...) are
compositions of the Array API ops; their array-like arguments are converted with
``creation.asarray`` (see ``creation._arrays``). Shape queries (shape, ndim, size,
broadcast_shapes) return Python values.
"""
from __future__ import annotations

import builtins
import operator
from typing import Any, Sequence

from .._dispatch import (
    PY_SCALARS,
    call,
    none_given,
    normalize_axes,
    normalize_axis,
    normalize_shape,
    opname_of,
    promote_args,
    resolve,
)
from . import creation as _cr
from ._common import _backend, _dtype, _prod, _shape
from ._registry import declare
from .creation import _is_array, _one

Array = Any


@declare("shape")
def reshape(x: Array, /, shape: Any, *, copy: bool | None = None) -> Array:
    """Array with the same data and a new shape (one dimension may be -1).

    Args:
        x: array.
        shape: int or tuple of ints.
        copy: accepted for the Array API; False raises if a copy would be needed on backends that
            report it.

    Returns:
        An array of ``x``'s backend (a view where the backend can make one).
    """
    be = _backend("reshape", x)
    shape = normalize_shape("reshape", shape)
    if builtins.sum(1 for s in shape if s == -1) > 1:
        raise ValueError("xops.numpy.reshape: can only specify one unknown dimension (-1)")
    return call(be, "reshape", x, shape)


@declare("shape", composite=True)
def ravel(x: Array, /) -> Array:
    """The array flattened to 1-d (C order).

    Args:
        x: array.

    Returns:
        A 1-d array of ``x``'s backend.
    """
    return reshape(x, (-1,))


@declare("shape", aliases=("permute_dims",))
def transpose(x: Array, /, axes: Sequence[int] | None = None) -> Array:
    """Permute the axes (default: reverse them).

    Args:
        x: array.
        axes: a permutation of ``range(x.ndim)`` (negative entries allowed).

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("transpose", x)
    nd = len(x.shape)
    if axes is None:
        perm = tuple(range(nd - 1, -1, -1))
    else:
        perm = tuple(normalize_axis("transpose", a, nd) for a in axes)
        if sorted(perm) != list(range(nd)):
            raise ValueError(f"xops.numpy.transpose: axes {tuple(axes)} are not a permutation of "
                             f"the {nd} axes")
    return call(be, "transpose", x, perm)


@declare("shape", composite=True)
def matrix_transpose(x: Array, /) -> Array:
    """Swap the last two axes (Array API ``matrix_transpose``).

    Args:
        x: array with ndim >= 2.

    Returns:
        An array of ``x``'s backend.
    """
    if len(x.shape) < 2:
        raise ValueError("xops.numpy.matrix_transpose: input must be at least 2-d")
    return swapaxes(x, -1, -2)


def _as_axes(name: str, a: Any, nd: int) -> list[int]:
    seq = a if isinstance(a, (tuple, list)) else [a]
    out = [normalize_axis(name, v, nd) for v in seq]
    if len(set(out)) != len(out):
        raise ValueError(f"{opname_of(name)}: repeated axis in {a}")
    return out


@declare("shape", composite=True)
def moveaxis(x: Array, source: Any, destination: Any, /) -> Array:
    """Move axes ``source`` to positions ``destination``, keeping the others in order.

    Args:
        x: array.
        source: ints or sequences of ints of equal length.
        destination: ints or sequences of ints of equal length.

    Returns:
        An array of ``x``'s backend.
    """
    nd = len(x.shape)
    src = _as_axes("moveaxis", source, nd)
    dst = _as_axes("moveaxis", destination, nd)
    if len(src) != len(dst):
        raise ValueError("xops.numpy.moveaxis: source and destination need the same length")
    order = [a for a in range(nd) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(x, order)


@declare("shape", composite=True)
def swapaxes(x: Array, axis1: int, axis2: int, /) -> Array:
    """Interchange two axes.

    Args:
        x: array.
        axis1: the first axis.
        axis2: the second axis.

    Returns:
        An array of ``x``'s backend.
    """
    nd = len(x.shape)
    a = normalize_axis("swapaxes", axis1, nd)
    b = normalize_axis("swapaxes", axis2, nd)
    perm = list(range(nd))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(x, perm)


@declare("shape")
def expand_dims(x: Array, /, axis: Any = 0) -> Array:
    """Insert size-1 axes at ``axis`` (positions in the result).

    Args:
        x: array.
        axis: int or tuple of ints.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("expand_dims", x)
    seq = axis if isinstance(axis, (tuple, list)) else (axis,)
    out_nd = len(x.shape) + len(seq)
    axes = sorted(normalize_axis("expand_dims", a, out_nd) for a in seq)
    if len(set(axes)) != len(axes):
        raise ValueError(f"xops.numpy.expand_dims: repeated axis in {axis}")
    for a in axes:
        x = call(be, "expand_dims", x, a)
    return x


@declare("shape")
def squeeze(x: Array, /, axis: Any = None) -> Array:
    """Remove size-1 axes (all of them when ``axis`` is None).

    Args:
        x: array.
        axis: None, int or tuple of ints; each must have size 1.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("squeeze", x)
    shape = tuple(x.shape)
    axes = normalize_axes("squeeze", axis, len(shape))
    if axes is None:
        axes = tuple(i for i, s in enumerate(shape) if s == 1)
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"xops.numpy.squeeze: cannot squeeze axis {a} of size {shape[a]}")
    if not axes:
        return x
    return call(be, "squeeze", x, axes)


def _seq(name: str, arrays: Any, empty: str = "need at least one array") -> list[Any]:
    """``arrays`` (a list or tuple of arrays, not empty, no None) as a list; ``empty``: the
    error message for an empty one."""
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(f"{opname_of(name)}: expected a sequence of arrays, got "
                        f"{type(arrays).__name__}")
    if not arrays:
        raise ValueError(f"{opname_of(name)}: {empty}")
    if any(a is None for a in arrays):
        raise none_given(name)
    return list(arrays)


@declare("shape", aliases=("concat",))
def concatenate(arrays: Sequence[Array], /, axis: int | None = 0) -> Array:
    """Join arrays along an existing axis (None: flatten them first); dtypes are promoted.

    Args:
        arrays: sequence of arrays of one backend.
        axis: int or None.

    Returns:
        An array of the inputs' backend.
    """
    arrays = _seq("concatenate", arrays)
    be = resolve("concatenate", *arrays)
    arrs, _ = promote_args("concatenate", be, arrays)
    if axis is None:
        arrs = [call(be, "reshape", a, (-1,)) for a in arrs]
        axis = 0
    nd = len(arrs[0].shape)
    if nd == 0:
        raise ValueError("xops.numpy.concatenate: zero-dimensional arrays cannot be concatenated")
    for a in arrs[1:]:
        if len(a.shape) != nd:
            raise ValueError("xops.numpy.concatenate: all inputs need the same number of "
                             f"dimensions, got {nd} and {len(a.shape)}")
    return call(be, "concatenate", arrs, normalize_axis("concatenate", axis, nd))


@declare("shape")
def stack(arrays: Sequence[Array], /, axis: int = 0) -> Array:
    """Join arrays of equal shape along a new axis; dtypes are promoted.

    Args:
        arrays: sequence of arrays of one backend.
        axis: position of the new axis.

    Returns:
        An array of the inputs' backend.
    """
    arrays = _seq("stack", arrays)
    be = resolve("stack", *arrays)
    arrs, _ = promote_args("stack", be, arrays)
    shape = tuple(arrs[0].shape)
    for a in arrs[1:]:
        if tuple(a.shape) != shape:
            raise ValueError(f"xops.numpy.stack: all inputs need the same shape, got {shape} and "
                             f"{tuple(a.shape)}")
    return call(be, "stack", arrs, normalize_axis("stack", axis, len(shape) + 1))


@declare("shape")
def split(x: Array, indices_or_sections: Any, /, axis: int = 0) -> list[Array]:
    """Split into equal sections (an int that must divide the axis) or at the given indices.

    Args:
        x: array.
        indices_or_sections: int or sorted sequence of split points.
        axis: the axis.

    Returns:
        A list of arrays of ``x``'s backend.
    """
    be = _backend("split", x)
    ax = normalize_axis("split", axis, len(x.shape))
    n = x.shape[ax]
    if isinstance(indices_or_sections, (list, tuple)):
        points = [builtins.min(builtins.max(operator.index(i) + (n if i < 0 else 0), 0), n)
                  for i in indices_or_sections]
        bounds = [0, *points, n]
        sizes = [builtins.max(b - a, 0) for a, b in zip(bounds[:-1], bounds[1:])]
        starts = bounds[:-1]
    else:
        k = operator.index(indices_or_sections)
        if k <= 0 or n % k:
            raise ValueError(f"xops.numpy.split: array split does not result in an equal "
                             f"division ({n} into {k})")
        sizes = [n // k] * k
        starts = [i * (n // k) for i in range(k)]
    return list(call(be, "split", x, starts, sizes, ax))


def _broadcast_shapes(name: str, *shapes: tuple[int, ...]) -> tuple[int, ...]:
    nd = 0
    for s in shapes:  # builtins.max(..., default=) does not trace under torch.compile
        nd = nd if nd >= len(s) else len(s)
    out = [1] * nd
    for s in shapes:
        for i, v in enumerate(s, nd - len(s)):
            if v != 1:
                if out[i] not in (1, v):
                    raise ValueError(f"{opname_of(name)}: shapes {', '.join(map(str, shapes))} "
                                     "cannot be broadcast together")
                out[i] = v
    return tuple(out)


@declare("shape")
def broadcast_to(x: Array, /, shape: Any) -> Array:
    """Broadcast ``x`` to ``shape`` (NumPy rules).

    Args:
        x: array.
        shape: target shape.

    Returns:
        An array of ``x``'s backend (a read-only view where the backend makes one).
    """
    be = _backend("broadcast_to", x)
    shape = normalize_shape("broadcast_to", shape)
    if _broadcast_shapes("broadcast_to", tuple(x.shape), shape) != shape:
        raise ValueError(f"xops.numpy.broadcast_to: cannot broadcast shape {tuple(x.shape)} to "
                         f"{shape}")
    return call(be, "broadcast_to", x, shape)


@declare("shape", composite=True)
def broadcast_arrays(*arrays: Array) -> list[Array]:
    """Broadcast arrays against each other.

    Args:
        *arrays: arrays of one backend.

    Returns:
        A list of arrays with the common shape.
    """
    resolve("broadcast_arrays", *arrays)
    shape = _broadcast_shapes("broadcast_arrays", *(tuple(a.shape) for a in arrays))
    return [broadcast_to(a, shape) for a in arrays]


@declare("shape")
def flip(x: Array, /, axis: Any = None) -> Array:
    """Reverse the order of elements along ``axis`` (None: all axes).

    Args:
        x: array.
        axis: None, int or tuple of ints.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("flip", x)
    nd = len(x.shape)
    axes = normalize_axes("flip", axis, nd)
    if axes is None:
        axes = tuple(range(nd))
    if not axes:
        return x
    return call(be, "flip", x, axes)


@declare("shape")
def roll(x: Array, /, shift: Any, axis: Any = None) -> Array:
    """Roll elements along ``axis``; with ``axis`` None the flattened array is rolled and the
    shape restored.

    Args:
        x: array.
        shift: int or tuple of ints.
        axis: None, int or tuple matching ``shift``.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("roll", x)
    shape = tuple(x.shape)
    shifts = tuple(operator.index(s) for s in (shift if isinstance(shift, (tuple, list))
                                                else (shift,)))
    if axis is None:
        flat = call(be, "reshape", x, (-1,))
        total = builtins.sum(shifts)
        return call(be, "reshape", call(be, "roll", flat, (total,), (0,)), shape)
    axes_in = axis if isinstance(axis, (tuple, list)) else (axis,)
    axes = tuple(normalize_axis("roll", a, len(shape)) for a in axes_in)
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ValueError("xops.numpy.roll: shift and axis must have the same length")
    return call(be, "roll", x, shifts, axes)


@declare("shape")
def tile(x: Array, reps: Any, /) -> Array:
    """Repeat the whole array ``reps`` times along each axis (NumPy's padding rules).

    Args:
        x: array.
        reps: int or tuple of ints.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("tile", x)
    reps = tuple(operator.index(r) for r in (reps if isinstance(reps, (tuple, list)) else (reps,)))
    if builtins.any(r < 0 for r in reps):
        raise ValueError("xops.numpy.tile: reps must be non-negative")
    nd = len(x.shape)
    if len(reps) < nd:
        reps = (1,) * (nd - len(reps)) + reps
    elif len(reps) > nd:
        x = call(be, "reshape", x, (1,) * (len(reps) - nd) + tuple(x.shape))
    return call(be, "tile", x, reps)


@declare("shape")
def repeat(x: Array, repeats: Any, /, axis: int | None = None) -> Array:
    """Repeat each element ``repeats`` times along ``axis`` (None: of the flattened array).

    Args:
        x: array.
        repeats: int, or a sequence/1-d integer array with one count per element.
        axis: int or None.

    Returns:
        An array of ``x``'s backend.
    """
    be = _backend("repeat", x)
    if axis is None:
        x = call(be, "reshape", x, (-1,))
        axis = 0
    ax = normalize_axis("repeat", axis, len(x.shape))
    if isinstance(repeats, (list, tuple)):
        reps: Any = tuple(operator.index(r) for r in repeats)
    elif type(repeats) in PY_SCALARS:
        reps = operator.index(repeats)
    else:
        resolve("repeat", x, repeats)
        reps = repeats
    if isinstance(reps, int):
        if reps < 0:
            raise ValueError("xops.numpy.repeat: repeats must be non-negative")
    elif isinstance(reps, tuple):
        if len(reps) == 1:
            reps = reps[0]
        elif len(reps) != x.shape[ax]:
            raise ValueError(f"xops.numpy.repeat: {len(reps)} repeats for an axis of length "
                             f"{x.shape[ax]}")
    return call(be, "repeat", x, reps, ax)


_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


@declare("shape")
def pad(x: Array, pad_width: Any, /, mode: str = "constant", *, constant_values: Any = 0) -> Array:
    """Pad an array (modes: constant, edge, reflect, symmetric, wrap).

    Args:
        x: array.
        pad_width: int, (before, after) or one (before, after) per axis.
        mode: padding mode.
        constant_values: scalar fill for ``mode='constant'``.

    Returns:
        An array of ``x``'s backend and dtype.
    """
    be = _backend("pad", x)
    if mode not in _PAD_MODES:
        raise ValueError(f"xops.numpy.pad: mode must be one of {_PAD_MODES}, got {mode!r}")
    nd = len(x.shape)
    pw = pad_width
    if isinstance(pw, int) or (not isinstance(pw, (tuple, list))):
        pw = ((operator.index(pw), operator.index(pw)),) * nd
    elif len(pw) == 2 and all(isinstance(v, int) for v in pw):
        pw = (tuple(pw),) * nd
    elif len(pw) == 1:
        p = pw[0]
        pw = ((p, p) if isinstance(p, int) else tuple(p),) * nd
    pw = tuple((operator.index(a), operator.index(b)) for a, b in pw)
    if len(pw) != nd or builtins.any(a < 0 or b < 0 for a, b in pw):
        raise ValueError(f"xops.numpy.pad: pad_width {pad_width!r} does not fit an array of "
                         f"dimension {nd} (non-negative pairs, one per axis)")
    # NumPy repeats the reflection for widths beyond the axis; torch and tf do not, so xops
    # accepts one reflection (or wrap) at most, on every backend.
    limit = {"reflect": 1, "symmetric": 0, "wrap": 0}.get(mode)
    for (a, b), n in zip(pw, x.shape):
        if (a or b) and n == 0 and mode != "constant":
            raise ValueError(f"xops.numpy.pad: can't pad an empty axis in mode {mode!r}")
        if limit is not None and (a or b) and builtins.max(a, b) > n - limit:
            raise ValueError(f"xops.numpy.pad: mode {mode!r} pads at most {n - limit} on an axis "
                             f"of length {n}, got {(a, b)}")
    return call(be, "pad", x, pw, mode, constant_values)


# --- unstacking, rotating, resizing ---------------------------------------------------------------


@declare("shape")
def unstack(x: Array, /, *, axis: int = 0) -> tuple[Array, ...]:
    """Split ``x`` into the tuple of its slices along ``axis`` (the inverse of ``stack``).

    Args:
        x: array with ndim >= 1.
        axis: the axis to unstack along.

    Returns:
        A tuple of ``x.shape[axis]`` arrays of ``x``'s backend, each of ndim ``x.ndim - 1``.
    """
    be = resolve("unstack", x)
    nd = len(getattr(x, "shape", ()))
    if type(x) in PY_SCALARS or nd == 0:
        raise ValueError("xops.numpy.unstack: input must be at least 1-d")
    return tuple(call(be, "unstack", x, normalize_axis("unstack", axis, nd)))


@declare("shape", composite=True)
def rot90(m: Array, k: int = 1, axes: Sequence[int] = (0, 1)) -> Array:
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``, from the first axis towards
    the second (NumPy ``rot90``).

    Args:
        m: array with ndim >= 2.
        k: number of rotations (any int).
        axes: two distinct axes.

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
        return flip(flip(x, axis=a0), axis=a1)
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose(flip(x, axis=a1), perm)
    return flip(transpose(x, perm), axis=a1)


_FLIP_ARGS = """
    Args:
        m: array with ndim >= {nd}.

    Returns:
        An array of ``m``'s backend.
"""


def _flip_along(name: str, m: Any, axis: int) -> Array:
    _, x = _one(name, m)
    if len(x.shape) < axis + 1:
        raise ValueError(f"xops.numpy.{name}: input must be >= {axis + 1}-d")
    return flip(x, axis=axis)


@declare("shape", composite=True, doc_args=_FLIP_ARGS.format(nd=2))
def fliplr(m: Array) -> Array:
    """Reverse the order along axis 1 (left/right)."""
    return _flip_along("fliplr", m, 1)


@declare("shape", composite=True, doc_args=_FLIP_ARGS.format(nd=1))
def flipud(m: Array) -> Array:
    """Reverse the order along axis 0 (up/down)."""
    return _flip_along("flipud", m, 0)


@declare("shape", composite=True)
def resize(a: Array, new_shape: Any) -> Array:
    """A new array of shape ``new_shape`` filled with the flattened ``a`` repeated cyclically
    (zeros when ``a`` is empty), as NumPy's function (not the in-place method) does.

    Args:
        a: array.
        new_shape: int or sequence of non-negative ints.

    Returns:
        An array of ``a``'s backend and dtype.
    """
    _, x = _one("resize", a)
    shape = normalize_shape("resize", new_shape)
    if builtins.any(s < 0 for s in shape):
        raise ValueError("xops.numpy.resize: all elements of new_shape must be non-negative")
    total = _prod(shape)
    flat = ravel(x)
    n = _prod(_shape(x))
    if n == 0 or total == 0:
        return _cr.zeros(shape, dtype=_dtype(x), like=x)
    reps = -(-total // n)
    if reps > 1:
        flat = tile(flat, reps)
    return reshape(flat[:total], shape)


# --- shape queries -------------------------------------------------------------------------------


@declare("shape", composite=True)
def broadcast_shapes(*shapes: Any) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to (NumPy rules).

    Args:
        *shapes: ints or tuples of ints.

    Returns:
        A tuple of ints (``()`` for no argument); ValueError when the shapes do not broadcast.
    """
    return _broadcast_shapes(
        "broadcast_shapes", *(normalize_shape("broadcast_shapes", s) for s in shapes))


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
        a: array, Python scalar or nested sequence.
        axis: None, int or tuple of ints.

    Returns:
        A Python int.
    """
    s = _py_shape("size", a)
    if axis is None:
        return _prod(s)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return _prod([s[normalize_axis("size", ax, len(s))] for ax in axes])

"""Helpers shared by the backends' ``transforms`` modules: which leaves are arrays, optree pytrees
(numpy and tensorflow), the batching bookkeeping of loop-vmap, the argument layout of custom_vjp,
and the control flow written once in Python / xnp for backends without a native primitive.

Nothing here imports a framework: a helper that needs pytrees takes the backend's own
``tree_flatten`` / ``tree_unflatten`` (jax's registry on jax, torch.utils._pytree on torch,
optree elsewhere), so the same code serves every backend.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Iterator, Sequence

from . import _FRAMEWORK_MODULE, TYPE_CACHE, backend_of, get_backend

PY_SCALARS = (bool, int, float, complex)

# What every backend's transforms module exports (xops.xla reads them through the backend).
TRANSFORM_NAMES = ("tree_flatten", "tree_unflatten", "tree_map", "tree_leaves",
                   "jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient",
                   "custom_vjp", "cond", "switch", "while_loop", "fori_loop", "scan", "map",
                   "associative_scan", "export", "load", "exported_runner")
Flatten = Callable[[Any], "tuple[list[Any], Any]"]
Unflatten = Callable[[Any, Sequence[Any]], Any]


# --------------------------------------------------------------------------------------------
# which leaves are arrays
# --------------------------------------------------------------------------------------------
def leaf_backend(x: Any) -> Any:
    """The Backend of array ``x`` (one dict lookup once its type is known), or None."""
    be = TYPE_CACHE.get(type(x))
    if be is None and type(x) not in PY_SCALARS and x is not None:
        be = backend_of(x)
    return be


def is_array(x: Any, name: str) -> bool:
    """Whether ``x`` is an array (tensor, tracer, variable) of backend ``name``."""
    be = leaf_backend(x)
    return be is not None and be.name == name


# Frameworks with a pytree registry of their own that may hold nodes optree does not know
# (classes registered with jax.tree_util). Asked only when the framework is already imported.
_OWN_REGISTRY = ("jax",)


def registry_leaves(tree: Any) -> Iterator[Any]:
    """The leaves of ``tree`` under each imported framework's own pytree registry (for backend
    detection when optree finds no array: custom jax pytree nodes)."""
    for name in _OWN_REGISTRY:
        if _FRAMEWORK_MODULE[name] in sys.modules:
            yield from get_backend(name).transforms.tree_leaves(tree)


def convert_tree(tree: Any, src: str, target: str, tree_map: Callable) -> Any:
    """``tree`` with its ``src`` array leaves converted to ``target`` (``xops.convert``)."""
    from .._convert import convert

    def leaf(x: Any) -> Any:
        return convert(x, target) if is_array(x, src) else x

    return tree_map(leaf, tree)


def call_converting(call: Callable, args: tuple, from_numpy: bool, name: str,
                    tree_map: Callable) -> Any:
    """``call(*args)``; with ``from_numpy``, numpy leaves go in as ``name`` arrays and the
    outputs come back as numpy arrays."""
    if not from_numpy:
        return call(*args)
    out = call(*convert_tree(args, "numpy", name, optree_map))
    return convert_tree(out, name, "numpy", tree_map)


# --------------------------------------------------------------------------------------------
# pytrees with optree (numpy, tensorflow); None is a leaf (an absent value)
# --------------------------------------------------------------------------------------------
def _optree() -> Any:
    import optree
    return optree


def optree_flatten(tree: Any) -> tuple[list[Any], Any]:
    return _optree().tree_flatten(tree, none_is_leaf=True)


def optree_unflatten(spec: Any, leaves: Sequence[Any]) -> Any:
    return _optree().tree_unflatten(spec, list(leaves))


def optree_map(fn: Callable, tree: Any, *rest: Any) -> Any:
    return _optree().tree_map(fn, tree, *rest, none_is_leaf=True)


def optree_leaves(tree: Any) -> list[Any]:
    return _optree().tree_leaves(tree, none_is_leaf=True)


# tree_flatten, tree_unflatten, tree_map, tree_leaves of the backends that use optree.
OPTREE_FUNCTIONS = (optree_flatten, optree_unflatten, optree_map, optree_leaves)


def optree_broadcast_prefix(prefix: Any, tree: Any, where: str) -> list[Any]:
    try:
        full = _optree().tree_broadcast_prefix(prefix, tree, none_is_leaf=True)
        return _optree().tree_leaves(full, none_is_leaf=True)
    except (ValueError, TypeError) as e:
        raise prefix_error(where, prefix, e) from None


def prefix_error(where: str, prefix: Any, e: Exception) -> ValueError:
    return ValueError(f"xops.xla.{where}: axes specification {prefix!r} does not match the "
                      f"structure of the arguments: {e}")


def is_none(x: Any) -> bool:
    return x is None


# --------------------------------------------------------------------------------------------
# autodiff arguments and loop-vmap bookkeeping (numpy's loop, tensorflow's vectorized_map;
# both over optree leaves)
# --------------------------------------------------------------------------------------------
def argnums_tuple(argnums: int | Sequence[int]) -> tuple[int, ...]:
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def top_axes(in_axes: Any, nargs: int) -> Any:
    if in_axes is None or isinstance(in_axes, int):
        return (in_axes,) * nargs
    if isinstance(in_axes, list):  # jax wants a tuple; accept the obvious list too
        in_axes = tuple(in_axes)
    if not isinstance(in_axes, tuple) or len(in_axes) != nargs:
        raise ValueError(f"xops.xla.vmap: in_axes must be an int, None or a tuple with one "
                         f"entry per positional argument ({nargs}), got {in_axes!r}")
    return in_axes


def batched(name: str, args: tuple, in_axes: Any) -> tuple[list, Any, list, int]:
    """optree leaves and spec of ``args``, the (leaf index, axis) of each batched leaf, and the
    batch size."""
    leaves, spec = optree_flatten(args)
    axes = optree_broadcast_prefix(top_axes(in_axes, len(args)), args, "vmap")
    found = []
    size = None
    for i, (x, ax) in enumerate(zip(leaves, axes)):
        if ax is None or not is_array(x, name):
            continue
        nd = len(x.shape)
        if not -nd <= ax < nd:
            raise ValueError(f"xops.xla.vmap: in_axes {ax} out of range for an argument of "
                             f"rank {nd}")
        n = int(x.shape[ax])
        if size is None:
            size = n
        elif n != size:
            raise ValueError(f"xops.xla.vmap: batched arguments have different sizes along "
                             f"their mapped axes ({size} and {n})")
        found.append((i, ax % nd))
    if size is None:
        raise ValueError("xops.xla.vmap: no argument is batched (all in_axes are None)")
    return leaves, spec, found, size


def out_axes_leaves(out: Any, out_axes: Any) -> list:
    """``out_axes`` broadcast over the optree leaves of ``out``."""
    if out_axes is None or isinstance(out_axes, int):
        return [out_axes] * len(optree_flatten(out)[0])
    return optree_broadcast_prefix(out_axes, out, "vmap")


# --------------------------------------------------------------------------------------------
# custom_vjp: the static part of one call (argument structure, static leaves, positions)
# --------------------------------------------------------------------------------------------
class Layout:
    """Where the array leaves of one call sit among its argument leaves. Hashable when the
    static leaves are (jax caches one primitive per layout)."""

    __slots__ = ("spec", "statics", "dyn_pos", "n", "diff_dyn", "key")

    def __init__(self, spec: Any, statics: tuple, dyn_pos: tuple[int, ...], n: int,
                 diff_dyn: tuple[bool, ...]) -> None:
        self.spec = spec
        self.statics = statics  # ((position, value), ...)
        self.dyn_pos = dyn_pos
        self.n = n
        self.diff_dyn = diff_dyn  # per dynamic leaf: belongs to a differentiable argument
        self.key: int | None
        try:
            self.key = hash((spec, statics))
        except TypeError:
            self.key = None

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Layout) and self.spec == other.spec
                and self.statics == other.statics)

    def __hash__(self) -> int:
        return self.key if self.key is not None else id(self)


def layout(args: tuple, nondiff: tuple[int, ...], name: str,
           flatten: Flatten) -> tuple[Layout, list[Any]]:
    """The Layout of ``args`` and their array leaves (the inputs of the native primitive)."""
    leaves, spec = flatten(args)
    owner: list[int] = []  # which argument each leaf belongs to
    for i, a in enumerate(args):
        owner.extend([i] * len(flatten(a)[0]))
    statics, dyn_pos, dyn, diff = [], [], [], []
    for p, x in enumerate(leaves):
        if is_array(x, name):
            dyn_pos.append(p)
            dyn.append(x)
            diff.append(owner[p] not in nondiff)
        else:
            statics.append((p, x))
    return Layout(spec, tuple(statics), tuple(dyn_pos), len(leaves), tuple(diff)), dyn


def rebuild(lay: tuple, dyn: Sequence[Any], unflatten: Unflatten) -> tuple:
    """The arguments from ``lay = (spec, statics, dyn_pos, n, ...)`` and the array leaves."""
    spec, statics, dyn_pos, n = lay[0], lay[1], lay[2], lay[3]
    leaves: list[Any] = [None] * n
    for p, v in statics:
        leaves[p] = v
    for p, v in zip(dyn_pos, dyn):
        leaves[p] = v
    return unflatten(spec, leaves)


def split(nondiff: tuple[int, ...], args: tuple) -> tuple[tuple, tuple]:
    nd = tuple(args[i] for i in nondiff)
    return nd, tuple(a for i, a in enumerate(args) if i not in nondiff)


def primal_of(fwd: Callable, fun: Callable | None) -> Callable:
    if fun is not None:
        return fun

    def primal(*args: Any) -> Any:
        return fwd(*args)[0]

    return primal


def _dims(x: Any) -> tuple | None:
    shape = getattr(x, "shape", None)
    if shape is None:
        return None
    try:
        return tuple(shape.as_list()) if hasattr(shape, "as_list") else tuple(shape)
    except ValueError:  # a tf shape of unknown rank
        return None


def _check_cotangent(x: Any, g: Any, i: int) -> None:
    """bwd's cotangent ``g`` for the differentiable array leaf ``x`` (leaf ``i``): same shape
    (unknown tf dimensions match anything) and, for a floating ``x``, the same dtype; a silently
    broadcast or cast gradient is the bug this catches."""
    if g is None:
        return
    xs, gs = _dims(x), _dims(g)
    if xs is not None and gs is not None and (
            len(xs) != len(gs) or any(a is not None and b is not None and a != b
                                      for a, b in zip(xs, gs))):
        raise ValueError(f"xops.xla.custom_vjp: bwd returned a cotangent of shape {gs} for an "
                         f"argument leaf of shape {xs} (leaf {i}); each cotangent must have its "
                         "argument's shape")
    xd, gd = getattr(x, "dtype", None), getattr(g, "dtype", None)
    if xd is not None and gd is not None and xd != gd:
        xn = getattr(xd, "name", str(xd)).replace("torch.", "")
        if "float" in xn or "complex" in xn:
            gn = getattr(gd, "name", str(gd)).replace("torch.", "")
            raise TypeError(f"xops.xla.custom_vjp: bwd returned a {gn} cotangent for a {xn} "
                            f"argument leaf (leaf {i}); cast it to the argument's dtype")


def grad_leaves(nondiff: tuple[int, ...], args: tuple, grads: Any, dyn_pos: Sequence[int],
                flatten: Flatten) -> list[Any]:
    """The cotangent for each dynamic leaf (None = zero), from bwd's per-argument tuple."""
    _, diff_args = split(nondiff, args)
    if not isinstance(grads, (tuple, list)) or len(grads) != len(diff_args):
        raise ValueError(f"xops.xla.custom_vjp: bwd must return a tuple with one cotangent "
                         f"per differentiable argument ({len(diff_args)}), got "
                         f"{type(grads).__name__}"
                         + (f" of length {len(grads)}" if isinstance(grads, (tuple, list))
                            else ""))
    per_leaf: list[Any] = []
    for a, g in zip(diff_args, grads):
        al = flatten(a)[0]
        if g is None:
            per_leaf.extend([None] * len(al))
            continue
        gl = flatten(g)[0]
        if len(gl) != len(al):
            raise ValueError("xops.xla.custom_vjp: a cotangent returned by bwd does not have "
                             "the structure of its argument")
        for x, gx in zip(al, gl):
            _check_cotangent(x, gx, len(per_leaf))
        per_leaf.extend(gl)
    # back to full leaf positions, with nondiff arguments' leaves as None
    full: list[Any] = []
    it = iter(per_leaf)
    for i, a in enumerate(args):
        n = len(flatten(a)[0])
        if i in nondiff:
            full.extend([None] * n)
        else:
            full.extend(next(it) for _ in range(n))
    return [full[p] for p in dyn_pos]


# --------------------------------------------------------------------------------------------
# control flow in Python (numpy; torch eagerly; scan / map / associative_scan outside jax)
# --------------------------------------------------------------------------------------------
def py_cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    return true_fun(*operands) if bool(pred) else false_fun(*operands)


def py_switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    return branches[min(max(int(index), 0), len(branches) - 1)](*operands)


def py_while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    val = init_val
    while bool(cond_fun(val)):
        val = body_fun(val)
    return val


def py_fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    val = init_val
    for i in range(int(lower), int(upper)):
        val = body_fun(i, val)
    return val


def loop_scan(f: Callable, init: Any, xs: Any, length: int | None, reverse: bool,
              flatten: Flatten = optree_flatten,
              unflatten: Unflatten = optree_unflatten) -> tuple[Any, Any]:
    """jax.lax.scan as a Python loop, ys stacked with xnp (torch.compile and tf.function unroll
    it: fine for short, static lengths). Pytrees are optree's unless ``flatten``/``unflatten``
    say otherwise (as in the two below)."""
    from .. import numpy as xnp
    x_leaves, x_spec = flatten(xs)
    arr = [x for x in x_leaves if x is not None]
    if arr:
        n = int(arr[0].shape[0])
        if length is not None and length != n:
            raise ValueError(f"xops.xla.scan: length={length} but xs have leading size {n}")
    elif length is None:
        raise ValueError("xops.xla.scan: xs is None: pass length=")
    else:
        n = length
    carry = init
    ys = []
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = unflatten(x_spec, [None if v is None else v[i, ...] for v in x_leaves])
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys:
        raise ValueError("xops.xla.scan: zero-length scans are only supported on jax")
    y_leaves0, y_spec = flatten(ys[0])
    cols = [flatten(y)[0] for y in ys]
    stacked = [None if y_leaves0[j] is None else xnp.stack([c[j] for c in cols])
               for j in range(len(y_leaves0))]
    return carry, unflatten(y_spec, stacked)


def loop_map(f: Callable, xs: Any, flatten: Flatten = optree_flatten,
             unflatten: Unflatten = optree_unflatten) -> Any:
    return loop_scan(lambda c, x: (c, f(x)), None, xs, None, False, flatten, unflatten)[1]


def odd_even_associative_scan(fn: Callable, elems: Any, reverse: bool, axis: int,
                              flatten: Flatten = optree_flatten,
                              unflatten: Unflatten = optree_unflatten) -> Any:
    """jax.lax.associative_scan's recursive odd/even algorithm (O(log n) depth), written with
    xnp, slicing and stacking."""
    from .. import numpy as xnp
    leaves, spec = flatten(elems)
    leaves = [xnp.moveaxis(x, axis, 0) if axis not in (0, -len(x.shape)) else x
              for x in leaves]
    if reverse:
        leaves = [xnp.flip(x, axis=0) for x in leaves]

    def combine(a: list, b: list) -> list:
        return flatten(fn(unflatten(spec, a), unflatten(spec, b)))[0]

    def interleave(a: Any, b: Any) -> Any:
        nb = int(b.shape[0])
        both = xnp.reshape(xnp.stack([a[:nb], b], axis=1), (2 * nb, *a.shape[1:]))
        if int(a.shape[0]) > nb:
            both = xnp.concatenate([both, a[nb:]], axis=0)
        return both

    def rec(xs: list) -> list:
        n = int(xs[0].shape[0])
        if n < 2:
            return xs
        reduced = combine([x[0:-1:2] for x in xs], [x[1::2] for x in xs])
        odd = rec(reduced)
        if n % 2 == 0:
            even = combine([o[:-1] for o in odd], [x[2::2] for x in xs])
        else:
            even = combine(odd, [x[2::2] for x in xs])
        even = [xnp.concatenate([x[0:1], e], axis=0) for x, e in zip(xs, even)]
        return [interleave(e, o) for e, o in zip(even, odd)]

    out = rec(leaves)
    if reverse:
        out = [xnp.flip(x, axis=0) for x in out]
    out = [xnp.moveaxis(x, 0, axis) if axis not in (0, -len(x.shape)) else x for x in out]
    return unflatten(spec, out)


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------
def export_specs(args: tuple, name: str, flags: list[bool], make: Callable[[Any, bool], Any],
                 tree_map: Callable) -> tuple:
    """Per argument, the pytree of ``make(leaf, batched)``; non-array leaves are refused."""
    out = []
    for i, (a, batched_) in enumerate(zip(args, flags)):
        def leaf(x: Any, i: int = i, b: bool = batched_) -> Any:
            if x is None:
                return None
            if not is_array(x, name):
                raise TypeError(f"xops.xla.export: argument {i} holds a "
                                f"{type(x).__name__}, not a {name} array; export traces array "
                                "arguments only - bind Python values with functools.partial")
            return make(x, b and len(x.shape) >= 1)
        out.append(tree_map(leaf, a))
    return tuple(out)

"""Control flow that traces on every backend: cond, switch, while_loop, fori_loop, scan, map,
associative_scan (JAX semantics and signatures).

jax: the ``jax.lax`` primitive. tensorflow: ``tf.cond`` / ``tf.switch_case`` / ``tf.while_loop``
(graph ops inside ``tf.function``, plain execution in eager mode). torch: Python control flow in
eager mode and under ``torch.func`` (where a batched predicate computes both branches and selects,
like ``jax.vmap`` of ``lax.cond``), ``torch.cond`` / ``torch._higher_order_ops.while_loop`` while
``torch.compile`` traces. numpy: Python control flow. ``scan`` and ``map`` are Python loops outside
jax (torch.compile and tf.function unroll them: fine for short, static lengths).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from . import _common as C
from ._common import backend_name, fw, tree_flatten, tree_unflatten

__all__ = ["cond", "switch", "while_loop", "fori_loop", "scan", "map", "associative_scan"]


def _torch_compiling() -> bool:
    from ..backends import _compiling
    return _compiling()


def _torch_select(pred: Any, a: Any, b: Any) -> Any:
    torch = fw("torch")
    return C.tree_map(lambda x, y: torch.where(pred, x, y), a, "torch", b)


def cond(pred: Any, true_fun: Callable, false_fun: Callable, *operands: Any) -> Any:
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, traceable.

    Both branches must return the same structure, shapes and dtypes (as in ``jax.lax.cond``).

    Args:
        pred: a scalar boolean array or Python bool.
        true_fun: branch taken when ``pred`` is true.
        false_fun: branch taken otherwise.
        *operands: arguments passed to the branch.

    Returns:
        The output of the chosen branch.
    """
    name = backend_name("cond", (pred, *operands), default="numpy")
    if name == "jax":
        return fw("jax").lax.cond(pred, true_fun, false_fun, *operands)
    if name == "tensorflow":
        return fw("tensorflow").cond(pred, lambda: true_fun(*operands),
                                     lambda: false_fun(*operands))
    if name == "torch":
        torch = fw("torch")
        if _torch_compiling():
            return torch.cond(pred, true_fun, false_fun, tuple(operands))
        try:
            p = bool(pred)
        except RuntimeError:  # batched predicate under torch.func.vmap: both, then select
            return _torch_select(pred, true_fun(*operands), false_fun(*operands))
        return true_fun(*operands) if p else false_fun(*operands)
    return true_fun(*operands) if bool(pred) else false_fun(*operands)


def switch(index: Any, branches: Sequence[Callable], *operands: Any) -> Any:
    """``branches[index](*operands)``, index clamped to ``[0, len(branches) - 1]`` (as in
    ``jax.lax.switch``).

    Args:
        index: a scalar integer array or Python int.
        branches: the functions to choose from (same output structure, shapes and dtypes).
        *operands: arguments passed to the branch.

    Returns:
        The output of the chosen branch.
    """
    branches = list(branches)
    if not branches:
        raise ValueError("xops.xla.switch: branches must not be empty")
    n = len(branches)
    name = backend_name("switch", (index, *operands), default="numpy")
    if name == "jax":
        return fw("jax").lax.switch(index, branches, *operands)
    if name == "tensorflow":
        tf = fw("tensorflow")
        i = tf.clip_by_value(tf.cast(index, tf.int32), 0, n - 1)
        return tf.switch_case(i, [(lambda b=b: b(*operands)) for b in branches])
    if name == "torch":
        torch = fw("torch")
        if _torch_compiling() and isinstance(index, torch.Tensor):
            i = torch.clamp(index, 0, n - 1)

            def pick(k: int) -> Callable:
                if k == n - 1:
                    return branches[k]
                return lambda *ops: torch.cond(i == k, branches[k], pick(k + 1), tuple(ops))

            return pick(0)(*operands)
        try:
            k = int(index)
        except RuntimeError:  # batched index under vmap: all branches, then select
            i = torch.clamp(index, 0, n - 1)
            out = branches[n - 1](*operands)
            for k in range(n - 2, -1, -1):
                out = _torch_select(i == k, branches[k](*operands), out)
            return out
        return branches[min(max(k, 0), n - 1)](*operands)
    return branches[min(max(int(index), 0), n - 1)](*operands)


def while_loop(cond_fun: Callable, body_fun: Callable, init_val: Any) -> Any:
    """Repeat ``val = body_fun(val)`` while ``cond_fun(val)`` (as in ``jax.lax.while_loop``).

    Not reverse-differentiable on jax (use ``fori_loop`` with static bounds or ``scan``).

    Args:
        cond_fun: ``val -> scalar bool``.
        body_fun: ``val -> val`` (same structure, shapes and dtypes).
        init_val: the initial carry (a pytree of arrays).

    Returns:
        The final carry.
    """
    name = backend_name("while_loop", (init_val,), default="numpy")
    if name == "jax":
        return fw("jax").lax.while_loop(cond_fun, body_fun, init_val)
    if name == "tensorflow":
        tf = fw("tensorflow")
        return tf.while_loop(lambda v: cond_fun(v), lambda v: (body_fun(v),), (init_val,))[0]
    if name == "torch" and _torch_compiling():
        from torch._higher_order_ops import while_loop as twl
        torch = fw("torch")
        leaves, spec = tree_flatten(init_val, "torch")
        leaves = [x if isinstance(x, torch.Tensor) else torch.tensor(x) for x in leaves]

        def c(*ls: Any) -> Any:
            return cond_fun(tree_unflatten(spec, ls, "torch"))

        def b(*ls: Any) -> Any:
            return tuple(tree_flatten(body_fun(tree_unflatten(spec, ls, "torch")), "torch")[0])

        return tree_unflatten(spec, list(twl(c, b, tuple(leaves))), "torch")
    val = init_val
    while bool(cond_fun(val)):
        val = body_fun(val)
    return val


def fori_loop(lower: Any, upper: Any, body_fun: Callable, init_val: Any) -> Any:
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)`` (``jax.lax.fori_loop``).

    With Python int bounds torch and numpy run a Python loop (torch.compile unrolls it) and jax
    lowers to ``scan`` (reverse-differentiable).

    Args:
        lower: first index (int or scalar integer array).
        upper: end index, exclusive.
        body_fun: ``(i, val) -> val``.
        init_val: the initial carry.

    Returns:
        The final carry.
    """
    name = backend_name("fori_loop", (lower, upper, init_val), default="numpy")
    if name == "jax":
        return fw("jax").lax.fori_loop(lower, upper, body_fun, init_val)
    if name == "tensorflow":
        tf = fw("tensorflow")
        i0 = tf.cast(lower, tf.int32)
        hi = tf.cast(upper, tf.int32)
        return tf.while_loop(lambda i, v: i < hi, lambda i, v: (i + 1, body_fun(i, v)),
                             (i0, init_val))[1]
    if isinstance(lower, int) and isinstance(upper, int):
        val = init_val
        for i in range(lower, upper):
            val = body_fun(i, val)
        return val
    lo, hi = int(lower), int(upper)
    val = init_val
    for i in range(lo, hi):
        val = body_fun(i, val)
    return val


def scan(f: Callable, init: Any, xs: Any = None, length: int | None = None,
         reverse: bool = False) -> tuple[Any, Any]:
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, stacking the ``y``
    (``jax.lax.scan``).

    Args:
        f: ``(carry, x) -> (carry, y)``.
        init: the initial carry (pytree).
        xs: a pytree of arrays scanned along axis 0, or None (then ``length`` is required).
        length: number of iterations when ``xs`` is None.
        reverse: scan from the end.

    Returns:
        ``(final carry, stacked ys)``.
    """
    name = backend_name("scan", (init, xs), default="numpy")
    if name == "jax":
        return fw("jax").lax.scan(f, init, xs, length=length, reverse=reverse)
    from .. import numpy as xnp
    x_leaves, x_spec = tree_flatten(xs, name)
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
        x = tree_unflatten(x_spec, [None if v is None else v[i] for v in x_leaves], name)
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys:
        raise ValueError("xops.xla.scan: zero-length scans are only supported on jax")
    y_leaves0, y_spec = tree_flatten(ys[0], name)
    cols = [tree_flatten(y, name)[0] for y in ys]
    stacked = [None if y_leaves0[j] is None else xnp.stack([c[j] for c in cols])
               for j in range(len(y_leaves0))]
    return carry, tree_unflatten(y_spec, stacked, name)


def map(f: Callable, xs: Any) -> Any:  # noqa: A001 - jax.lax.map's name
    """``f`` applied to each slice of ``xs`` along axis 0, results stacked (``jax.lax.map``).

    Args:
        f: function of one slice (pytree).
        xs: pytree of arrays with a common leading size.

    Returns:
        The stacked results.
    """
    name = backend_name("map", (xs,), default="numpy")
    if name == "jax":
        return fw("jax").lax.map(f, xs)
    return scan(lambda c, x: (c, f(x)), None, xs)[1]


def associative_scan(fn: Callable, elems: Any, reverse: bool = False, axis: int = 0) -> Any:
    """Inclusive prefix scan with an associative ``fn`` in O(log n) depth
    (``jax.lax.associative_scan``); on other backends the same recursive odd/even algorithm is
    written with xnp, slicing and stacking.

    Args:
        fn: associative ``(a, b) -> c`` on pytrees of arrays, elementwise over the scan axis.
        elems: pytree of arrays sharing the size of ``axis``.
        reverse: scan from the end.
        axis: the scan axis.

    Returns:
        A pytree like ``elems`` with the prefix combinations.
    """
    name = backend_name("associative_scan", (elems,), default="numpy")
    if name == "jax":
        return fw("jax").lax.associative_scan(fn, elems, reverse=reverse, axis=axis)
    from .. import numpy as xnp
    leaves, spec = tree_flatten(elems, name)
    leaves = [xnp.moveaxis(x, axis, 0) if axis not in (0, -len(x.shape)) else x
              for x in leaves]
    if reverse:
        leaves = [xnp.flip(x, axis=0) for x in leaves]

    def combine(a: list, b: list) -> list:
        out = fn(tree_unflatten(spec, a, name), tree_unflatten(spec, b, name))
        return tree_flatten(out, name)[0]

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
    return tree_unflatten(spec, out, name)

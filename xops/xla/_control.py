"""Control flow that traces on every backend: cond, switch, while_loop, fori_loop, scan, map,
associative_scan (JAX semantics and signatures).

jax: the ``jax.lax`` primitive. tensorflow: ``tf.cond`` / ``tf.switch_case`` / ``tf.while_loop``
(graph ops inside ``tf.function``, plain execution in eager mode). torch: Python control flow in
eager mode and under ``torch.func`` (where a batched predicate computes both branches and selects,
like ``jax.vmap`` of ``lax.cond``), ``torch.cond`` / ``torch._higher_order_ops.while_loop`` while
``torch.compile`` traces. numpy: Python control flow. ``scan`` and ``map`` are Python loops outside
jax (torch.compile and tf.function unroll them: fine for short, static lengths). The native code is
in each backend's transforms module; this module finds the backend and calls it.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ._common import backend_name, transforms

__all__ = ["cond", "switch", "while_loop", "fori_loop", "scan", "map", "associative_scan"]


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
    return transforms(name).cond(pred, true_fun, false_fun, *operands)


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
    name = backend_name("switch", (index, *operands), default="numpy")
    return transforms(name).switch(index, branches, *operands)


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
    return transforms(name).while_loop(cond_fun, body_fun, init_val)


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
    return transforms(name).fori_loop(lower, upper, body_fun, init_val)


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
    return transforms(name).scan(f, init, xs, length=length, reverse=reverse)


def map(f: Callable, xs: Any) -> Any:
    """``f`` applied to each slice of ``xs`` along axis 0, results stacked (``jax.lax.map``).

    Args:
        f: function of one slice (pytree).
        xs: pytree of arrays with a common leading size.

    Returns:
        The stacked results.
    """
    name = backend_name("map", (xs,), default="numpy")
    return transforms(name).map(f, xs)


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
    return transforms(name).associative_scan(fn, elems, reverse=reverse, axis=axis)

"""Transforms of the generic backend (any Array API library): no compiler (``jit`` is the
identity), no automatic differentiation (the standard has none: ``grad`` and its kin raise),
``stop_gradient`` the identity and ``custom_vjp`` its forward function, control flow in Python
(on a lazy library, a Python ``cond`` on a traced value computes it: that is the caller's explicit
request), no deployment format.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import _transforms_common as C

# as numpy's: nothing to stop, custom_vjp runs its forward, control flow in Python
from ..numpy.transforms import (  # noqa: F401 - table entries (__all__ is TRANSFORM_NAMES)
    associative_scan,
    cond,
    custom_vjp,
    fori_loop,
    map,  # noqa: A004 - the transform's name
    scan,
    stop_gradient,
    switch,
    while_loop,
)

__all__ = list(C.TRANSFORM_NAMES)

tree_flatten, tree_unflatten, tree_map, tree_leaves = C.OPTREE_FUNCTIONS


def _unsupported(where: str) -> Callable:
    def f(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"xops.xla.{where}: Array API libraries reached through array-api-compat (dask, "
            f"array-api-strict, cupy, ...) have no {where} in xops: the standard defines no "
            "transforms; convert with xops.convert to torch or jax for this")
    return f


def jit(fun: Callable, static_argnums: tuple[int, ...], donate_argnums: tuple[int, ...],
        options: dict[str, Any], donate_argnames: tuple[str | None, ...] = (),
        cuda_graphs: bool = False) -> Callable:
    return fun


grad = _unsupported("grad")
value_and_grad = _unsupported("value_and_grad")
vjp = _unsupported("vjp")
jvp = _unsupported("jvp")
vmap = _unsupported("vmap")



export = load = exported_runner = _unsupported("export")

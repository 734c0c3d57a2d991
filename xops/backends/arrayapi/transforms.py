"""Transforms of the generic backend (any Array API library): no compiler (``jit`` is the
identity), no automatic differentiation (the standard has none: ``grad`` and its kin raise),
``stop_gradient`` the identity and ``custom_vjp`` its forward function, control flow in Python
(on a lazy library, a Python ``cond`` on a traced value computes it: that is the caller's explicit
request), no deployment format.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import _transforms_common as C

__all__ = list(C.TRANSFORM_NAMES)

tree_flatten, tree_unflatten, tree_map, tree_leaves = C.OPTREE_FUNCTIONS


def _unsupported(where: str) -> Callable:
    def f(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"xops.xla.{where}: Array API libraries reached through array-api-compat (dask, "
            "array-api-strict, cupy, ...) have no {where} in xops: the standard defines no "
            "transforms; convert with xops.convert to torch or jax for this".replace(
                "{where}", where))
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


def stop_gradient(x: Any) -> Any:
    return x  # nothing to stop


def custom_vjp(fwd: Callable, bwd: Callable, nondiff_argnums: tuple[int, ...],
               fun: Callable | None, recompute_residuals: bool, name: str) -> Callable:
    return C.primal_of(fwd, fun)


cond = C.py_cond
switch = C.py_switch
while_loop = C.py_while_loop
fori_loop = C.py_fori_loop
scan = C.loop_scan
map = C.loop_map
associative_scan = C.odd_even_associative_scan
export = load = exported_runner = _unsupported("export")

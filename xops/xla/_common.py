"""Shared helpers of xops.xla: which backend a call belongs to, pytrees per backend, and the
numpy -> jax delegation used for autodiff on numpy arrays.

Frameworks are imported only here and only when a transformed function is called with arrays of
that framework (``import xops.xla`` imports none).
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Sequence

from ..backends import TYPE_CACHE, backend_of, get_backend

PY_SCALARS = (bool, int, float, complex)


def fw(name: str) -> Any:
    """The framework module behind backend ``name`` (imported on first use)."""
    mod = {"numpy": "numpy", "jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}[name]
    m = sys.modules.get(mod)
    return m if m is not None else importlib.import_module(mod)


def _optree() -> Any:
    import optree
    return optree


# --------------------------------------------------------------------------------------------
# which backend
# --------------------------------------------------------------------------------------------
def _leaf_backend(x: Any) -> Any:
    be = TYPE_CACHE.get(type(x))
    if be is None and type(x) not in PY_SCALARS and x is not None:
        be = backend_of(x)
    return be


def backend_name(where: str, args: Sequence[Any], kwargs: dict | None = None,
                 default: str | None = None) -> str:
    """The single backend of the array leaves of ``args`` (and ``kwargs``).

    Top-level arrays are looked up directly (one dict lookup each: this runs on every call of a
    transformed function); containers are flattened with optree, and with jax's own pytree
    registry when optree finds no array (custom jax pytree nodes).

    Raises:
        TypeError: two backends are mixed, or no array is found and there is no ``default``.
    """
    found = None
    nested = []
    for a in args:
        t = type(a)
        be = TYPE_CACHE.get(t)
        if be is None:
            if t in PY_SCALARS or a is None:
                continue
            if t in (tuple, list, dict) or not hasattr(a, "dtype"):
                nested.append(a)
                continue
            be = backend_of(a)
            if be is None:
                nested.append(a)
                continue
        if found is None:
            found = be
        elif be is not found:
            _mixed(where, found.name, be.name)
    if kwargs:
        nested.extend(kwargs.values())
    if nested:
        leaves = _optree().tree_leaves(nested)
        for leaf in leaves:
            be = _leaf_backend(leaf)
            if be is None:
                continue
            if found is None:
                found = be
            elif be is not found:
                _mixed(where, found.name, be.name)
        if found is None and "jax" in sys.modules:
            for leaf in sys.modules["jax"].tree_util.tree_leaves(nested):
                be = _leaf_backend(leaf)
                if be is not None:
                    found = be
                    break
    if found is None:
        if default is not None:
            return default
        raise TypeError(f"xops.xla.{where}: no array argument of numpy, jax, torch or tensorflow "
                        "found; the backend is chosen from the arrays you pass")
    return found.name


def _mixed(where: str, a: str, b: str) -> None:
    raise TypeError(f"xops.xla.{where}: arguments mix the {a} and {b} backends; convert "
                    f"explicitly with xops.convert(x, {a!r}) - xops never converts implicitly")


def is_array(x: Any, name: str) -> bool:
    """Whether ``x`` is an array (tensor, tracer, variable) of backend ``name``."""
    be = _leaf_backend(x)
    return be is not None and be.name == name


# --------------------------------------------------------------------------------------------
# pytrees: jax's registry on jax, optree elsewhere; None is a leaf (an absent value)
# --------------------------------------------------------------------------------------------
def _is_none(x: Any) -> bool:
    return x is None


# torch uses torch.utils._pytree, the registry torch.func uses and torch.compile traces without
# graph breaks (dynamo's optree polyfill breaks the graph on dict nodes in torch 2.13).
def tree_flatten(tree: Any, be: str) -> tuple[list[Any], Any]:
    if be == "jax":
        return fw("jax").tree_util.tree_flatten(tree, is_leaf=_is_none)
    if be == "torch":
        return _torch_pytree().tree_flatten(tree, is_leaf=_is_none)
    return _optree().tree_flatten(tree, none_is_leaf=True)


def tree_unflatten(spec: Any, leaves: Sequence[Any], be: str) -> Any:
    if be == "jax":
        return fw("jax").tree_util.tree_unflatten(spec, list(leaves))
    if be == "torch":
        return _torch_pytree().tree_unflatten(list(leaves), spec)
    return _optree().tree_unflatten(spec, list(leaves))


def tree_map(fn: Callable, tree: Any, be: str, *rest: Any) -> Any:
    if be == "jax":
        return fw("jax").tree_util.tree_map(fn, tree, *rest, is_leaf=_is_none)
    if be == "torch":
        return _torch_pytree().tree_map(fn, tree, *rest, is_leaf=_is_none)
    return _optree().tree_map(fn, tree, *rest, none_is_leaf=True)


def _torch_pytree() -> Any:
    import torch.utils._pytree as pytree
    return pytree


def broadcast_prefix(prefix: Any, tree: Any, be: str, where: str) -> list[Any]:
    """The leaves of ``prefix`` (ints / None) repeated over the leaves of ``tree``, aligned with
    ``tree_flatten(tree, be)``."""
    try:
        if be == "jax":
            jtu = fw("jax").tree_util
            out: list[Any] = []
            def rec(p, t):  # noqa: E306
                if p is None or isinstance(p, int):
                    out.extend([p] * len(jtu.tree_leaves(t, is_leaf=_is_none)))
                    return
                pl, ps = jtu.tree_flatten(p, is_leaf=lambda v: v is None or isinstance(v, int))
                tl = ps.flatten_up_to(t)
                for a, b in zip(pl, tl):
                    rec(a, b)
            rec(prefix, tree)
            return out
        if be == "torch":
            tp = _torch_pytree()
            out2: list[Any] = []
            def rec2(p, t):  # noqa: E306
                if p is None or isinstance(p, int):
                    out2.extend([p] * len(tp.tree_leaves(t, is_leaf=_is_none)))
                    return
                pl, ps = tp.tree_flatten(p, is_leaf=lambda v: v is None or isinstance(v, int))
                for a, b in zip(pl, tp._broadcast_to_and_flatten(t, ps) or ()):
                    rec2(a, b)
            rec2(prefix, tree)
            return out2
        full = _optree().tree_broadcast_prefix(prefix, tree, none_is_leaf=True)
        return _optree().tree_leaves(full, none_is_leaf=True)
    except (ValueError, TypeError) as e:
        raise ValueError(f"xops.xla.{where}: axes specification {prefix!r} does not match the "
                         f"structure of the arguments: {e}") from None


# --------------------------------------------------------------------------------------------
# numpy autodiff: delegated to jax
# --------------------------------------------------------------------------------------------
NUMPY_NO_JAX = ("xops.xla.{where}: numpy has no automatic differentiation. xops delegates "
                "autodiff on numpy arrays to jax, which is not installed here. Install jax "
                "(pip install jax), or pass torch / jax / tensorflow arrays (convert with "
                "xops.convert(x, 'torch')), or write the derivative by hand")


def require_jax(where: str) -> Any:
    try:
        import jax
    except ImportError:
        raise NotImplementedError(NUMPY_NO_JAX.format(where=where)) from None
    get_backend("jax")
    return jax


def _np_to_jax(x: Any) -> Any:
    if is_array(x, "numpy"):
        from .._convert import convert
        return convert(x, "jax")
    return x


def _jax_to_np(x: Any) -> Any:
    if is_array(x, "jax"):
        from .._convert import convert
        return convert(x, "numpy")
    return x


def to_jax(tree: Any) -> Any:
    return _optree().tree_map(_np_to_jax, tree, none_is_leaf=True)


def to_numpy(tree: Any) -> Any:
    jax = fw("jax")
    return jax.tree_util.tree_map(_jax_to_np, tree, is_leaf=_is_none)


def via_jax(where: str, make: Callable[[Any], Callable]) -> Callable:
    """Run a jax transform for numpy inputs: numpy leaves go in as jax arrays, jax leaves come
    back as numpy arrays (read-only views of jax's buffers on CPU, no copy).

    jax's x64 mode is switched on for the duration of the call only (``jax.enable_x64``, scoped to
    this thread), so numpy's float64 arrays stay float64; the global switch is never touched.
    """
    jax = require_jax(where)
    inner = make(jax)

    def run(*args: Any, **kwargs: Any) -> Any:
        with jax.enable_x64(True):
            out = inner(*to_jax(args), **to_jax(kwargs))
            return to_numpy(out)

    return run


def x64_scope() -> Any:
    return fw("jax").enable_x64(True)

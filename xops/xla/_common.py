"""Shared helpers of xops.xla: which backend a call belongs to, and that backend's transforms
module (``xops/backends/<framework>/transforms.py``, where all framework code lives).

Nothing here imports a framework (``import xops.xla`` imports none): a backend's transforms
module is imported when that backend loads, which happens when its arrays are first seen.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any, Sequence

from .. import backends as _backends
from ..backends import TYPE_CACHE, backend_of, get_backend, on_load
from ..backends._transforms_common import PY_SCALARS, is_array, leaf_backend, registry_leaves

__all__ = ["backend_name", "transforms", "LOADED", "is_array", "require_jax"]


def _optree() -> Any:
    import optree
    return optree


# --------------------------------------------------------------------------------------------
# which backend
# --------------------------------------------------------------------------------------------
def backend_name(where: str, args: Sequence[Any], kwargs: dict | None = None,
                 default: str | None = None) -> str:
    """The single backend of the array leaves of ``args`` (and ``kwargs``).

    Top-level arrays are looked up directly (one dict lookup each: this runs on every call of a
    transformed function); containers are flattened with optree, and with the frameworks' own
    pytree registries when optree finds no array (custom jax pytree nodes).

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
        leaves: list[Any]
        if _backends.IS_DYNAMO():
            # tree_map, not tree_leaves: under torch.compile (2.13) dynamo cannot trace
            # optree.tree_leaves through an empty dict node (a parameter-free layer's {} params).
            leaves = []
            _optree().tree_map(leaves.append, nested)
        else:
            # one leaf of each type (the backend depends on the type alone): a pytree of
            # parameters costs one C flatten and a dict, not a Python call per leaf. The
            # backend of the top-level arrays may flatten faster itself (``fast_leaves`` in its
            # transforms module: jax's, 3 us where optree takes 10 on an optimizer state)
            own = None if found is None else getattr(LOADED.get(found.name), "fast_leaves", None)
            flat = own or _optree().tree_leaves
            leaves = list({type(v): v for v in flat(nested)}.values())
        for leaf in leaves:
            be = leaf_backend(leaf)
            if be is None:
                continue
            if found is None:
                found = be
            elif be is not found:
                _mixed(where, found.name, be.name)
        if found is None:
            for leaf in registry_leaves(nested):
                be = leaf_backend(leaf)
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


# --------------------------------------------------------------------------------------------
# the backend's transforms module
# --------------------------------------------------------------------------------------------
# backend name -> its transforms module, filled as each backend loads. A module object, not a
# dict: dynamo reads a module's attributes live, while it snapshots a dict when it first sees it
# (a backend loaded later in the same trace would be missing; see backends.REFS).
_TRANSFORMS = ModuleType("xops.xla.backend_transforms")
LOADED: dict[str, ModuleType] = {}  # the same, for iterating over the loaded backends


def _register(be: Any) -> None:
    LOADED[be.name] = be.transforms
    setattr(_TRANSFORMS, be.name, LOADED[be.name])


on_load(_register)


def transforms(name: str) -> ModuleType:
    """The transforms module of backend ``name`` (loading the backend if it is not yet)."""
    t = getattr(_TRANSFORMS, name, None)
    if t is None:
        t = get_backend(name).transforms
    return t


def require_jax(where: str) -> Any:
    """jax, or the NotImplementedError that numpy autodiff raises without it (the check lives
    with the numpy -> jax delegation in the numpy backend's transforms)."""
    return transforms("numpy").require_jax(where)

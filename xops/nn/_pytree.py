"""Pytree helpers for parameter trees: thin wrappers of optree (no home-made walker).

Parameter trees are nested dicts with string keys (lists/tuples allowed) whose leaves are
native arrays. ``None`` is an empty subtree (optree's default), as in jax.tree_util. Key paths
are written ``"block/0/w"`` (checkpoints, bridges)."""
from __future__ import annotations

from typing import Any, Callable

import optree

Array = Any

SEP = "/"


def tree_map(fn: Callable, tree: Any, *rest: Any) -> Any:
    """``fn`` applied to every leaf of ``tree`` (and the matching leaves of ``rest``).

    Returns:
        A tree of ``tree``'s structure with ``fn``'s results as leaves.
    """
    return optree.tree_map(fn, tree, *rest)


def tree_leaves(tree: Any) -> list[Any]:
    """The leaves of ``tree`` in optree's order (dict keys sorted).

    Returns:
        A list of leaves.
    """
    return optree.tree_leaves(tree)


def tree_flatten(tree: Any) -> tuple[list[Any], Any]:
    """``(leaves, treespec)`` of ``tree`` (optree).

    Returns:
        The leaves and an optree ``PyTreeSpec`` for :func:`tree_unflatten`.
    """
    return optree.tree_flatten(tree)


def tree_unflatten(spec: Any, leaves: Any) -> Any:
    """The tree of ``spec`` with ``leaves``.

    Returns:
        A tree.
    """
    return optree.tree_unflatten(spec, list(leaves))


def tree_structure(tree: Any) -> Any:
    """The optree ``PyTreeSpec`` of ``tree``.

    Returns:
        A ``PyTreeSpec``.
    """
    return optree.tree_structure(tree)


def _path_str(where: str, path: tuple) -> str:
    parts = []
    for p in path:
        s = str(p)
        if SEP in s or not s:
            raise ValueError(f"xops.nn.{where}: key {p!r} is empty or contains {SEP!r}; "
                             "parameter tree keys must be non-empty and free of '/'")
        parts.append(s)
    return SEP.join(parts)


def flatten_with_names(tree: Any, where: str = "flatten_with_names") -> list[tuple[str, Any]]:
    """``[("block/0/w", leaf), ...]`` for every leaf of ``tree`` in optree's order.

    Returns:
        A list of ``(key path, leaf)`` pairs; list/tuple indices appear as numbers.
    """
    paths, leaves, _ = optree.tree_flatten_with_path(tree)
    return [(_path_str(where, p), x) for p, x in zip(paths, leaves)]


def count_params(tree: Any) -> int:
    """The number of scalars in a parameter tree.

    Returns:
        The sum of the sizes of the leaves.
    """
    n = 0
    for x in optree.tree_leaves(tree):
        s = 1
        for d in tuple(x.shape):
            s *= int(d)
        n += s
    return n

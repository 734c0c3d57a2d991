"""Checkpoints of parameter trees: ``save(path, tree)`` / ``load(path, backend=..., device=...)``.

Format (``.npz``, read with ``allow_pickle=False``): one array per leaf named by its key path
(``"block/0/w"``), plus ``__xops__``, a JSON string holding the tree's structure (dicts, lists,
tuples, ``None``; empty containers kept) and each leaf's dtype. bfloat16, which ``.npz`` cannot
hold, is stored as its uint16 bit pattern and tagged ``bfloat16``. ``.safetensors`` paths use
the ``safetensors`` package when it is importable (same layout, metadata in its header).
"""
from __future__ import annotations

import json
import os
from typing import Any

import numpy as np

from .._convert import convert
from .._dispatch import backend_of

__all__ = ["save", "load"]

_META = "__xops__"
_VERSION = 1


def _to_host(name: str, x: Any) -> tuple[np.ndarray, str]:
    be = backend_of(x)
    if be is None:
        if isinstance(x, (bool, int, float)):
            a = np.asarray(x)
            return a, a.dtype.name
        raise TypeError(f"xops.nn.save: leaf {name!r} is a {type(x).__name__}, not an array of a "
                        "supported backend")
    d = be.dtype_of(x)
    a = np.asarray(convert(x, "numpy"))
    if d.name == "bfloat16":
        return a.view(np.uint16), "bfloat16"
    return a, d.name


def _skeleton(tree: Any, path: tuple, leaves: dict) -> Any:
    if isinstance(tree, dict):
        out = {}
        for k in tree:
            if not isinstance(k, str) or not k or "/" in k:
                raise ValueError(f"xops.nn.save: dict keys must be non-empty strings without "
                                 f"'/', got {k!r} at {'/'.join(path) or '<root>'}")
            out[k] = _skeleton(tree[k], path + (k,), leaves)
        return {"dict": out}
    if isinstance(tree, (list, tuple)) and not hasattr(tree, "_fields"):
        kind = "list" if isinstance(tree, list) else "tuple"
        return {kind: [_skeleton(v, path + (str(i),), leaves) for i, v in enumerate(tree)]}
    if tree is None:
        return {"none": None}
    name = "/".join(path) if path else "__root__"
    if name == _META:
        raise ValueError(f"xops.nn.save: the key path {_META!r} is reserved")
    leaves[name] = tree
    return {"leaf": name}


def save(path: str | os.PathLike, tree: Any) -> None:
    """Write a parameter tree (nested dicts/lists/tuples of arrays of any backend) to ``path``.

    ``.npz`` by default; ``.safetensors`` when the path ends so and the ``safetensors`` package
    is installed. Arrays are copied to host memory; bfloat16 is kept exactly (as tagged bits).

    Returns:
        None.

    Raises:
        ValueError: a dict key is not a non-empty string free of ``'/'``.
        TypeError: a leaf is not an array (Python scalars are allowed).
    """
    leaves: dict[str, Any] = {}
    skel = _skeleton(tree, (), leaves)
    arrays, dtypes = {}, {}
    for name, x in leaves.items():
        arrays[name], dtypes[name] = _to_host(name, x)
    meta = json.dumps({"format": "xops.nn", "version": _VERSION, "tree": skel,
                       "dtypes": dtypes})
    p = os.fspath(path)
    if p.endswith(".safetensors"):
        st = _safetensors("save")
        st.save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, p,
                     metadata={_META: meta})
        return
    with open(p, "wb") as f:
        # numpy's stub types savez's **kwds as its allow_pickle flag
        np.savez(f, **arrays, **{_META: np.asarray(meta)})  # type: ignore[arg-type]


def _safetensors(where: str) -> Any:
    try:
        import safetensors.numpy as stn
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"xops.nn.{where}: .safetensors files need the 'safetensors' package; "
                          "use a .npz path or install it") from e
    return stn


def _split_device(device: str) -> tuple[str, int]:
    """``"cuda:1"`` -> ``("cuda", 1)``; ``"cpu"`` -> ``("cpu", 0)``."""
    kind, _, idx = device.strip().lstrip("/").partition(":")
    try:
        return kind.lower(), int(idx) if idx else 0
    except ValueError:
        raise ValueError(f"xops.nn.load: cannot read device {device!r}; expected 'kind' or "
                         "'kind:index' such as 'cpu' or 'cuda:0'") from None


def _placer(backend: str, device: Any) -> Any:
    """A function ``host array -> native array`` of ``backend`` on ``device`` (one host-to-device
    copy per array; ``None``: the backend's default placement, as ``xops.convert``)."""
    if device is None:
        return lambda a: convert(a, backend)
    if backend in ("numpy", "np"):
        if not (isinstance(device, str) and _split_device(device)[0] == "cpu"):
            raise ValueError(f"xops.nn.load: numpy arrays live on the CPU; got device={device!r}")
        return lambda a: convert(a, backend)
    if backend == "torch":
        import torch
        dev = torch.device(device)
        # convert shares the host buffer (no copy); .to makes the one copy onto the device and
        # returns the same tensor when it is already there
        return lambda a: convert(a, "torch").to(dev)
    if backend == "jax":
        import jax
        dev = device
        if isinstance(device, str):
            kind, idx = _split_device(device)
            try:
                dev = jax.devices(kind)[idx]
            except (RuntimeError, IndexError) as e:
                raise ValueError(f"xops.nn.load: jax has no device {device!r}: {e}") from None

        def put(a: np.ndarray) -> Any:
            with jax.default_device(dev):  # made on the device, not on the default one first
                return jax.device_put(convert(a, "jax"), dev)
        return put
    if backend in ("tensorflow", "tf"):
        import tensorflow as tf
        dev = device
        if isinstance(device, str) and not device.startswith("/"):
            kind, idx = _split_device(device)
            dev = f"/{'GPU' if kind in ('cuda', 'gpu') else kind.upper()}:{idx}"

        def place(a: np.ndarray) -> Any:
            with tf.device(dev):
                return tf.identity(convert(a, "tensorflow"))
        return place
    return lambda a: convert(a, backend)  # unknown backend: convert raises its usual error


def _from_host(name: str, a: np.ndarray, dtype: str, backend: str, place: Any) -> Any:
    if dtype == "bfloat16":
        import ml_dtypes
        a = a.view(ml_dtypes.bfloat16)
    elif a.dtype.name != dtype:
        raise ValueError(f"xops.nn.load: entry {name!r} holds {a.dtype.name}, the checkpoint "
                         f"says {dtype}")
    try:
        return place(a)
    except TypeError as e:
        raise TypeError(f"xops.nn.load: entry {name!r} ({dtype}) cannot be loaded on "
                        f"{backend}: {e}") from None


def _rebuild(skel: Any, arrays: Any, dtypes: dict, backend: str, place: Any) -> Any:
    (kind, v), = skel.items()
    if kind == "dict":
        return {k: _rebuild(s, arrays, dtypes, backend, place) for k, s in v.items()}
    if kind in ("list", "tuple"):
        out = [_rebuild(s, arrays, dtypes, backend, place) for s in v]
        return out if kind == "list" else tuple(out)
    if kind == "none":
        return None
    return _from_host(v, arrays[v], dtypes[v], backend, place)


def load(path: str | os.PathLike, backend: str = "numpy", *, device: Any = None) -> Any:
    """Read a tree written by :func:`save` onto ``backend`` ('numpy', 'jax', 'torch',
    'tensorflow'), with the saved dtypes (jax without x64 refuses 64-bit entries with a
    TypeError naming the entry rather than narrowing them).

    Args:
        path: a ``.npz`` (or ``.safetensors``) file written by :func:`save`.
        backend: the backend of the returned arrays.
        device: where to put them (each array is copied from host memory once, straight to
            it). torch: anything ``torch.device`` takes (``"cuda:0"``, ``torch.device("cpu")``);
            jax: a ``jax.Device`` or ``"kind[:index]"`` (``"cpu"``, ``"gpu:1"``, ``"cuda:0"``:
            ``jax.devices(kind)[index]``); tensorflow: a device name (``"/GPU:0"``) or
            ``"cuda:0"``/``"cpu"``; numpy: only ``"cpu"``. ``None``: the backend's default
            placement (torch: CPU; jax: its default device).

    Returns:
        The tree, with native arrays of ``backend`` as leaves.

    Raises:
        ValueError: the file is not an xops checkpoint, or the device is not one of the
            backend's.
    """
    place = _placer(backend, device)  # an unusable device fails before the file is read
    p = os.fspath(path)
    if p.endswith(".safetensors"):
        st = _safetensors("load")
        from safetensors import safe_open
        with safe_open(p, framework="numpy") as f:
            meta = (f.metadata() or {}).get(_META)
        arrays = st.load_file(p)
    else:
        with np.load(p, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = arrays.pop(_META, None)
        meta = None if meta is None else str(meta)
    if meta is None:
        raise ValueError(f"xops.nn.load: {p} is not an xops.nn checkpoint (no {_META} entry)")
    info = json.loads(meta)
    if info.get("format") != "xops.nn" or info.get("version", 0) > _VERSION:
        raise ValueError(f"xops.nn.load: {p}: unsupported checkpoint format {info.get('format')}"
                         f" version {info.get('version')}")
    return _rebuild(info["tree"], arrays, info["dtypes"], backend, place)

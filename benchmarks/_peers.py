"""The libraries a user would pick instead of xops, as benchmarks/report.py calls them.

Each peer is optional (``pip install -e '.[bench]'`` installs them all): a missing one, or one
that does not accept a backend's arrays, is reported with the reason instead of a timing.
keras.ops is not here: keras fixes its backend per process, so report.py measures it in a
subprocess per ``KERAS_BACKEND`` (see ``keras_ops``).
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
from typing import Any, Callable

# column order of the report; "native" and "xops" are measured for every backend
PEERS = ["array-api-compat", "array-api-compat+ns", "autoray"]
KERAS = "keras.ops"
KERAS_BACKENDS = ["numpy", "torch", "jax", "tensorflow"]
# what the report's legend says about each column
LEGEND = {
    "xops": "`xnp.<op>(x)`: xops' per-call dispatch on the array type",
    "array-api-compat": "`xp.<op>(x)` with `xp = array_api_compat.array_namespace(x)` looked up "
                        "once (the steady-state cost of code written against the namespace)",
    "array-api-compat+ns": "`array_namespace(*args).<op>(*args)` on every call (what a one-op "
                           "function written with array-api-compat pays, like xops' dispatch)",
    "autoray": "`autoray.do('<op>', *args)`: autoray's per-call dispatch",
    KERAS: "`keras.ops.<op>(x)`, in a subprocess with `KERAS_BACKEND` set to the backend; its "
           "ratio is to the native call timed in that same subprocess",
}
DISTRIBUTIONS = {"array-api-compat": "array-api-compat", "array-api-compat+ns": "array-api-compat",
                 "autoray": "autoray", KERAS: "keras"}
_MODULES = {"array-api-compat": "array_api_compat", "array-api-compat+ns": "array_api_compat",
            "autoray": "autoray", KERAS: "keras"}


def installed(peer: str) -> bool:
    """Whether ``peer``'s module can be imported (found without importing it: importing keras
    would pick its backend in this process)."""
    try:
        return importlib.util.find_spec(_MODULES[peer]) is not None
    except (ImportError, ValueError):
        return False


def missing_note(peer: str) -> str:
    return (f"{peer}: not installed (`pip install {DISTRIBUTIONS[peer]}`, or the `bench` extra); "
            "skipped")


def _namespace_per_call(ns: Callable[..., Any], op: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        return getattr(ns(*args), op)(*args)
    call.__name__ = op
    return call


def peer_ops(peer: str, ops: list[str], sample: Any) -> dict[str, Callable] | str:
    """``{op: callable}`` for ``peer`` on arrays like ``sample``, or why it cannot run them."""
    if not installed(peer):
        return "not installed"
    mod = importlib.import_module(_MODULES[peer])
    if peer == "autoray":
        return {op: functools.partial(mod.do, op) for op in ops}
    try:
        xp = mod.array_namespace(sample)
    except TypeError as e:  # array-api-compat supports numpy, torch, jax, cupy, dask, ...
        return f"unsupported: {str(e).splitlines()[0][:80]}"
    if peer == "array-api-compat":
        return {op: getattr(xp, op) for op in ops}
    return {op: _namespace_per_call(mod.array_namespace, op) for op in ops}


def keras_ops(ops: list[str]) -> dict[str, Callable]:
    """keras.ops' functions (import only in a process whose KERAS_BACKEND is set)."""
    from keras import ops as kops
    return {op: getattr(kops, op) for op in ops}

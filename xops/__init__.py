"""xops: write an op once with NumPy names, run it on numpy, jax, torch and tensorflow arrays.

``import xops`` imports no framework: backends are found from the arrays you pass.
"""
from __future__ import annotations

from typing import Any

from . import _dtypes
from ._convert import convert
from ._dispatch import AxisError
from ._dtypes import DType, finfo, iinfo
from .backends import current_default_backend, default_backend, get_backend, installed_backends

__version__ = "0.1.0"

__all__ = ["AxisError", "DType",
           "dtype", "finfo", "iinfo", "default_backend", "backend", "get_backend",
           "installed_backends", "current_default_backend", "convert", "__version__",
           # transforms (xops.xla); `map` stays at xops.xla.map so the builtin is not shadowed
           "jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient", "custom_vjp",
           "cond", "switch", "while_loop", "fori_loop", "scan", "associative_scan", "op", "Op"]


def dtype(x: Any) -> DType:
    """The canonical xops dtype of an array of any backend, or of a dtype-like object."""
    return _dtypes._dtype_arg(x, "dtype")


def backend(x: Any) -> str:
    """Name of the backend that owns array ``x`` ('numpy', 'jax', 'torch', 'tensorflow')."""
    from .backends import backend_of
    be = backend_of(x)
    if be is None:
        raise TypeError(f"xops.backend: {type(x).__name__} is not an array of a supported backend")
    return be.name


# The transforms re-exported from xops.xla, which loads on first use like the submodules.
_TRANSFORMS = ("jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient",
               "custom_vjp", "cond", "switch", "while_loop", "fori_loop", "scan",
               "associative_scan", "op", "Op")


def __getattr__(name: str) -> Any:
    import importlib
    if name in ("numpy", "random", "testing", "xla", "nn"):  # submodules, imported on first use
        return importlib.import_module(f"xops.{name}")
    if name in _TRANSFORMS:
        value = getattr(importlib.import_module("xops.xla"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'xops' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "numpy", "random", "testing", "xla", "nn"})

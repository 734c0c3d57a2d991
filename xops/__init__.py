"""xops: write an op once with NumPy names, run it on numpy, jax, torch and tensorflow arrays.

``import xops`` imports no framework: backends are found from the arrays you pass.
"""
from __future__ import annotations

from typing import Any

from . import _dtypes
from ._convert import convert
from ._dtypes import DType, finfo, iinfo
from .backends import current_default_backend, default_backend, get_backend, installed_backends

__version__ = "0.1.0"

__all__ = ["DType", "dtype", "finfo", "iinfo", "default_backend", "backend", "get_backend",
           "installed_backends", "current_default_backend", "convert", "__version__"]


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


def __getattr__(name: str) -> Any:
    if name == "numpy":  # `xops.numpy` without an explicit submodule import
        import importlib
        return importlib.import_module("xops.numpy")
    raise AttributeError(f"module 'xops' has no attribute {name!r}")

"""Backend detection and the Backend handle.

A backend is considered only when its framework is already in ``sys.modules``: detection never
imports a framework. The answer is cached by ``type(x)`` after one ``isinstance`` check against the
framework's base class, which is what catches subclasses and tracers (jax tracers pass
``isinstance(t, jax.Array)`` through a metaclass although jax.Array is not in their MRO; torch
Parameter/FakeTensor/DTensor subclass torch.Tensor; tf SymbolicTensor subclasses tf.Tensor while
tf.Variable does not, so it is checked separately).
"""
from __future__ import annotations

import contextlib
import contextvars
import importlib
import os
import sys
from types import ModuleType
from typing import Any, Callable, Iterator

from .. import _dtypes
from .._dtypes import DType

__all__ = ["Backend", "BACKEND_NAMES", "backend_of", "get_backend", "default_backend",
           "current_default_backend", "installed_backends"]

BACKEND_NAMES = ("numpy", "jax", "torch", "tensorflow")
_FRAMEWORK_MODULE = {"numpy": "numpy", "jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
_ALIASES = {"np": "numpy", "tf": "tensorflow", "pytorch": "torch", "jnp": "jax"}


class Backend:
    """One framework: its kernel table (a flat module), dtype maps and defaults."""

    __slots__ = ("name", "k", "native", "canon", "scalars_ok", "_adapt")

    def __init__(self, name: str, table: ModuleType) -> None:
        self.name = name
        self.k = table
        self.native: dict[DType, Any] = dict(table.DTYPES)
        self.canon: dict[Any, DType] = {v: d for d, v in table.DTYPES.items()}
        for d, v in table.DTYPES.items():
            _dtypes._NATIVE.setdefault(v, d)
        for extra, d in getattr(table, "EXTRA_NATIVE", {}).items():
            _dtypes._NATIVE.setdefault(extra, d)
        # Backends whose native calls already treat Python scalars as weak on either side
        # (NumPy >= 2 under NEP 50, jax) get scalars passed straight through.
        ok = getattr(table, "SCALARS_OK", ())
        if isinstance(ok, bool):
            ok = table.DTYPES if ok else ()
        self.scalars_ok: frozenset[DType] = frozenset(ok)
        self._adapt: Callable[[str, Callable, DType], Callable] | None = getattr(table, "adapt", None)

    def __repr__(self) -> str:
        return f"<xops backend {self.name}>"

    # --- dtypes -------------------------------------------------------------------------------
    def dtype_of(self, x: Any) -> DType:
        d = x.dtype
        c = self.canon.get(d)
        if c is None:
            c = _dtypes.canonical(d)
        return c

    @property
    def default_float(self) -> DType:
        return self.k.default_float()

    @property
    def default_int(self) -> DType:
        return self.k.default_int()

    def check_dtype(self, d: DType, opname: str) -> Any:
        """The native dtype for ``d``, or a clear error when this backend cannot hold it."""
        reason = self.k.unsupported_dtype(d)
        if reason:
            raise TypeError(f"xops.numpy.{opname}: the {self.name} backend cannot hold {d.name}: "
                            f"{reason}")
        return self.native[d]

    def kernel(self, opname: str, dtype: DType | None = None) -> Callable | None:
        """The native kernel for an op, adapted for ``dtype`` where the table says so."""
        fn = getattr(self.k, opname, None)
        if fn is not None and dtype is not None and self._adapt is not None:
            fn = self._adapt(opname, fn, dtype)
        return fn

    def astype(self, x: Any, d: DType) -> Any:
        return self.k.astype(x, self.native[d])


_LOADED: dict[str, Backend] = {}
# type(x) -> Backend. Filled on first sight of a type, never while torch.compile traces (a table
# that changes under a compiled function makes it recompile).
TYPE_CACHE: dict[type, Backend] = {}
_BASES: dict[str, Callable[[ModuleType], tuple[type, ...]]] = {
    "torch": lambda m: (m.Tensor,),
    "jax": lambda m: (m.Array,),
    "tensorflow": lambda m: (m.Tensor, m.Variable),
    "numpy": lambda m: (m.ndarray, m.generic),
}


def _canonical_name(name: str) -> str:
    name = _ALIASES.get(name, name)
    if name not in BACKEND_NAMES:
        raise ValueError(f"xops: unknown backend {name!r}; expected one of {', '.join(BACKEND_NAMES)}")
    return name


def get_backend(name: str) -> Backend:
    """The Backend named ``name``, importing its framework (an explicit request)."""
    be = _LOADED.get(name)
    if be is not None:
        return be
    name = _canonical_name(name)
    be = _LOADED.get(name)
    if be is None:
        table = importlib.import_module(f"xops.backends.{name}")
        be = _LOADED[name] = Backend(name, table)
    return be


def _compiling() -> bool:
    torch = sys.modules.get("torch")
    if torch is None:
        return False
    try:
        return bool(torch.compiler.is_compiling())
    except Exception:  # noqa: BLE001 - torch partially imported
        return False


def backend_of(x: Any) -> Backend | None:
    """The backend owning array ``x``, or None for Python scalars and unknown objects."""
    t = type(x)
    be = TYPE_CACHE.get(t)
    if be is not None:
        return be
    if t in (int, float, complex, bool) or x is None:
        return None
    for name in ("torch", "jax", "tensorflow", "numpy"):
        mod = sys.modules.get(_FRAMEWORK_MODULE[name])
        if mod is None:
            continue
        try:
            bases = _BASES[name](mod)
        except AttributeError:  # framework still importing
            continue
        if isinstance(x, bases):
            be = get_backend(name)
            if not _compiling():
                TYPE_CACHE[t] = be
            return be
    return None


def installed_backends() -> list[str]:
    """Backends whose framework can be imported here (checked without importing them)."""
    import importlib.util
    return [n for n in BACKEND_NAMES if importlib.util.find_spec(_FRAMEWORK_MODULE[n]) is not None]


_DEFAULT: contextvars.ContextVar[str | None] = contextvars.ContextVar("xops_default_backend",
                                                                       default=None)


def current_default_backend() -> Backend:
    """The backend for creation calls with no array input: the scoped default, else
    ``XOPS_BACKEND``, else numpy."""
    name = _DEFAULT.get()
    if name is None:
        name = os.environ.get("XOPS_BACKEND") or "numpy"
    return get_backend(name)


@contextlib.contextmanager
def default_backend(name: str) -> Iterator[Backend]:
    """Scope the backend used by creation functions that have no array input (thread-safe)."""
    be = get_backend(name)
    token = _DEFAULT.set(be.name)
    try:
        yield be
    finally:
        _DEFAULT.reset(token)

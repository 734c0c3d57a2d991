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
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any, Callable, Iterator

from .. import _dtypes
from .._dtypes import DType

__all__ = ["Backend", "BACKEND_NAMES", "KERNEL_MODULES", "backend_of", "get_backend",
           "default_backend", "current_default_backend", "explicit_default_backend",
           "dtype_framework", "installed_backends", "on_load",
           "trace_constant", "REFS", "ref", "deref"]

BACKEND_NAMES = ("numpy", "jax", "torch", "tensorflow")
_FRAMEWORK_MODULE = {"numpy": "numpy", "jax": "jax", "torch": "torch", "tensorflow": "tensorflow"}
_ALIASES = {"np": "numpy", "tf": "tensorflow", "pytorch": "torch", "jnp": "jax"}


# The kernel modules of every backend package. A module with a NAMESPACE attribute holds the
# kernels of that xops.numpy sub-namespace ("linalg": kernel "linalg.inv" for xnp.linalg.inv).
KERNEL_MODULES = ("elementwise", "creation", "manipulation", "indexing", "reductions", "products",
                  "linalg", "fft", "nn")


def _kernel_table(pkg: ModuleType) -> ModuleType:
    """One flat namespace of a backend package's kernels, keyed by op name: the package's own
    ``__all__`` (dtype maps, defaults, casts, scalar construction, capabilities) and every kernel
    module's ``__all__``.
    A module object, not a dict: dynamo reads module attributes live (see REFS)."""
    table = ModuleType(pkg.__name__ + ".kernels")
    table.__dict__.update((k, getattr(pkg, k)) for k in pkg.__all__)
    for mod_name in KERNEL_MODULES:
        mod = importlib.import_module(f"{pkg.__name__}.{mod_name}")
        ns = getattr(mod, "NAMESPACE", "")
        for name in mod.__all__:
            key = f"{ns}.{name}" if ns else name
            if key in table.__dict__:
                raise RuntimeError(f"{mod.__name__}: kernel {key!r} defined twice")
            setattr(table, key, getattr(mod, name))
    return table


class Backend:
    """One framework: its kernel table (a flat module), dtype maps and defaults."""

    __slots__ = ("name", "k", "native", "canon", "scalars_ok", "_adapt", "package")

    def __init__(self, name: str, table: ModuleType) -> None:
        self.name = name
        self.package = table
        flat = getattr(table, "KERNELS", None)  # the generic backend's table (arrayapi/)
        if flat is None:
            self.k = _kernel_table(table)
        else:
            flat.__dict__.update((k, getattr(table, k)) for k in table.__all__)
            flat.UNSUPPORTED = table.UNSUPPORTED
            self.k = flat
        self.native: dict[DType, Any] = table.DTYPES  # live: numpy adds bfloat16 on first use
        self.canon: dict[Any, DType] = {v: d for d, v in table.DTYPES.items()}
        if flat is None:
            _dtypes.register_native(self.canon)
        else:
            import warnings
            with warnings.catch_warnings():  # array-api-strict warns when its dtypes meet
                warnings.simplefilter("ignore")  # NumPy's in the shared registry's dict
                _dtypes.register_native(self.canon)
        _dtypes.register_native(getattr(table, "EXTRA_NATIVE", {}))
        # Backends whose native calls already treat Python scalars as weak on either side
        # (NumPy >= 2 under NEP 50, jax) get scalars passed straight through.
        ok = getattr(table, "SCALARS_OK", ())
        if isinstance(ok, bool):
            ok = table.DTYPES if ok else ()
        self.scalars_ok: frozenset[DType] = frozenset(ok)
        # adapt(name, kernel, dtype): the per-(op, dtype) kernel variant, chosen once and cached.
        self._adapt: Callable[[str, Callable, DType], Callable] | None = (
            getattr(sys.modules[f"{table.__name__}.elementwise"], "adapt", None) if flat is None
            else table.ADAPT)

    def __repr__(self) -> str:
        return f"<xops backend {self.name}>"

    @property
    def transforms(self) -> ModuleType:
        """The package's transforms module (jit, grad, vjp, vmap, custom_vjp, control flow)."""
        return importlib.import_module(f"{self.package.__name__}.transforms")

    # --- dtypes -------------------------------------------------------------------------------
    def dtype_of(self, x: Any) -> DType:
        d = x.dtype
        c = self.canon.get(d)
        if c is None:
            c = _dtypes.canonical(d)
        return c

    @property
    def default_float(self) -> DType:
        if IS_DYNAMO():  # torch's default dtype is part of dynamo's global-state guard
            return self.canon[deref(_traced_default(self.name, "float"))]
        return self.k.default_float()

    @property
    def default_int(self) -> DType:
        if IS_DYNAMO():
            return self.canon[deref(_traced_default(self.name, "int"))]
        return self.k.default_int()

    def check_dtype(self, d: DType, opname: str) -> Any:
        """The native dtype for ``d``, or a clear error when this backend cannot hold it."""
        if IS_DYNAMO():
            return _traced_native(self.name, d.name, opname)
        reason = self.k.unsupported_dtype(d)
        if reason:
            raise TypeError(f"xops.numpy.{opname}: the {self.name} backend cannot hold {d.name}: "
                            f"{reason}")
        return self.native[d]

    def kernel(self, opname: str, dtype: DType | None = None) -> Callable | None:
        """The native kernel for an op, adapted for ``dtype`` where the table says so."""
        if IS_DYNAMO():  # by REFS: dynamo cannot read a dotted attribute ("linalg.inv") of k
            r = _traced_kernel(self.name, opname, None if dtype is None else dtype.name)
            return None if r is None else deref(r)
        fn = getattr(self.k, opname, None)
        if fn is not None and dtype is not None and self._adapt is not None:
            fn = self._adapt(opname, fn, dtype)
        return fn

    def require(self, opname: str, dtype: DType | None = None) -> Callable:
        """:meth:`kernel`, or a NotImplementedError naming the op and the backend."""
        fn = self.kernel(opname, dtype)
        if fn is None:
            raise NotImplementedError(f"xops.numpy.{opname} is not available on the {self.name} "
                                      "backend")
        return fn

    def astype(self, x: Any, d: DType) -> Any:
        return self.k.astype(x, self.native[d])


# --- torch.compile (dynamo) support ---------------------------------------------------------
# Dynamo guards every mutable object it reads while tracing (dicts by their keys, with Python-level
# aliasing checks when one object is reachable two ways), so dispatch code traced as is costs a
# compiled function hundreds of guards. Under dynamo, xops instead takes "traced paths": it asks a
# trace_constant function (run for real at trace time, its result a constant without guards) for
# the backend / kernel plan of the argument types and dtypes, and calls only what that returns.
def _never() -> bool:
    return False


# The probe for "dynamo is tracing this code": a function returning False, replaced by
# torch.compiler.is_dynamo_compiling (also False when called, but constant-folded to True by dynamo
# with one guard) once torch is imported. Read it as a module global and call it: ~20 ns eagerly.
IS_DYNAMO: Callable[[], bool] = _never


# Called with each Backend as it loads (and at registration for those already loaded): how
# modules above this one (dispatch, transforms) learn of a framework without this package
# reaching up to them.
_ON_LOAD: list[Callable[["Backend"], None]] = []


def on_load(fn: Callable[["Backend"], None]) -> None:
    """Call ``fn(backend)`` for every loaded backend, now and whenever another one loads."""
    _ON_LOAD.append(fn)
    for be in list(_LOADED.values()):
        fn(be)


def _install_dynamo_probe() -> None:
    """Point IS_DYNAMO at torch's probe once torch is imported (xops._dispatch keeps its own
    global copy for speed and refreshes it through on_load)."""
    global IS_DYNAMO
    if IS_DYNAMO is not _never:
        return
    torch = sys.modules.get("torch")
    compiler = getattr(torch, "compiler", None)
    probe = (getattr(compiler, "is_dynamo_compiling", None)
             or getattr(compiler, "is_compiling", None))
    if probe is None:  # torch absent or still importing
        return
    IS_DYNAMO = probe


def trace_constant(fn: Callable) -> Callable:
    """Mark ``fn`` as a compile-time constant for torch.compile: dynamo calls it at trace time with
    the (constant) arguments and treats the result as a constant, installing no guards on it or on
    anything read through it. This is what ``torch.compiler.assume_constant_result`` does; the
    attribute is set directly so that xops never imports torch._dynamo.

    Arguments and results must be plain constants: str, int, bool, None, types, native dtypes,
    C-level callables (torch.Tensor.add) and tuples of them. Never tensors, xops objects (Backend,
    DType) or Python functions: dynamo cannot build a Python function from a constant (it raises
    an internal error); hand out an index into a table read by traced code instead (see
    ``xops._dispatch.kernel_ref``). The function must be pure given its arguments, xops'
    import-time tables and torch's global state (which dynamo guards)."""
    fn._dynamo_marked_constant = True  # type: ignore[attr-defined]
    return fn


# Objects (kernels, native dtypes) handed to traced code by name: dynamo cannot rebuild a
# callable or a dtype from a trace_constant result (it tries to guard on a constant and fails),
# so plans hold attribute names of this module object and traced code reads getattr(REFS, name):
# one guard per distinct object. A module, not a dict: dynamo reads a module's attributes live,
# while it snapshots a dict's items when it first sees it (entries added by a plan later in the
# same trace would be missing). Append-only: a name keeps its object for the life of the process.
REFS = ModuleType("xops.backends.refs")
_REF_IDS: dict[int, str] = {}


def ref(obj: Any) -> str:
    """The name of ``obj`` in REFS (added on first use). For trace_constant results."""
    n = _REF_IDS.get(id(obj))
    if n is None or getattr(REFS, n) is not obj:
        n = f"r{len(_REF_IDS)}_{getattr(obj, '__name__', type(obj).__name__)}"
        setattr(REFS, n, obj)
        _REF_IDS[id(obj)] = n
    return n


def deref(name: str) -> Any:
    """The object REFS holds under ``name`` (traced code reads REFS only through here: dynamo
    adds a costly aliasing guard when one object is reached through two module globals)."""
    return getattr(REFS, name)


@trace_constant
def _traced_default(name: str, kind: str) -> str:
    be = _LOADED[name]
    return ref(be.native[be.k.default_float() if kind == "float" else be.k.default_int()])


@trace_constant
def _traced_native(name: str, dtype_name: str, opname: str) -> Any:
    be = _LOADED[name]
    d = _dtypes.canonical(dtype_name)
    reason = be.k.unsupported_dtype(d)
    if reason:
        raise TypeError(f"xops.numpy.{opname}: the {be.name} backend cannot hold {d.name}: "
                        f"{reason}")
    return be.native[d]


@trace_constant
def _traced_kernel(name: str, opname: str, dtype_name: str | None) -> str | None:
    be = _LOADED[name]
    fn = be.kernel(opname, None if dtype_name is None else _dtypes.canonical(dtype_name))
    return None if fn is None else ref(fn)


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
        raise ValueError(f"xops: unknown backend {name!r}; expected one of "
                         f"{', '.join(BACKEND_NAMES)}")
    return name


def get_backend(name: str) -> Backend:
    """The Backend named ``name``, importing its framework (an explicit request)."""
    be = _LOADED.get(name)
    if be is not None:
        return be
    if _ALIASES.get(name, name) not in BACKEND_NAMES:
        be = _generic_named(name)
        if be is not None:
            return be
    name = _canonical_name(name)
    be = _LOADED.get(name)
    if be is None:
        table = importlib.import_module(f"xops.backends.{name}")
        be = _LOADED[name] = Backend(name, table)
        _install_dynamo_probe()
        for fn in _ON_LOAD:
            fn(be)
    return be


def _compiling() -> bool:
    """True while torch.compile / torch.export / make_fx trace (caches must not fill then)."""
    if IS_DYNAMO():  # folded to a constant under dynamo: nothing below is traced
        return True
    torch = sys.modules.get("torch")
    if torch is None:
        return False
    try:
        return bool(torch.compiler.is_compiling())
    except Exception:  # noqa: BLE001 - torch partially imported
        return False


def _imported_frameworks() -> Iterator[tuple[str, ModuleType, tuple[type, ...]]]:
    """(backend name, framework module, array base classes) of each framework already imported,
    in detection order (detection never imports a framework)."""
    for name in ("torch", "jax", "tensorflow", "numpy"):
        mod = sys.modules.get(_FRAMEWORK_MODULE[name])
        if mod is None:
            continue
        try:
            bases = _BASES[name](mod)
        except AttributeError:  # framework still importing
            continue
        yield name, mod, bases


def backend_of(x: Any) -> Backend | None:
    """The backend owning array ``x``, or None for Python scalars and unknown objects."""
    if IS_DYNAMO():
        n = backend_name_of_type(type(x))
        return None if n is None else _LOADED[n]
    t = type(x)
    be = TYPE_CACHE.get(t)
    if be is not None:
        return be
    if t in (int, float, complex, bool) or x is None:
        return None
    for name, _, bases in _imported_frameworks():
        if isinstance(x, bases):
            be = get_backend(name)
            if not _compiling():
                TYPE_CACHE[t] = be
            return be
    be = _generic_backend(x)
    if be is not None and not _compiling():
        TYPE_CACHE[t] = be
    return be


@trace_constant
def backend_name_of_type(t: type) -> str | None:
    """The name of the backend owning arrays of type ``t`` (None for Python scalars and unknown
    types), loading it. For traced paths (see trace_constant): decides from the type alone, never
    fills TYPE_CACHE; traced code then reads the Backend as ``_LOADED[name]``."""
    be = backend_of_type(t)
    return None if be is None else be.name


def backend_of_type(t: type) -> Backend | None:
    """The backend owning arrays of type ``t`` (None for Python scalars and unknown types)."""
    be = TYPE_CACHE.get(t)
    if be is not None:
        return be
    if t in (int, float, complex, bool, type(None)):
        return None
    for name, mod, bases in _imported_frameworks():
        if issubclass(t, bases) or (name == "jax" and _is_jax_type(mod, t)):
            return get_backend(name)
    return _GENERIC_TYPES.get(t)


# --- the generic backend (xops/backends/arrayapi/): any other Array API library -----------------
# Reached only after the four native backends failed to claim an array. array-api-compat
# recognises most libraries by their type's module (dask, cupy, ndonnx, sparse: their arrays need
# not carry __array_namespace__); the rest by __array_namespace__. It is imported only then.
_COMPAT_LIBRARIES = frozenset({"dask", "cupy", "ndonnx", "sparse", "array_api_strict"})
# Types the generic backend claimed (backend_of_type's answer for them).
_GENERIC_TYPES: dict[type, Backend] = {}


def _generic_backend(x: Any) -> Backend | None:
    t = type(x)
    top = t.__module__.partition(".")[0]
    if top not in _COMPAT_LIBRARIES and not hasattr(t, "__array_namespace__"):
        return None
    if top not in sys.modules or importlib.util.find_spec("array_api_compat") is None:
        return None
    from . import arrayapi
    xp = arrayapi.namespace_of(x)
    if xp is None:
        return None
    be = _generic_load(xp)
    _GENERIC_TYPES[t] = be
    return be


def _generic_load(xp: Any) -> Backend:
    from . import arrayapi
    name = arrayapi.library_name(xp)
    be = _LOADED.get(name)
    if be is None:
        be = _LOADED[name] = Backend(name, arrayapi.make_table(xp))
        for fn in _ON_LOAD:
            fn(be)
    return be


def _generic_named(name: str) -> Backend | None:
    """The generic backend of library ``name`` (``"array_api_strict"``, ``"dask.array"``),
    importing it (an explicit request), or None when it is not an Array API library."""
    if importlib.util.find_spec("array_api_compat") is None:
        return None
    from . import arrayapi
    try:
        xp = arrayapi.namespace_named(name)
    except ImportError:
        return None
    return None if xp is None else _generic_load(xp)


def _is_jax_type(jax: ModuleType, t: type) -> bool:
    # jax tracers pass isinstance(x, jax.Array) through a metaclass hook, not issubclass.
    core = getattr(jax, "core", None)
    tracer = getattr(core, "Tracer", None)
    return tracer is not None and issubclass(t, tracer)


def installed_backends() -> list[str]:
    """Backends whose framework can be imported here (checked without importing them)."""
    import importlib.util
    return [n for n in BACKEND_NAMES if importlib.util.find_spec(_FRAMEWORK_MODULE[n]) is not None]


_DEFAULT: contextvars.ContextVar[str | None] = contextvars.ContextVar("xops_default_backend",
                                                                       default=None)


def current_default_backend() -> Backend:
    """The backend for creation calls with no array input: the scoped default, else
    ``XOPS_BACKEND``, else numpy."""
    if IS_DYNAMO():
        return _LOADED[_default_backend_traced()]
    name = _DEFAULT.get()
    if name is None:
        name = os.environ.get("XOPS_BACKEND") or "numpy"
    return get_backend(name)


def explicit_default_backend() -> str | None:
    """The backend a ``default_backend`` scope or ``XOPS_BACKEND`` names, or None."""
    return _DEFAULT.get() or os.environ.get("XOPS_BACKEND") or None


def dtype_framework(dtype: Any) -> str | None:
    """The backend whose native dtype object ``dtype`` is (``torch.float32``, a ``tf.DType``,
    ``jnp.float32``/``jnp.bfloat16``), or None (xops dtypes, names, NumPy dtypes and types)."""
    mod = type(dtype).__module__.split(".")[0]
    if mod == "torch":
        return "torch"
    if mod == "tensorflow":
        return "tensorflow"
    if mod == "jax" and isinstance(dtype, type):  # jnp.float32 etc. are jax scalar types
        return "jax"
    return None


@trace_constant
def _default_backend_traced() -> str:
    # Under dynamo: the default as it is at trace time (dynamo cannot guard a contextvar or the
    # environment; a compiled function keeps the default it was traced under).
    return get_backend(_DEFAULT.get() or os.environ.get("XOPS_BACKEND") or "numpy").name


@contextlib.contextmanager
def default_backend(name: str) -> Iterator[Backend]:
    """Scope the backend used by creation functions that have no array input (thread-safe)."""
    be = get_backend(name)
    token = _DEFAULT.set(be.name)
    try:
        yield be
    finally:
        _DEFAULT.reset(token)


# --- torch or tensorflow imported after xops ---------------------------------------------------
# A framework's xops backend must be loaded before the first xops call its compiler traces: if
# that call is the first one after `import torch`, loading the table then would run importlib
# under dynamo, which refuses it ("function marked as skipped"), and the dynamo probe would be
# missing; under tf.function, autograph would convert xops' own code before the tensorflow
# backend tells it not to (an AutoGraph warning about importlib's _gcd_import). So when xops is
# imported first, a one-shot import hook loads the framework's backend as soon as the framework
# has finished importing: the import order does not matter.
_HOOKED = ("torch", "tensorflow")


class _AfterFrameworkImport:
    """sys.meta_path entry wrapping the loaders of torch and tensorflow; removes itself once
    both are imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in _HOOKED or name in sys.modules:
            return None
        import importlib.machinery
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        loader: Any = getattr(spec, "loader", None)
        if spec is None or loader is None or not hasattr(loader, "exec_module"):
            return spec

        class _Loader:
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                if all(n in sys.modules for n in _HOOKED) and hook in sys.meta_path:
                    sys.meta_path.remove(hook)
                try:
                    get_backend(name)
                except Exception:  # noqa: BLE001 - never break the user's `import torch`
                    pass

        hook = self
        spec.loader = _Loader()  # type: ignore[assignment]
        return spec


if any(n not in sys.modules for n in _HOOKED) and os.environ.get("XOPS_NO_IMPORT_HOOK") is None:
    sys.meta_path.insert(0, _AfterFrameworkImport())

"""The manifest: every public name is registered and documented, every op has a kernel or a
generic fallback on every backend, kernel tables agree with each other, and `import xops`
imports no framework."""
from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import xops
from xops import numpy as xnp
from xops.backends import BACKEND_NAMES, KERNEL_MODULES, get_backend
from xops.numpy_api import ALIASES, REGISTRY
from xops.numpy_api._registry import home

from .conftest import INSTALLED
from .specs import DTYPE_ONLY, SPECS

DTYPE_NAMES = {"bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
               "uint64", "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
               "dtype"}
CONSTANTS = {"e", "pi", "inf", "nan", "newaxis", "__array_api_version__"}
NAMESPACES = {"linalg", "fft", "bind", "__array_namespace_info__"}


def test_every_public_name_is_registered_or_a_dtype_or_constant():
    for name in xnp.__all__:
        assert (name in REGISTRY or name in ALIASES or name in DTYPE_NAMES
                or name in CONSTANTS or name in NAMESPACES), name
        assert hasattr(xnp, name), name


def test_aliases_are_the_same_function():
    for alias, name in ALIASES.items():
        assert getattr(xnp, alias) is getattr(xnp, name)
    # the Array API spellings NumPy 2 has
    for alias in ("concat", "permute_dims", "acos", "asin", "atan", "atan2", "acosh", "asinh",
                  "atanh", "pow", "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift"):
        assert alias in ALIASES, alias


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_documented(name):
    fn = REGISTRY[name].fn
    doc = inspect.getdoc(fn) or ""
    assert len(doc.splitlines()[0]) > 10, f"{name}: missing one-line summary"
    if REGISTRY[name].category != "dtype":
        assert "Returns" in doc, f"{name}: docstring lacks Returns"
    ns = REGISTRY[name].namespace
    assert fn.__module__ == home(ns) or name in ("finfo", "iinfo")


@pytest.mark.parametrize("backend_name", BACKEND_NAMES)
def test_every_op_has_a_kernel_or_fallback(backend_name):
    if backend_name not in INSTALLED:
        pytest.skip(f"{backend_name} not installed")
    table = get_backend(backend_name).k
    missing = []
    for name, info in REGISTRY.items():
        if info.composite or info.category == "dtype":
            continue
        for k in info.kernels:
            has = hasattr(table, k) or (info.elementwise is not None
                                        and info.elementwise.fallback is not None) or (
                info.extra.get("fallback") is not None)
            if not has:
                missing.append(k)
    assert not missing, f"{backend_name} lacks kernels (and no fallback) for {missing}"


def _public_callables(table, package):
    return {n: v for n, v in vars(table).items()
            if callable(v) and not n.startswith("_") and not isinstance(v, type)
            and getattr(v, "__module__", "").startswith(package)}


@pytest.mark.parametrize("backend_name", [b for b in BACKEND_NAMES if b != "numpy"])
def test_kernel_signatures_match_the_numpy_table(backend_name):
    """The numpy table is the reference for kernel names and signatures."""
    if backend_name not in INSTALLED:
        pytest.skip(f"{backend_name} not installed")
    ref = get_backend("numpy").k
    table = get_backend(backend_name).k
    for name, fn in _public_callables(ref, "xops.backends.numpy").items():
        other = getattr(table, name, None)
        assert other is not None, f"{backend_name} table lacks {name}"
        other_fn = other
        try:
            want = len(inspect.signature(fn).parameters)
            got = inspect.signature(other_fn).parameters
        except (TypeError, ValueError):
            continue  # C functions without signatures (native aliases)
        has_var = any(p.kind in (p.VAR_POSITIONAL,) for p in got.values())
        assert has_var or len(got) >= want, f"{backend_name}.{name}: {len(got)} params < {want}"


@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernel_modules_list_the_same_kernels_on_every_backend(module):
    """Every backend package has the same kernel modules; each names its kernels in __all__,
    lists the numpy module's names (or more) and has them merged into the backend's table under
    the op's name."""
    ref = importlib.import_module(f"xops.backends.numpy.{module}")
    for backend_name in BACKEND_NAMES:
        if backend_name not in INSTALLED:
            continue
        mod = importlib.import_module(f"xops.backends.{backend_name}.{module}")
        table = get_backend(backend_name).k
        missing = sorted(set(ref.__all__) - set(mod.__all__))
        assert not missing, f"{backend_name}/{module}.py lacks {missing}"
        assert getattr(mod, "NAMESPACE", "") == getattr(ref, "NAMESPACE", "")
        ns = getattr(mod, "NAMESPACE", "")
        for k in mod.__all__:
            key = f"{ns}.{k}" if ns else k
            assert getattr(table, key) is getattr(mod, k), f"{backend_name} table: {key} not merged"


def test_namespaces_reexport_their_ops():
    from xops.numpy_api import public_names
    for ns in ("linalg", "fft"):
        mod = getattr(xnp, ns)
        for n in public_names(ns):
            assert n in mod.__all__ and callable(getattr(mod, n)), (ns, n)


def test_nn_ops_are_the_functions_of_xops_nn_functional():
    from xops.nn import functional as F
    from xops.numpy_api import public_names
    assert public_names("nn")
    for n in public_names("nn"):
        assert n in F.__all__ and getattr(F, n) is REGISTRY["nn." + n].fn, n


def test_every_op_has_a_strategy_entry():
    for name, info in REGISTRY.items():
        assert info.elementwise is not None or name in SPECS or name in DTYPE_ONLY, name


def test_import_xops_imports_no_framework():
    code = ("import sys, xops; from xops import numpy as xnp; import xops.numpy_api; "
            "print(sorted(m for m in ('torch', 'jax', 'tensorflow', 'ml_dtypes') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", out


def test_version_and_py_typed():
    import pathlib
    assert xops.__version__
    assert (pathlib.Path(xops.__file__).parent / "py.typed").exists()


def test_top_level_transforms_are_the_xla_ones():
    import xops.xla
    for name in ("jit", "grad", "value_and_grad", "vjp", "jvp", "vmap", "stop_gradient",
                 "custom_vjp", "cond", "switch", "while_loop", "fori_loop", "scan",
                 "associative_scan", "op"):
        assert getattr(xops, name) is getattr(xops.xla, name), name
    import xops.testing
    assert callable(xops.testing.check_op)


@pytest.mark.skipif(set(INSTALLED) != set(BACKEND_NAMES), reason="needs all four backends")
def test_support_table_is_current_and_every_unsupported_cell_has_a_reason():
    import pathlib

    from xops._support import markdown, rows
    for name, _, cells in rows():
        for c in cells:
            assert not c.startswith("unsupported: no kernel"), (name, c)
    doc = pathlib.Path(__file__).parent.parent / "docs" / "support.md"
    assert doc.read_text() == markdown(), "docs/support.md is stale: python -m xops support-table > docs/support.md"

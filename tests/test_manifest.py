"""The manifest: every public name is registered and documented, every op has a kernel or a
generic fallback on every backend, kernel tables agree with each other, and `import xops`
imports no framework."""
from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys

import pytest

import xops
from xops import numpy as xnp
from xops.backends import BACKEND_NAMES, KERNEL_MODULES, get_backend
from xops.numpy_api import ALIASES, REGISTRY
from xops.numpy_api._registry import home

from .conftest import INSTALLED, needs_backend
from .specs import DTYPE_ONLY, SPECS

# Modules of every backend package besides the kernel modules.
EXTRA_MODULES = ("transforms",)

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


_ARG = re.compile(r"(\*{0,2}[A-Za-z_]\w*): \S")


def _doc_args(name: str, doc: str) -> list[tuple[str, str]]:
    """The Args section of a Google-style docstring as (name, description) pairs: one entry per
    line ``name: description`` at the section's indent, continuation lines indented further; the
    section ends at a blank line."""
    lines = doc.splitlines()
    assert "Args:" in lines, f"{name}: docstring has no Args section"
    entries: list[list[str]] = []
    for line in lines[lines.index("Args:") + 1:]:
        if not line.strip():
            break
        if line.startswith("    ") and not line.startswith("     "):
            m = _ARG.match(line[4:])
            assert m, f"{name}: Args line is not 'name: description': {line!r}"
            entries.append([m.group(1), line[4 + m.end(1) + 1:].strip()])
        else:
            assert line.startswith("     ") and entries, f"{name}: bad Args indentation: {line!r}"
            entries[-1][1] += " " + line.strip()
    return [(n, d) for n, d in entries]


@pytest.mark.parametrize("name", sorted(n for n, i in REGISTRY.items()
                                        if not isinstance(i.fn, type)))
def test_docstring_args_list_the_signature_one_per_line(name):
    """Every op's Args section names each parameter of its signature once, in order, one per
    line (``*args`` may be written ``*arrays``); a description never runs on into the next
    argument (``side: 'left' or 'right'. sorter: ...`` fails)."""
    fn = REGISTRY[name].fn
    params = list(inspect.signature(fn).parameters)
    entries = _doc_args(name, inspect.getdoc(fn) or "")
    listed = [n.lstrip("*") for n, _ in entries]
    assert listed == params, f"{name}: Args lists {listed}, the signature has {params}"
    run_on = re.compile(r"(?:^|[.;]\s)\s*\*{0,2}(" + "|".join(map(re.escape, params))
                        + r")(?:,\s*\*{0,2}\w+)*:\s")
    for n, d in entries:
        m = run_on.search(d)
        assert not m, f"{name}: the description of {n} runs on into {m.group(1)!r}: {d!r}"


@pytest.mark.parametrize("backend_name", BACKEND_NAMES)
def test_every_op_has_a_kernel_or_fallback(backend_name):
    needs_backend(backend_name)
    table = get_backend(backend_name).k
    missing = []
    for info in REGISTRY.values():
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
    needs_backend(backend_name)
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


def _package_modules(backend_name):
    import pkgutil
    pkg = importlib.import_module(f"xops.backends.{backend_name}")
    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))


def test_every_backend_package_has_the_same_module_set():
    """One layout for every framework: the kernel modules plus transforms.py, nothing else
    public (private helpers such as torch/_uint.py are allowed)."""
    want = sorted({*KERNEL_MODULES, *EXTRA_MODULES})
    for backend_name in BACKEND_NAMES:
        assert _package_modules(backend_name) == want, backend_name


@pytest.mark.parametrize("module", KERNEL_MODULES)
def test_kernel_modules_merge_their_kernels_under_the_op_name(module):
    """Each kernel module names its kernels in __all__ (each defined there) and every one is
    merged into the backend's table under the op's name ("linalg.inv" for linalg.py's inv)."""
    ns_ref = getattr(importlib.import_module(f"xops.backends.numpy.{module}"), "NAMESPACE", "")
    for backend_name in BACKEND_NAMES:
        if backend_name not in INSTALLED:
            continue
        mod = importlib.import_module(f"xops.backends.{backend_name}.{module}")
        table = get_backend(backend_name).k
        ns = getattr(mod, "NAMESPACE", "")
        assert ns == ns_ref, (backend_name, module)
        assert len(set(mod.__all__)) == len(mod.__all__), (backend_name, module)
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
    pytest.importorskip("optree", reason="xops.nn needs optree")
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


@pytest.mark.needs_backend(*BACKEND_NAMES)
def test_support_table_is_current_and_every_unsupported_cell_has_a_reason():
    import pathlib

    from xops._support import markdown, rows
    for name, _, cells in rows():
        for c in cells:
            assert not c.startswith("unsupported: no kernel"), (name, c)
    doc = pathlib.Path(__file__).parent.parent / "docs" / "support.md"
    assert doc.read_text() == markdown(), \
        "docs/support.md is stale: python -m xops support-table > docs/support.md"


def test_needs_name_ops_or_kernels_and_mark_cells():
    """``declare(needs=...)`` names registry ops, or kernels some native backend has (a typo
    would leave a composite marked supported where it cannot run); a library without one
    gets the "needs" cell."""
    from types import SimpleNamespace

    from xops._support import cell
    tables = [get_backend(b).k for b in INSTALLED]
    declared = {n: i.extra["needs"] for n, i in REGISTRY.items() if i.extra.get("needs")}
    assert len(declared) >= 20
    for name, needs in declared.items():
        assert REGISTRY[name].composite or REGISTRY[name].extra.get("fallback"), name
        for need in needs:
            assert need in REGISTRY or any(hasattr(t, need) for t in tables), (name, need)
    # a table with nothing but the op's own kernels: every always-needed op is reported
    bare = SimpleNamespace()
    c = cell(REGISTRY["histogram"], bare)
    assert c.startswith("unsupported: needs"), c
    c = cell(REGISTRY["linalg.matrix_power"], bare)
    assert c.startswith("generic; n < 0 needs linalg.inv (unsupported)"), c


def test_type_stubs_are_current():
    """The committed xops/numpy/*.pyi are what the generator writes from the registry, and no
    stub is left over for a module that no longer exists."""
    import pathlib

    from xops._stubs import _stub_path, namespaces, render
    want = {_stub_path(ns): render(ns) for ns in namespaces()}
    assert set(want) >= {_stub_path(""), _stub_path("linalg"), _stub_path("fft")}
    for path, text in want.items():
        assert path.exists() and path.read_text() == text, \
            f"{path.name} is stale: python -m xops stubs"
    stale = set(pathlib.Path(xops.__file__).parent.joinpath("numpy").glob("*.pyi")) - set(want)
    assert not stale, f"stubs without a module: {sorted(p.name for p in stale)}"


def test_type_stubs_declare_every_public_name():
    """Every op and alias of each namespace is in its stub's __all__ and defined there."""
    import ast

    from xops._stubs import _stub_path, namespaces
    from xops.numpy_api import public_names
    for ns in namespaces():
        tree = ast.parse(_stub_path(ns).read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        defined |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                    if isinstance(t, ast.Name)}
        defined |= {n.target.id for n in tree.body
                    if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        defined |= {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom)
                    for a in n.names}
        mod = xnp if not ns else getattr(xnp, ns)
        stub_all = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                        and any(getattr(t, "id", "") == "__all__" for t in n.targets))
        assert stub_all == sorted(mod.__all__), ns
        for name in public_names(ns):
            assert name in stub_all and name in defined, (ns, name)

"""The op registry: every public op is declared once, here is where the declarations land.

A declaration records the op's name, category, NumPy reference, aliases and (for elementwise
ops) its dtype rule; tests, the manifest and the docs are generated from this registry.
"""
from __future__ import annotations

import functools
import inspect
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from .._dispatch import (
    Elementwise,
    ElementwiseRule,
    HostConstants,
    again,
    explain,
    make_binary,
    make_unary,
    none_given,
)

# What an op is, for the docs and the support table.
Category = Literal["creation", "dtype", "elementwise", "fft", "indexing", "linalg", "nn",
                   "reduction", "searching", "set", "shape", "signal", "sorting", "statistics",
                   "utility"]

__all__ = ["Category", "OpInfo", "REGISTRY", "ALIASES", "HOMES", "home", "declare", "unary",
           "binary", "namespace_exports", "with_sections", "wrappers_source", "index_source",
           "write_wrappers"]


@dataclass
class OpInfo:
    name: str
    fn: Callable[..., Any]
    category: Category
    # Name of the NumPy function with the reference semantics ("" when xops is the reference).
    ref: str
    # True when the op needs no kernel: its body is a composition of other xops ops.
    composite: bool = False
    # Kernel names the op calls on every backend (defaults to the op's own name).
    kernels: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    elementwise: Elementwise | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Sub-namespace of xops.numpy ("linalg", "fft"); "" for the top level. The registry key is
    # "namespace.name", e.g. "linalg.inv".
    namespace: str = ""


REGISTRY: dict[str, OpInfo] = {}
ALIASES: dict[str, str] = {}
DECLARED_IN: dict[str, str] = {}  # op name -> the declaration module that registered it

# Namespaces whose public module is not xops.numpy.<namespace>: the nn ops (conv, pooling,
# attention, ctc_loss) are the functions of xops.nn.functional.
HOMES = {"nn": "xops.nn.functional"}


def home(namespace: str) -> str:
    """The public module of an op namespace ("" is xops.numpy itself)."""
    return HOMES.get(namespace) or "xops.numpy" + ("." + namespace if namespace else "")

_KIND_DOC = {"b": "bool", "i": "signed integer", "u": "unsigned integer", "f": "real floating",
             "c": "complex floating"}
_RULE_DOC = {
    "same": "the promoted dtype of the inputs",
    "float": "the promoted dtype, with bool/integer inputs computed in the backend's default "
             "float dtype",
    "bool": "bool (inputs are compared in their promoted dtype)",
    "real": "the promoted dtype, complex inputs giving the matching real dtype",
    "tobool": "bool (inputs are read as truth values)",
}


def _register(info: OpInfo) -> None:
    if info.name in REGISTRY or info.name in ALIASES:
        raise RuntimeError(f"xops: op {info.name!r} declared twice")
    REGISTRY[info.name] = info
    # the module applying the decorator: _register <- deco <- the declaration module
    DECLARED_IN[info.name] = sys._getframe(2).f_globals.get("__name__", "")
    for a in info.aliases:
        ALIASES[(info.namespace + "." + a) if info.namespace else a] = info.name
    info.fn.__module__ = home(info.namespace)


def declare(category: Category, *, ref: str | None = None, composite: bool = False,
            kernels: tuple[str, ...] | None = None, aliases: tuple[str, ...] = (),
            namespace: str = "", doc_args: str = "", fast: Callable | None = None,
            **extra: Any) -> Callable[[Callable], Callable]:
    """Register a hand-written op (its body normalises arguments then calls one kernel, or
    composes other xops ops when ``composite``).

    ``namespace="linalg"`` puts the op in ``xops.numpy.linalg`` (registry key ``"linalg.inv"``,
    NumPy reference ``numpy.linalg.inv``, default kernel name ``linalg.inv``, the op's name).
    ``fallback=fn`` (kept in ``extra``): the op's generic composition, with its kernel's
    signature, run where a backend has no kernel.
    ``doc_args``: the ``Args:``/``Returns:`` sections of the docstring, when a family of ops that
    take the same parameters shares them (written once beside the family); they go after the
    op's own summary, before its ``>>>`` examples.
    ``fast``: ``fast(op) -> public`` wraps the declared op in a function with the same
    signature that answers its hottest calls from an eager cache and passes the rest on (the
    reductions' whole-array path)."""

    def deco(body: Callable) -> Callable:
        if doc_args:
            body.__doc__ = with_sections(body.__doc__, doc_args)
        short = body.__name__
        name = f"{namespace}.{short}" if namespace else short

        fn = body if isinstance(body, type) else _checked(body, name)  # finfo, iinfo: the class
        if fast is not None:
            pub = fast(fn)
            pub.__code__ = pub.__code__.replace(co_name=short, co_qualname=short)
            fn = functools.wraps(body)(pub)
        _register(OpInfo(name, fn, category, name if ref is None else ref, composite,
                         () if composite else (kernels if kernels is not None else (name,)),
                         aliases, None, extra, namespace))
        return fn

    return deco


def namespace_exports(namespace: str, shared: tuple[str, ...] = ()) -> dict[str, Callable]:
    """The public functions of ``xops.numpy.<namespace>`` by name: the ops declared with that
    namespace and their aliases, plus the top-level ops named in ``shared`` (the ones the
    standard also places there; same function) unless the namespace declares its own."""
    from . import load_all
    load_all()  # the shared top-level ops come from every area
    pre = namespace + "."
    out = {n: REGISTRY[n].fn for n in shared if n in REGISTRY and pre + n not in REGISTRY}
    out.update({n[len(pre):]: i.fn for n, i in REGISTRY.items() if n.startswith(pre)})
    out.update({a[len(pre):]: REGISTRY[n].fn for a, n in ALIASES.items() if a.startswith(pre)})
    return out


def with_sections(doc: str | None, sections: str) -> str:
    """``doc`` with ``sections`` put after its summary and before its ``>>>`` examples."""
    summary, example, rest = inspect.cleandoc(doc or "").partition("\n>>>")
    return (summary.rstrip() + "\n\n" + inspect.cleandoc(sections) + "\n"
            + ("\n>>>" + rest + "\n" if example else ""))


_ARRAY_ANNOTATIONS = ("Array", "Array | None", "Sequence[Array]")
# Wrapper factories by their source: the generated module (Python caches its bytecode, so
# import compiles nothing), then the ones compiled at import because the declarations changed
# since it was generated (``make wrappers`` regenerates it; tests/test_manifest.py fails while
# any op needs a compile).
_GENERATED: dict[str, Callable[..., Any]]
try:
    from ._wrappers import TEMPLATES as _GENERATED
except ImportError:  # pragma: no cover - deleted by hand; everything still works, slower import
    _GENERATED = {}
_COMPILED: dict[str, Callable] = {}
_USED: dict[str, None] = {}  # the sources this process's declarations asked for, in order


def _checked(body: Callable, name: str) -> Callable:
    """A declared op's public function: None in a required ``Array`` parameter is one
    TypeError, and host data (NumPy arrays, lists) in array positions are converted once onto
    the call's framework (HostConstants) before ``body`` runs again.

    The wrapper is generated with ``body``'s own signature (``def sum(x, /, axis=..., *,
    keepdims=...)``): a ``*args, **kwargs`` forwarder and a loop over the checked positions
    measured +1.0-1.5 us per call on tiny arrays; the generated one costs about 0.1 us."""
    # Parameters annotated ``Array`` must not be None: NumPy would take None as an object
    # array (or a scalar) and answer something; every backend raises one TypeError instead.
    ns: dict[str, Any] = {"_body": body, "_none": none_given, "_HC": HostConstants,
                          "_name": name, "_explain": explain, "_again": again}
    params: list[str] = []  # the def's parameter list, markers included
    pos: list[str] = []  # passed on by position (``*args`` too)
    kwonly: list[str] = []  # passed on by keyword
    varkw = ""
    checks = ""
    arrays: list[str] = []  # parameters in array positions, named by explain() on a failure
    plist = list(inspect.signature(body).parameters.values())
    for i, p in enumerate(plist):
        default = "" if p.default is p.empty else f"=_d{i}"
        if default:
            ns[f"_d{i}"] = p.default
        if p.kind is p.VAR_POSITIONAL:
            params.append("*" + p.name)
            pos.append("*" + p.name)
            if p.annotation in _ARRAY_ANNOTATIONS:
                arrays.append(p.name)
        elif p.kind is p.VAR_KEYWORD:
            params.append("**" + p.name)
            varkw = p.name
        elif p.kind is p.KEYWORD_ONLY:
            if not any(q.startswith("*") for q in params):
                params.append("*")
            params.append(p.name + default)
            kwonly.append(p.name)
        else:
            params.append(p.name + default)
            pos.append(p.name)
            if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(plist)
                                                 or plist[i + 1].kind is not p.POSITIONAL_ONLY):
                params.append("/")
            if p.annotation in _ARRAY_ANNOTATIONS:
                arrays.append(p.name)
            if p.annotation in ("Array", "Array | None") and p.default is p.empty:
                checks += f"        if {p.name} is None:\n            raise _none(_name)\n"
    call = ", ".join(pos + [f"{k}={k}" for k in kwonly] + ([f"**{varkw}"] if varkw else []))
    args_tuple = "(" + "".join(a + ", " for a in pos) + ")"
    kwargs_dict = ("{" + "".join(f"{k!r}: {k}, " for k in kwonly)
                   + (f"**{varkw}" if varkw else "") + "}")
    explained = "".join(f"{a!r}: {a}, " for a in arrays)
    # built inside a factory so that body, defaults and helpers are closure cells: dynamo
    # guards a closure once per op, a generated module's globals dict once more per op
    src = (f"def _make({', '.join(ns)}):\n"
           f"    def _op({', '.join(params)}):\n{checks}"
           "        try:\n"
           "            try:\n"
           f"                return _body({call})\n"
           "            except _HC as _signal:  # NumPy data or lists beside arrays: convert\n"
           f"                _a, _k = _signal.convert({args_tuple}, {kwargs_dict})\n"
           "                return _body(*_a, **_k)\n"
           "        except Exception as _e:  # error path only: name the op and the bad argument\n"
           f"            _ctx = _again(_e, {{{explained}}})\n"
           "            if _ctx is not None:  # DTensor refused a constant xops made\n"
           "                with _ctx:\n"
           f"                    return _op({call})\n"
           f"            _err = _explain(_name, _e, {{{explained}}})\n"
           "            raise _err from _err.__cause__\n"
           "    return _op\n")
    # Ops with the same parameter list share one factory; the op's own name goes into its code
    # object. Compiling the 130-odd factories at import took 0.15-0.25 s: they come from the
    # generated module _wrappers.py instead.
    _USED[src] = None
    make = _GENERATED.get(src) or _COMPILED.get(src)
    if make is None:
        scope: dict[str, Any] = {}
        exec(compile(src, "<xops op>", "exec"), scope)  # noqa: S102 - built from the signature
        make = _COMPILED[src] = scope["_make"]
    fn = make(**ns)
    short = body.__name__
    fn.__code__ = fn.__code__.replace(co_name=short, co_qualname=short,
                                      co_filename=f"<xops op {name}>")
    return functools.wraps(body)(fn)


_WRAPPERS_HEADER = '''"""Generated by ``make wrappers`` (``_registry.write_wrappers``) from the op
declarations: the factories of the ops' public wrappers, one per distinct signature, keyed by
their source. Do not edit by hand; a declaration whose wrapper is missing here still works
(compiled at import) and tests/test_manifest.py asks for a regeneration."""
# fmt: off
# ruff: noqa
from typing import Any, Callable
'''


def wrappers_source() -> str:
    """The text of _wrappers.py for the declarations imported in this process (import
    ``xops.numpy`` and ``xops.nn`` first)."""
    out = [_WRAPPERS_HEADER]
    srcs = sorted(_USED)
    for i, src in enumerate(srcs):
        out.append("\n" + src.replace("def _make(", f"def _t{i}(", 1))
    out.append("\n\nTEMPLATES: dict[str, Callable[..., Any]] = {\n")
    for i, src in enumerate(srcs):
        if '"""' in src or "\\" in src:  # pragma: no cover - the template writes neither
            raise ValueError("wrapper source not writable as a triple-quoted string")
        out.append(f'    """{src}""": _t{i},\n')
    out.append("}\n")
    return "".join(out)


def index_source() -> str:
    """The text of xops/numpy/_index.py: which declaration module holds each top-level name of
    ``xops.numpy`` (ops and aliases), so that ``xops.numpy`` loads an area on first use."""
    areas = {n: DECLARED_IN[n].rpartition(".")[2] for n, i in REGISTRY.items() if not i.namespace}
    areas.update({a: areas[n] for a, n in ALIASES.items() if "." not in a})
    rows = "".join(f"    {n!r}: {areas[n]!r},\n" for n in sorted(areas))
    return ('"""Generated by ``make wrappers`` from the op declarations: the ``xops.numpy_api``\n'
            'module declaring each top-level name of ``xops.numpy``. Do not edit by hand."""\n'
            f"AREAS = {{\n{rows}}}\n")


def write_wrappers() -> None:
    """Regenerate numpy_api/_wrappers.py and numpy/_index.py from the declarations
    (``make wrappers``)."""
    import pathlib

    from . import load_all
    load_all()
    here = pathlib.Path(__file__).parent
    (here.parent / "numpy" / "_index.py").write_text(index_source())  # xops.numpy needs it
    import xops.nn  # noqa: F401 - every declaration
    (here / "_wrappers.py").write_text(wrappers_source())
    print(f"wrote {here / '_wrappers.py'} ({len(_USED)} wrapper factories) and "
          f"{here.parent / 'numpy' / '_index.py'} ({len(REGISTRY)} ops)")


def _elementwise(nin: int, kinds: str, rule: ElementwiseRule, generic: bool, ref: str | None,
                 aliases: tuple[str, ...], category: Category) -> Callable[[Callable], Callable]:
    def deco(body: Callable) -> Callable:
        name = body.__name__
        op = Elementwise(name, nin, kinds, rule, body if generic else None)
        fn: Any = (make_unary if nin == 1 else make_binary)(op)
        functools.update_wrapper(fn, body)
        fn.__signature__ = inspect.signature(body)
        del fn.__wrapped__  # the body is the generic composition, not the public entry point
        accepted = ", ".join(_KIND_DOC[k] for k in kinds)
        # one argument per line (Google style; tests/test_manifest.py parses every op's Args)
        args = "".join(f"    {a}: arrays of one backend (numpy, jax, torch, tensorflow) or Python "
                       "scalars (weak: they take the array's dtype kind), broadcast together. "
                       f"Accepted dtypes: {accepted}.\n"
                       for a in (("x",) if nin == 1 else ("x1", "x2")))
        fn.__doc__ = (f"{(body.__doc__ or '').strip()}\n\n"
                      f"Args:\n{args}\n"
                      f"Returns:\n    An array of the same backend, dtype {_RULE_DOC[rule]}.\n")
        _register(OpInfo(name, fn, category, name if ref is None else ref, False, (name,),
                         aliases, op))
        return fn

    return deco


def unary(kinds: str, rule: ElementwiseRule = "same", *, generic: bool = False,
          ref: str | None = None, aliases: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Declare a unary elementwise op. With ``generic`` the body is the fallback composition."""
    return _elementwise(1, kinds, rule, generic, ref, aliases, "elementwise")


def binary(kinds: str, rule: ElementwiseRule = "same", *, generic: bool = False,
           ref: str | None = None, aliases: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Declare a binary elementwise op. With ``generic`` the body is the fallback composition."""
    return _elementwise(2, kinds, rule, generic, ref, aliases, "elementwise")

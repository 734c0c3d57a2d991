"""The one dispatch path: backend resolution, promotion, casts, kernel lookup, errors.

Every public op goes through here. Elementwise ops and reductions get generated wrappers with a
fast path (same array type, same dtype, nothing to cast: one dict lookup, then the native call);
everything else falls to the slow path, which resolves the backend from the arguments, applies the
xops promotion rules, casts, and caches the fast path for next time.

Under torch.compile the wrappers take a third, traced path instead (``IS_DYNAMO()`` is folded to
True by dynamo): the mutable caches above are never read while tracing, since dynamo would guard
their contents. The traced path asks a ``trace_constant`` function for a plan keyed by the
argument types and native dtypes (run for real at trace time; dynamo installs no guards on it or
on its result) and calls the plan, which holds only the kernel and the casts to apply. A compiled
function then carries about the guards of the same code written with torch directly.
"""
from __future__ import annotations

from typing import Any, Callable, Literal, Sequence

from . import _dtypes, _fast
from . import backends as _backends
from ._axes import (  # noqa: F401 - re-exported
    _ALLOCATING,
    AxisError,
    _shape_like,
    normalize_axes,
    normalize_axis,
    normalize_shape,
    opname_of,
)
from ._dtypes import PROMOTION_TABLE, REAL_OF, DType, bool_
from ._errors import (  # noqa: F401 - re-exported
    PY_SCALARS,
    HostConstants,
    _is_framework_shape_error,
    again,
    distributed_error,
    explain,
    none_given,
    shape_error,
)
from .backends import (
    _LOADED,
    TYPE_CACHE,
    Backend,
    _compiling,
    backend_of,
    backend_of_type,
    current_default_backend,
    deref,
    get_backend,
    ref,
    trace_constant,
)

# See backends.IS_DYNAMO: replaced by torch's probe once torch is imported (a global here, so the
# wrappers read it with one LOAD_GLOBAL).
IS_DYNAMO = _backends.IS_DYNAMO

def annotate(e: BaseException, name: str, be: Backend | None, args: Sequence[Any] = (),
             broadcast: bool = False) -> None:
    """Name the op and backend on an error raised by a native kernel (keeps its type). When the
    kernel failed because its arrays sit on different devices (``args``: the arrays it got),
    raise the one error for that mistake instead: a ValueError naming the op and the devices.
    Checked only here, after a failure, so a call on one device pays nothing for it. A failure
    on distributed arrays (torch DTensor) raises the one NotImplementedError for it."""
    if args and be is not None:
        derr = distributed_error(name, e, {f"argument {i + 1}": a for i, a in enumerate(args)})
        if derr is not None:
            raise derr from derr.__cause__
    if args and be is not None and isinstance(e, RuntimeError):
        clash = getattr(be.k, "device_clash", None)
        devs = clash(args) if clash is not None else None
        if devs:
            raise ValueError(f"{opname_of(name)}: arrays on different devices "
                             f"({', '.join(str(d) for d in devs)}) on the {be.name} backend; xops "
                             "never moves data between devices: move them first") from e
    if broadcast and len(args) > 1:
        shapes = [tuple(a.shape) for a in args if hasattr(a, "shape")]
        if len(shapes) > 1 and not _broadcastable(shapes):
            raise ValueError(f"{opname_of(name)}: shapes "
                             f"{' and '.join(str(s) for s in shapes)} do not broadcast together"
                             + ("" if be is None else f" (on the {be.name} backend)")) from e
    if _is_framework_shape_error(e):
        raise shape_error(name, e, [("", a) for a in args]) from e
    where = f" on the {be.name} backend" if be is not None else ""
    note = f"(raised in {opname_of(name)}{where})"
    if note not in getattr(e, "__notes__", ()):
        e.add_note(note)


def _broadcastable(shapes: list) -> bool:
    for dims in zip(*(reversed(s) for s in shapes)):
        sizes = {d for d in dims if d != 1 and d is not None}  # None: unknown (tf)
        if len(sizes) > 1:
            return False
    return True


def _unsupported(name: str, t: type) -> TypeError:
    return TypeError(f"{opname_of(name)}: unsupported argument type "
                     f"{t.__module__}.{t.__qualname__}; pass an array of numpy, jax, torch or "
                     "tensorflow, or a Python scalar")


def _mixed(name: str, a: Backend, b: Backend) -> TypeError:
    return TypeError(f"{opname_of(name)}: arguments mix the {a.name} and {b.name} backends; "
                     f"convert explicitly with xops.convert(x, {a.name!r}) - xops never converts "
                     "between backends implicitly")


def array(name: str, x: Any, arg: str = "x") -> Backend:
    """The backend of ``x``, an argument of op ``name`` that must be an array: the one check (and
    wording) for None, Python scalars, lists and foreign objects where an array is required."""
    be = None if x is None or type(x) in PY_SCALARS else backend_of(x)
    if be is None:
        raise TypeError(f"{opname_of(name)}: {arg} must be an array of numpy, jax, torch or "
                        f"tensorflow, got {type(x).__name__}")
    return be


_SEQUENCES = (list, tuple)


def resolve(name: str, *args: Any, like: Any = None, dtype: Any = None) -> Backend:
    """The single backend of the array arguments (None entries and Python scalars ignored).

    Mixing two frameworks is a TypeError naming the op and both backends; NumPy data beside one
    framework's arrays, and Python sequences of numbers, raise :class:`HostConstants` (the op
    converts them and calls again); no array at all gives ``like``'s backend, else the
    framework of a native ``dtype`` object (``torch.float32``), else the default backend.
    """
    if IS_DYNAMO():
        return _LOADED[_resolve_types(name, tuple([type(a) for a in args]),
                                      None if like is None else type(like))]
    found: Backend | None = None
    for a in args:
        if a is None or type(a) in PY_SCALARS:
            continue
        be = TYPE_CACHE.get(type(a)) or backend_of(a)
        if be is None:
            if type(a) in _SEQUENCES:
                return _resolve_host(name, args, like)
            raise _unsupported(name, type(a))
        if found is None:
            found = be
        elif be is not found:
            return _resolve_host(name, args, like)
    if found is None:
        if like is None and dtype is not None:
            return _dtype_backend(name, dtype)
        return _no_array(name, like, None if like is None else backend_of(like))
    return found


def _dtype_backend(name: str, dtype: Any) -> Backend:
    """A creation call without arrays or like=: a framework dtype object selects its framework
    (``zeros(3, dtype=torch.float32)`` makes a torch tensor), unless a scope names another."""
    fw = _backends.dtype_framework(dtype)
    if fw is None:
        return current_default_backend()
    scoped = _backends.explicit_default_backend()
    if scoped is not None and get_backend(scoped).name != fw:
        raise TypeError(f"{opname_of(name)}: dtype {dtype!r} is a {fw} dtype but the default "
                        f"backend is {get_backend(scoped).name} (default_backend scope or "
                        "XOPS_BACKEND); pass like= or an xops dtype")
    return get_backend(fw)


def _resolve_host(name: str, args: Sequence[Any], like: Any) -> Backend:
    """resolve() when the arguments hold host data or several backends (see HostConstants)."""
    frameworks: list[Backend] = []
    first = None
    host = []
    for a in args:
        if a is None or type(a) in PY_SCALARS:
            continue
        if type(a) in _SEQUENCES:
            host.append(a)
            continue
        be = TYPE_CACHE.get(type(a)) or backend_of(a)
        if be is None:
            raise _unsupported(name, type(a))
        if be.name == "numpy":
            host.append(a)
        elif not frameworks:
            frameworks.append(be)
            first = a
        elif be is not frameworks[0]:
            raise _mixed(name, frameworks[0], be)
    if frameworks:
        target = frameworks[0]
    else:
        arrays = [a for a in host if type(a) not in _SEQUENCES]
        if arrays:  # NumPy arrays and sequences: a NumPy call
            target, first = get_backend("numpy"), arrays[0]
        else:
            target = _no_array(name, like, None if like is None else backend_of(like))
            first = like
        host = [a for a in host if type(a) in _SEQUENCES or target.name != "numpy"]
    if not host:
        return target
    raise HostConstants(name, target, first, host)


@trace_constant
def _resolve_types(name: str, types: tuple, like: type | None) -> str:
    """The name of resolve()'s backend, from the argument types alone (traced paths)."""
    return _resolve_backend(name, types, like).name


def _resolve_backend(name: str, types: tuple, like: type | None) -> Backend:
    # resolve()'s rule over argument types (traced paths). resolve() keeps its own inline
    # loop over instances: a shared helper taking lookup functions measured +110 ns on
    # every resolve() call (615 vs 505 ns for two numpy arrays).
    found: Backend | None = None
    for t in types:
        if t in PY_SCALARS or t is type(None):
            continue
        be = backend_of_type(t)
        if be is None:
            raise _unsupported(name, t)
        if found is None:
            found = be
        elif be is not found:
            if "numpy" in (be.name, found.name):
                fw = found if be.name == "numpy" else be
                raise TypeError(f"{opname_of(name)}: NumPy constants join {fw.name} arrays "
                                "eagerly, but not inside this compiled function (only elementwise "
                                f"ops convert them there); make them {fw.name} arrays first")
            raise _mixed(name, found, be)
    if found is None:
        return _no_array(name, like, None if like is None else backend_of_type(like))
    return found


def _no_array(name: str, like: Any, like_backend: Backend | None) -> Backend:
    """The backend of a call with no array argument: ``like``'s (an array or, traced, its type),
    else the default backend."""
    if like is None:
        return current_default_backend()
    if like_backend is None:
        t = like if isinstance(like, type) else type(like)
        raise TypeError(f"{opname_of(name)}: like= must be an array of a supported backend, got "
                        f"{t.__name__}")
    return like_backend


def backend_arg(name: str, backend: Any) -> Backend:
    return backend if isinstance(backend, Backend) else get_backend(backend)


def check_int_scalar(name: str, v: int, d: DType) -> None:
    if d.kind in "iu" and not isinstance(v, bool):
        lo, hi = _int_range(d.name)
        if v < lo or v > hi:
            raise OverflowError(f"{opname_of(name)}: Python int {v} is out of range for "
                                f"{d.name} (NumPy 2 semantics: no silent wrap)")


@trace_constant
def _int_range(dtype_name: str) -> tuple[int, int]:
    info = _dtypes.iinfo(dtype_name)
    return info.min, info.max


def to_array(be: Backend, name: str, v: Any, d: DType, like: Any = None) -> Any:
    """A Python scalar as a 0-d array of dtype ``d`` (on ``like``'s device)."""
    if isinstance(v, int) and not isinstance(v, bool):
        check_int_scalar(name, v, d)
    return be.k.scalar(v, be.check_dtype(d, name), like)


# --------------------------------------------------------------------------------------------
# promotion and compute dtypes: one rule table
# --------------------------------------------------------------------------------------------
# How an op turns its (promoted) input dtype into the dtype it computes in.
ComputeRule = Literal["same", "float", "bool", "sum", "lapack"]
_COMPUTE: dict[str, Callable[[DType, Backend], DType]] = {
    # the promoted dtype as it is
    "same": lambda d, be: d,
    # float-valued ops (exp, divide, mean): bool and integers compute in the default float
    "float": lambda d, be: _dtypes.to_float(d, be.default_float),
    # truth values (logical ops, all/any)
    "bool": lambda d, be: bool_,
    # NumPy's accumulator (sum, prod, cumsum): bool and narrow integers widen to the default int
    "sum": lambda d, be: _dtypes.sum_dtype(d, be.default_int),
    # LAPACK/FFT kernels exist for float32/64 and complex only: integers compute in the default
    # float, float16/bfloat16 in float32
    "lapack": lambda d, be: (be.default_float if d.kind in "biu"
                             else _dtypes.float32 if d.kind == "f" and d.bits < 32 else d),
}


def compute_dtype(rule: ComputeRule, d: DType, be: Backend) -> DType:
    """The dtype an op with compute rule ``rule`` computes in for input dtype ``d``."""
    return _COMPUTE[rule](d, be)


_KIND_NAMES = {"b": "bool", "i": "signed int", "u": "unsigned int", "f": "float", "c": "complex"}


def _kind_names(kinds: str) -> str:
    return ", ".join(_KIND_NAMES[k] for k in kinds)


def check_kind(name: str, d: DType, kinds: str, arg: str | None = None,
               hint: str = "cast with xnp.astype") -> None:
    """The one error for an input whose dtype kind an op does not accept."""
    if d.kind not in kinds:
        where = f" for {arg}" if arg else ""
        raise TypeError(f"{opname_of(name)}: does not accept {d.name} input{where} (accepted "
                        f"kinds: {_kind_names(kinds)}); {hint}")


def promote(be: Backend, dts: Sequence[DType | None], values: Sequence[Any]) -> DType:
    """The xops result dtype of arguments with dtypes ``dts``, None marking a Python scalar
    (weak: its value in ``values`` only decides the kind); only scalars: NumPy's defaults."""
    arr = [d for d in dts if d is not None]
    if not arr:
        return _scalar_only_dtype(values, be)
    d = arr[0]
    for e in arr[1:]:
        d = PROMOTION_TABLE[(d, e)]
    for v, ad in zip(values, dts):
        if ad is None:
            d = _dtypes.weak_scalar_dtype(v, d, be.default_int, be.default_float)
    return d


# --------------------------------------------------------------------------------------------
# elementwise
# --------------------------------------------------------------------------------------------
# 'same': result = promoted inputs; 'float': bool/integers compute in the default float; 'bool':
# compare in the promoted dtype, return bool; 'real': complex in, real out; 'tobool': inputs
# read as truth values, bool out.
ElementwiseRule = Literal["same", "float", "bool", "real", "tobool"]
_ELEMENTWISE_COMPUTE: dict[str, ComputeRule] = {"same": "same", "float": "float", "bool": "same",
                                                "real": "same", "tobool": "bool"}


class Elementwise:
    """Declaration data of an elementwise op: accepted dtype kinds and its dtype rule."""

    __slots__ = ("name", "nin", "kinds", "rule", "fallback", "fast", "scalar_fast")

    def __init__(self, name: str, nin: int, kinds: str, rule: ElementwiseRule,
                 fallback: Callable | None):
        self.name = name
        self.nin = nin
        self.kinds = kinds
        self.rule = rule
        self.fallback = fallback
        self.fast: dict[type, dict[Any, Callable]] = {}
        # array type -> {(native dtype, scalar type, scalar position): call(array, scalar)};
        # keyed by type first so that under torch.compile the dict dynamo reads holds only
        # torch dtypes (it cannot hash NumPy dtypes while tracing).
        self.scalar_fast: dict[type, dict[tuple, Callable]] = {}
        _ELEMENTWISE[name] = self

    def compute_dtype(self, d: DType, be: Backend) -> DType:
        check_kind(self.name, d, self.kinds)
        return compute_dtype(_ELEMENTWISE_COMPUTE[self.rule], d, be)

    def result_dtype(self, compute: DType) -> DType:
        if self.rule in ("bool", "tobool"):
            return bool_
        if self.rule == "real":
            return REAL_OF.get(compute, compute)
        return compute

    def kernel(self, be: Backend, d: DType) -> Callable:
        k = be.kernel(self.name, d)
        if k is None:
            k = self.fallback
            if k is None:
                raise NotImplementedError(f"{opname_of(self.name)} has no {be.name} kernel and no "
                                          "generic fallback")
        return k

    def build_fast(self, be: Backend) -> dict[Any, Callable]:
        table = {}
        for d, native in be.native.items():
            if d.kind not in self.kinds or self.compute_dtype(d, be) is not d:
                continue
            if be.k.unsupported_dtype(d):
                continue
            try:
                table[native] = self.kernel(be, d)
            except NotImplementedError:
                pass
        return table


# name -> declaration, for the traced plans (which get the op's name, a constant string).
_ELEMENTWISE: dict[str, Elementwise] = {}


def _elementwise_slow(op: Elementwise, args: Sequence[Any]) -> Any:
    try:
        return _elementwise_call(op, args)
    except Exception as e:  # noqa: BLE001 - error path only: name the op and the bad argument
        named = dict(zip(("x",) if len(args) == 1 else ("x1", "x2"), args))
        ctx = again(e, named)
        if ctx is not None:  # DTensor refused a constant xops made (a scalar): replicate it
            with ctx:
                return _elementwise_slow(op, args)
        err = explain(op.name, e, named)
        raise err from err.__cause__


def _elementwise_call(op: Elementwise, args: Sequence[Any]) -> Any:
    if any(a is None for a in args):
        raise none_given(op.name)
    try:
        be = resolve(op.name, *args)
    except HostConstants as h:  # NumPy data or a list beside the arrays: convert, call again
        return _elementwise_slow(op, h.convert(tuple(args), {})[0])
    dts = [None if type(a) in PY_SCALARS else be.dtype_of(a) for a in args]
    compute = op.compute_dtype(promote(be, dts, args), be)
    native = be.check_dtype(compute, op.name)
    like = next((a for a, ad in zip(args, dts) if ad is not None), None)
    call_args = []
    for a, ad in zip(args, dts):
        if ad is None:
            if like is not None and compute in be.scalars_ok:
                if isinstance(a, int) and not isinstance(a, bool):
                    check_int_scalar(op.name, a, compute)
                call_args.append(a)
            else:
                call_args.append(to_array(be, op.name, a, compute, like))
        elif ad is not compute:
            call_args.append(be.k.astype(a, native))
        else:
            call_args.append(a)
    k = op.kernel(be, compute)
    try:
        out = k(*call_args)
    except Exception as e:
        annotate(e, op.name, be, call_args, broadcast=True)
        raise
    # Cache the fast path for this array type (all dtypes at once), outside compilation.
    if like is not None and not _compiling():
        t = type(like)
        if t not in op.fast and all(type(a) is t for a in args):
            op.fast[t] = op.build_fast(be)
        elif len(args) == 2 and dts.count(None) == 1 and compute is dts[0 if dts[0] else 1]:
            pos = 0 if dts[0] is None else 1
            st = type(args[pos])
            if st in (int, float):
                op.scalar_fast.setdefault(t, {})[(like.dtype, st, pos)] = _scalar_call(
                    op, be, k, compute, native, st, pos)
    return out


def _scalar_call(op: Elementwise, be: Backend, k: Callable, d: DType, native: Any, st: type,
                 pos: int) -> Callable:
    """A cached call for array-with-Python-scalar when the scalar keeps the array's dtype."""
    name = op.name
    check = st is int and d.kind in "iu"
    passthrough = d in be.scalars_ok
    to_native = be.k.scalar

    def call(a: Any, v: Any) -> Any:
        if check:
            check_int_scalar(name, v, d)
        s = v if passthrough else to_native(v, native, a)
        try:
            return k(a, s) if pos == 1 else k(s, a)
        except Exception as e:
            annotate(e, name, be, (a, s), broadcast=True)
            raise

    return call


def _scalar_only_dtype(args: Sequence[Any], be: Backend) -> DType:
    if any(isinstance(a, complex) for a in args):
        return _dtypes.to_complex(be.default_float)
    if any(isinstance(a, float) for a in args):
        return be.default_float
    if all(isinstance(a, bool) for a in args):
        return bool_
    return be.default_int


_SCALAR_PROTO = {bool: False, int: 0, float: 0.0, complex: 0j}
_PLANS: dict[tuple, tuple] = {}
@trace_constant
def elementwise_plan(name: str, sig: tuple) -> tuple:
    """The traced path's plan for an elementwise op whose arguments have ``sig`` (per argument
    ``(type(a), getattr(a, "dtype", None))``): ``(kernel, conversions)``, each conversion None
    (pass as is), ``(cast, native dtype)`` or ``(scalar, native dtype, lo, hi, like position)``,
    with callables and dtypes as backends.REFS names. Same dtype rules and errors as the eager
    paths (raised at trace time)."""
    key = (name, sig)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _build_plan(_ELEMENTWISE[name], sig)
    return plan


def _build_plan(op: Elementwise, sig: tuple) -> tuple:
    name = op.name
    be = _resolve_backend(name, tuple(t for t, _ in sig), None)
    dts: list[DType | None] = []
    for t, nd in sig:
        if t in _SCALAR_PROTO:
            dts.append(None)
        else:
            c = be.canon.get(nd)
            dts.append(c if c is not None else _dtypes.canonical(nd))
    compute = op.compute_dtype(promote(be, dts, [_SCALAR_PROTO.get(t) for t, _ in sig]), be)
    reason = be.k.unsupported_dtype(compute)
    if reason:
        raise TypeError(f"xops.numpy.{name}: the {be.name} backend cannot hold {compute.name}: "
                        f"{reason}")
    native = be.native[compute]
    like_pos = next((i for i, ad in enumerate(dts) if ad is not None), -1)
    convs: list[tuple | None] = []
    for (t, _), ad in zip(sig, dts):
        if ad is None:
            ranged = t is int and compute.kind in "iu"
            if like_pos >= 0 and compute in be.scalars_ok and not ranged:
                convs.append(None)
            else:
                lo, hi = _int_range(compute.name) if ranged else (None, None)
                convs.append((ref(be.k.scalar), ref(native), lo, hi, like_pos))
        elif ad is not compute:
            convs.append((ref(be.k.astype), ref(native)))
        else:
            convs.append(None)
    return ref(op.kernel(be, compute)), tuple(convs)


@trace_constant
def promote_plan(name: str, backend: str, sig: tuple, kinds: str) -> tuple:
    """promote_args' traced path: (native dtype, conversions) as in elementwise_plan, Python
    scalars always made 0-d arrays like the first array argument (conversion like position 0 of
    the tuple promote_args passes)."""
    key = ("promote_args", name, backend, sig, kinds)
    plan = _PLANS.get(key)
    if plan is None:
        be = _LOADED[backend]
        dts = [None if t in _SCALAR_PROTO else be.canon.get(nd) or _dtypes.canonical(nd)
               for t, nd in sig]
        d = promote(be, dts, [_SCALAR_PROTO.get(t) for t, _ in sig])
        check_kind(name, d, kinds)
        reason = be.k.unsupported_dtype(d)
        if reason:
            raise TypeError(f"xops.numpy.{name}: the {be.name} backend cannot hold {d.name}: "
                            f"{reason}")
        native = be.native[d]
        convs: list[tuple | None] = []
        for (t, _), ad in zip(sig, dts):
            if ad is None:
                lo, hi = _int_range(d.name) if t is int and d.kind in "iu" else (None, None)
                convs.append((ref(be.k.scalar), ref(native), lo, hi, 0))
            elif ad is not d:
                convs.append((ref(be.k.astype), ref(native)))
            else:
                convs.append(None)
        plan = _PLANS[key] = (ref(native), tuple(convs))
    return plan


def _convert(name: str, conv: tuple, a: Any, args: tuple) -> Any:
    if len(conv) == 2:
        return deref(conv[0])(a, deref(conv[1]))
    fn, native, lo, hi, like_pos = conv
    if lo is not None and a is not True and a is not False and (a < lo or a > hi):
        raise OverflowError(f"{opname_of(name)}: Python int {a} is out of range (NumPy 2 "
                            "semantics: no silent wrap)")
    return deref(fn)(a, deref(native), None if like_pos < 0 else args[like_pos])


def _is_ndarray(a: Any) -> bool:
    t = type(a)
    return t.__module__ == "numpy" and t.__name__ == "ndarray"


def _traced_host(args: tuple) -> tuple:
    """Under torch.compile: a NumPy constant beside a tensor becomes a tensor (dynamo traces
    torch.as_tensor of a NumPy array as a constant), keeping its dtype."""
    import torch
    other = next((a for a in args if isinstance(a, torch.Tensor)), None)
    if other is None:
        return args
    return tuple(torch.as_tensor(a, device=other.device) if _is_ndarray(a) else a for a in args)


def traced_elementwise(name: str, args: tuple) -> Any:
    """The traced path of an elementwise op (see elementwise_plan)."""
    if len(args) == 2 and (_is_ndarray(args[0]) or _is_ndarray(args[1])):
        args = _traced_host(args)
    k, convs = elementwise_plan(name, tuple([(type(a), getattr(a, "dtype", None)) for a in args]))
    if len(args) == 1:
        c = convs[0]
        return deref(k)(args[0] if c is None else _convert(name, c, args[0], args))
    c0, c1 = convs
    return deref(k)(args[0] if c0 is None else _convert(name, c0, args[0], args),
                   args[1] if c1 is None else _convert(name, c1, args[1], args))


def make_unary(op: Elementwise) -> Callable[[Any], Any]:
    fget = op.fast.get
    slow = _elementwise_slow
    name = op.name
    cache = op.fast
    c_unary = _fast.unary
    miss = _fast.MISS

    def fn_c(x, /):  # the C path (xops/_speedups.c): the Python path below, in one call
        if IS_DYNAMO():
            return traced_elementwise(name, (x,))
        try:
            out = c_unary(cache, x)
        except Exception as e:
            annotate(e, name, TYPE_CACHE.get(type(x)), (x,))
            raise
        if out is not miss:
            return out
        return slow(op, (x,))

    if c_unary is not None:
        return fn_c

    def fn(x, /):
        if IS_DYNAMO():
            return traced_elementwise(name, (x,))
        ft = fget(type(x))
        if ft is not None:
            k = ft.get(x.dtype)
            if k is not None:
                try:
                    return k(x)
                except Exception as e:
                    annotate(e, name, TYPE_CACHE.get(type(x)), (x,))
                    raise
        return slow(op, (x,))

    return fn


def same_dtype_fast(name: str, cache: dict[type, dict[Any, Callable]],
                    op: Callable) -> Callable:
    """``declare(fast=)`` for a binary op with an eager cache ``cache[array type][native
    dtype] -> kernel`` (filled by the op itself): two arrays of one type and dtype call the
    kernel in this one frame; anything else, and everything while dynamo traces, goes to
    ``op`` (the declared op)."""
    c_binary = _fast.binary
    miss = _fast.MISS

    def fast_c(x1: Any, x2: Any, /) -> Any:  # the C path (xops/_speedups.c) of fast below
        if IS_DYNAMO():
            return op(x1, x2)
        try:
            out = c_binary(cache, x1, x2)
        except Exception as e:
            annotate(e, name, TYPE_CACHE.get(type(x1)), (x1, x2))
            raise
        return op(x1, x2) if out is miss else out

    if c_binary is not None:
        return fast_c

    def fast(x1: Any, x2: Any, /) -> Any:
        t = type(x1)
        ft = None if IS_DYNAMO() else cache.get(t)
        if ft is not None and type(x2) is t:
            d = x1.dtype
            k = ft.get(d) if d is x2.dtype else None
            if k is not None:
                try:
                    return k(x1, x2)
                except Exception as e:
                    annotate(e, name, TYPE_CACHE.get(t), (x1, x2))
                    raise
        return op(x1, x2)

    return fast


def make_binary(op: Elementwise) -> Callable[[Any, Any], Any]:
    fget = op.fast.get
    sget = op.scalar_fast.get
    slow = _elementwise_slow
    name = op.name
    cache = op.fast
    c_binary = _fast.binary
    miss = _fast.MISS

    def fn_c(x1, x2, /):  # the C path (xops/_speedups.c) of fn below, then its scalar cases
        if IS_DYNAMO():
            return traced_elementwise(name, (x1, x2))
        try:
            out = c_binary(cache, x1, x2)
        except Exception as e:
            annotate(e, name, TYPE_CACHE.get(type(x1)), (x1, x2), broadcast=True)
            raise
        if out is not miss:
            return out
        t = type(x1)
        t2 = type(x2)
        if (t2 is float or t2 is int) and (st := sget(t)) is not None:
            k = st.get((x1.dtype, t2, 1))  # array <op> Python scalar
            if k is not None:
                return k(x1, x2)
        elif (t is float or t is int) and (st := sget(t2)) is not None:
            k = st.get((x2.dtype, t, 0))  # Python scalar <op> array
            if k is not None:
                return k(x2, x1)
        return slow(op, (x1, x2))

    if c_binary is not None:
        return fn_c

    def fn(x1, x2, /):
        if IS_DYNAMO():
            return traced_elementwise(name, (x1, x2))
        t = type(x1)
        t2 = type(x2)
        if t2 is t:
            ft = fget(t)
            if ft is not None:
                d = x1.dtype
                if d is x2.dtype:
                    k = ft.get(d)
                    if k is not None:
                        try:
                            return k(x1, x2)
                        except Exception as e:
                            annotate(e, name, TYPE_CACHE.get(t), (x1, x2), broadcast=True)
                            raise
        elif (t2 is float or t2 is int) and (st := sget(t)) is not None:
            k = st.get((x1.dtype, t2, 1))  # array <op> Python scalar
            if k is not None:
                return k(x1, x2)
        elif (t is float or t is int) and (st := sget(t2)) is not None:
            k = st.get((x2.dtype, t, 0))  # Python scalar <op> array
            if k is not None:
                return k(x2, x1)
        return slow(op, (x1, x2))

    return fn


def dtype_arg(name: str, dtype: Any) -> DType | None:
    if dtype is None:
        return None
    try:
        return _dtypes.canonical(dtype)
    except TypeError:
        raise TypeError(f"{opname_of(name)}: {dtype!r} is not a dtype; expected an xops dtype, "
                        "a dtype name or a framework dtype") from None


def call(be: Backend, name: str, *args: Any, op: str | None = None,
         broadcast: bool = False) -> Any:
    """Call backend kernel ``name`` (or raise a clear error), naming the op (``op``, default
    ``name``) and the backend on failure. The one way op code reaches a kernel: under dynamo it
    goes through backends.REFS, never reading the kernel table (whose keys hold dots)."""
    if IS_DYNAMO():
        return deref(_kernel_ref(be.name, name, op or name))(*args)
    k = getattr(be.k, name, None)
    if k is None:
        raise NotImplementedError(f"{opname_of(op or name)} is not available on the {be.name} "
                                  "backend")
    try:
        return k(*args)
    except Exception as e:  # broadcast: a failure from unbroadcastable shapes is a ValueError
        annotate(e, op or name, be, args, broadcast=broadcast)
        raise


@trace_constant
def _kernel_ref(backend: str, name: str, op: str) -> str:
    k = getattr(_LOADED[backend].k, name, None)
    if k is None:
        raise NotImplementedError(f"{opname_of(op)} is not available on the {backend} backend")
    return ref(k)


def promote_args(name: str, be: Backend, args: Sequence[Any], kinds: str = "biufc",
                 like: Any = None) -> tuple[list[Any], DType]:
    """Cast arrays (and turn Python scalars into 0-d arrays) to their promoted dtype."""
    if IS_DYNAMO():
        native, convs = promote_plan(name, be.name, tuple([(type(a), getattr(a, "dtype", None))
                                                          for a in args]), kinds)
        if like is None:
            like = next((a for a, c in zip(args, convs) if c is None or len(c) == 2), None)
        return ([a if c is None else _convert(name, c, a, (like,)) for a, c in zip(args, convs)],
                be.canon[deref(native)])
    dts = [None if type(a) in PY_SCALARS else be.dtype_of(a) for a in args]
    d = promote(be, dts, args)
    check_kind(name, d, kinds)
    native = be.check_dtype(d, name)
    if like is None:
        like = next((a for a, ad in zip(args, dts) if ad is not None), None)
    out = []
    for a, ad in zip(args, dts):
        if ad is None:
            out.append(to_array(be, name, a, d, like))
        elif ad is not d:
            out.append(call(be, "astype", a, native))
        else:
            out.append(a)
    return out, d


def is_tracing() -> bool:
    """True while dynamo traces the caller (for ops outside this module: they must not read
    their eager caches then; import this function, not IS_DYNAMO, whose value is replaced once
    torch is imported). About 40 ns eagerly."""
    return IS_DYNAMO()


def _refresh_probe(_be: Backend) -> None:
    global IS_DYNAMO
    IS_DYNAMO = _backends.IS_DYNAMO


# torch may have been imported before xops: point the probe at it now, and again whenever a
# backend loads (the torch backend's load is when torch's probe becomes available).
_backends._install_dynamo_probe()
IS_DYNAMO = _backends.IS_DYNAMO
_backends.on_load(_refresh_probe)

"""The errors every op shares: what is wrong with a value in an array position, the one
ValueError for shapes a framework refused, the explanation of a failed call
(:func:`explain`) and the host-constants signal of the mixing rule. Error paths only: a call
that succeeds never runs this code. ``xops._dispatch`` re-exports these names."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._axes import opname_of
from .backends import backend_of

if TYPE_CHECKING:
    from .backends import Backend

PY_SCALARS = (bool, int, float, complex)


def none_given(name: str) -> TypeError:
    """The one error for None where op ``name`` expects an array."""
    return TypeError(f"{opname_of(name)}: got None where an array is expected")


# the exception types of docs/semantics.md's error table
_DOCUMENTED = (TypeError, ValueError, IndexError, OverflowError, NotImplementedError)
# dtype kinds NumPy has and xops does not: object, bytes, str, datetime, timedelta (not
# 'V': ml_dtypes' bfloat16 has kind V)
_NON_NUMERIC_KINDS = frozenset("OSUMm")


def _bad_array_value(v: Any, depth: int = 0) -> tuple[type, str] | None:
    """What is wrong with ``v`` where an array belongs, as (exception type, reason), or None.
    Error path only (see :func:`explain`): never called for a call that succeeded."""
    if v is None:  # inside a sequence of arrays; at the top, explain() decides
        return (TypeError, "{arg} holds None where an array is expected") if depth else None
    if type(v) in PY_SCALARS:
        return None
    kind = getattr(getattr(v, "dtype", None), "kind", None)
    if isinstance(kind, str) and kind in _NON_NUMERIC_KINDS:
        return TypeError, (f"{{arg}} has dtype {v.dtype}, which xops does not support (no object, "
                           "string or datetime dtypes); pass numbers")
    if isinstance(v, (list, tuple)):
        if depth > 32:
            return None
        if any(not isinstance(e, (list, tuple)) and (e is None or type(e) not in PY_SCALARS)
               for e in v):  # holds arrays or objects: judge each element
            for e in v:
                bad = _bad_array_value(e, depth + 1)
                if bad is not None:
                    return bad
            return None
        import numpy as np
        try:
            a = np.asarray(v)
        except ValueError:
            return ValueError, ("{arg} is a ragged sequence: its nested lists have different "
                                "lengths (an inhomogeneous shape); pass a rectangular sequence "
                                "of numbers")
        except Exception:  # noqa: BLE001 - anything else NumPy refuses: not a number sequence
            return TypeError, "{arg} is a sequence that holds no numbers; pass numbers"
        if a.dtype.kind in _NON_NUMERIC_KINDS:
            return TypeError, (f"{{arg}} is a sequence of {type(a.flat[0]).__name__} (NumPy "
                               f"makes a {a.dtype} array of it); xops takes sequences of numbers "
                               "only")
        return None
    if hasattr(v, "shape") and backend_of(v) is not None:
        return None
    t = type(v)
    return TypeError, (f"unsupported argument type {t.__module__}.{t.__qualname__} for {{arg}}; "
                       "pass an array of "
                       "numpy, jax, torch or tensorflow, or a Python scalar")


# torch reports shapes that do not fit as a plain RuntimeError; these are its wordings (a
# RuntimeError that says nothing of sizes or dimensions, an out-of-memory one, stays itself)
_TORCH_SHAPE_WORDS = re.compile(
    r"must match the size|size mismatch|cannot be multiplied|is invalid for input of "
    r"size|number of dimensions|negative dimension|invalid shape dimension|does not match the "
    r"length|Expected .*dimension|kernel size should be greater than zero|must be of size|"
    r"dimension specified as|expected .* to have .* dimensions|doesn.t match the broadcast shape|"
    r"does not broadcast|inconsistent tensor size")


_TF_SHAPE_WORDS = re.compile(r"shape|dim|incompatible|size|rank|broadcast|mismatch|columns|"
                             r"must be a (vector|matrix|scalar)",
                             re.IGNORECASE)
_JAX_SHAPE_WORDS = re.compile(r"requires contracting dimensions to have the same shape|"
                              r"Incompatible shapes for (broadcasting|dot)")


def shape_error(name: str, e: BaseException, args: list[tuple[str, Any]]) -> ValueError:
    """The one ValueError for shapes a framework's kernel refused (``args``: (label, value);
    a list or tuple value, such as ``*operands``, is listed element by element)."""
    flat = []
    for label, v in args:
        if isinstance(v, (list, tuple)):
            flat += [(f"{label}[{i}]", el) for i, el in enumerate(v)]
        else:
            flat.append((label, v))
    shapes = ", ".join(f"{label} {tuple(v.shape)}".strip() for label, v in flat
                       if hasattr(v, "shape") and not isinstance(v, type))
    text = str(e).strip()
    msg = text.splitlines()[0] if text else type(e).__name__
    return ValueError(f"{opname_of(name)}: invalid arguments (shapes: {shapes or 'none'}); the "
                      f"framework says {type(e).__name__}: {msg[:300]}")


def _is_framework_shape_error(e: BaseException) -> bool:
    """True for a framework's own error about argument shapes or sizes (tf's
    InvalidArgumentError, torch's RuntimeError with a shape wording): xops raises ValueError."""
    t = type(e)
    if t.__name__ == "InvalidArgumentError" and t.__module__.startswith("tensorflow"):
        return _TF_SHAPE_WORDS.search(str(e)) is not None  # not "Input is not invertible"
    if t is TypeError:  # jax/XLA word some shape errors as TypeErrors
        return _JAX_SHAPE_WORDS.search(str(e)) is not None
    return t is RuntimeError and _TORCH_SHAPE_WORDS.search(str(e)) is not None


def _distributed(arrays: dict[str, Any]) -> list[str]:
    """``"x DTensor(Shard(dim=0),)"`` for each distributed array among ``arrays`` (elements of a
    list/tuple argument too), as the array's backend describes it (torch: DTensor)."""
    out = []
    for arg, v in arrays.items():
        items = ([(f"{arg}[{i}]", x) for i, x in enumerate(v)] if isinstance(v, (list, tuple))
                 else [(arg, v)])
        for label, x in items:
            be = backend_of(x) if hasattr(x, "shape") else None
            describe = getattr(be.k, "distributed", None) if be is not None else None
            what = describe(x) if describe is not None else None
            if what:
                out.append(f"{label} {what}")
    return out


_DIST = "not supported on these distributed arrays"


def _xops_own(op: str, e: BaseException) -> bool:
    """An error xops raised about the arguments themselves (a bad axis, shapes that do not
    broadcast), not a framework's error passed on (shape_error's "the framework says")."""
    text = str(e)
    return (isinstance(e, _DOCUMENTED) and text.startswith(op)
            and "the framework says" not in text and _DIST not in text)


def _call_arguments(e: BaseException) -> dict[str, Any]:
    """The arguments of the frame that caught ``e`` (an op's public wrapper, which has the op's
    signature): the wrapper hands explain() only its ``Array`` parameters, while distributed
    arrays also come in parameters typed ``Any`` (``append(arr, values)``, ``bins=``)."""
    tb = e.__traceback__
    if tb is None:
        return {}
    code = tb.tb_frame.f_code
    n = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 4)
    f_locals = tb.tb_frame.f_locals
    return {k: f_locals[k] for k in code.co_varnames[:n] if k in f_locals}


def distributed_error(name: str, e: BaseException,
                      arrays: dict[str, Any]) -> NotImplementedError | None:
    """The one error for op ``name`` failing with ``e`` on distributed arrays (torch DTensor: an
    op without a sharding rule, a plain tensor xops made meeting a DTensor, a collective gloo
    cannot run): a NotImplementedError naming the op, the arrays' placements and DTensor; None
    when no array in ``arrays`` is distributed or ``e`` is xops' own error about the arguments.
    An inner op's such error (a composite's) is named again for the outer op."""
    dist = _distributed(arrays)
    op = opname_of(name)
    if not dist or _xops_own(op, e):
        return None
    root, inner = e, op
    while _DIST in str(root) and root.__cause__ is not None:
        inner = str(root).split(":", 1)[0]
        root = root.__cause__
    text = str(root).strip()
    said = f"{type(root).__name__}: {text.splitlines()[0][:300].rstrip('.') if text else ''}"
    where = f" (in {inner})" if inner != op else ""
    err = NotImplementedError(
        f"{op}: {_DIST} ({'; '.join(dist)}): torch.distributed.tensor cannot run it on "
        f"them{where}; the framework says {said}. Gather them first (x.full_tensor()) to run "
        "it on plain tensors")
    err.__cause__ = root
    return err


def again(e: BaseException, arrays: dict[str, Any]) -> Any:
    """A context manager in which the failed op runs again, or None (almost always). torch:
    DTensor refused a plain tensor that xops made beside the op's DTensors; the op runs again
    with such tensors replicated (``replicated_retry`` in the torch backend). Error path only;
    the retried call's own failure is explained as usual."""
    flat = [x for v in arrays.values()
            for x in (v if isinstance(v, (list, tuple)) else (v,)) if hasattr(x, "shape")]
    for x in flat:
        be = backend_of(x)
        retry = getattr(be.k, "replicated_retry", None) if be is not None else None
        if retry is not None:
            try:
                return retry(e, flat)
            except Exception:  # noqa: BLE001 - never hide the original failure
                return None
    return None


def explain(name: str, e: BaseException, arrays: dict[str, Any]) -> BaseException:
    """The exception to raise when op ``name`` failed with ``e``; ``arrays``: its arguments in
    array positions, by parameter name. A bad value there (None is handled before the call) is
    the one error of docs/semantics.md naming the op and the argument: a non-numeric object or an
    object/str/datetime array is a TypeError, a ragged nested list a ValueError, whatever the
    body tripped over (an AttributeError, NumPy's own wording). A framework's failure on
    distributed arrays (torch DTensor) is one NotImplementedError naming the op, the placements
    and DTensor. Otherwise ``e`` itself, with a note naming the op when its message does not.
    Runs only after a failure: a call with good input pays nothing for these checks."""
    if isinstance(e, HostConstants):
        return e
    op = opname_of(name)
    try:
        derr = distributed_error(name, e, {**_call_arguments(e), **arrays})
        if derr is not None:
            return derr
        for arg, v in arrays.items():
            if v is None and not isinstance(e, _DOCUMENTED):  # an optional array the body used
                bad: tuple[type, str] | None = (
                    TypeError, "got None where an array is expected ({arg})")
            else:
                bad = _bad_array_value(v)
            if bad is not None:
                err = bad[0](f"{op}: {bad[1].format(arg=arg)}")
                err.__cause__ = e
                return err
        if isinstance(e, AttributeError) and not hasattr(e.obj, "shape"):
            # the body read .shape/.dtype of something in an array position that is no array
            # (an argument the wrapper does not know as one, such as an element of *arrays)
            bad = _bad_array_value(e.obj) if isinstance(e.obj, (list, tuple)) else None
            if bad is not None:
                err = bad[0](f"{op}: {bad[1].format(arg='an argument')}")
                err.__cause__ = e
                return err
            t = type(e.obj)
            err = (none_given(name) if e.obj is None else TypeError(
                f"{op}: unsupported argument type {t.__module__}.{t.__qualname__}; pass an "
                "array of numpy, jax, torch or tensorflow, or a Python scalar"))
            err.__cause__ = e
            return err
        if _is_framework_shape_error(e):
            err = shape_error(name, e, list(arrays.items()))
            err.__cause__ = e
            return err
    except Exception:  # noqa: BLE001 - never hide the original failure behind a checker's
        pass
    if op not in str(e) and not any(op in n for n in getattr(e, "__notes__", ())):
        e.add_note(f"(raised in {op})")
    return e


class HostConstants(Exception):
    """Raised by :func:`resolve` when host data sits in array positions: NumPy arrays and NumPy
    scalars beside one framework's arrays, or Python lists/tuples of numbers. The mixing rule
    (docs/semantics.md): host data are constants that join the call's one framework, converted
    once onto its backend and onto the device of its first array, keeping their dtype (NumPy's)
    or, for sequences, the dtype NumPy would infer with that backend's defaults. Declared ops
    catch it (``_registry.declare``), convert the objects named here and call again, so a call
    without host data pays nothing for the rule."""

    def __init__(self, name: str, be: Backend, like: Any, objs: list) -> None:
        super().__init__(f"{opname_of(name)}: host constants to convert (internal signal)")
        self.name, self.be, self.like, self.objs = name, be, like, objs

    def convert(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """``args``/``kwargs`` with every object named by this signal converted (also inside a
        list/tuple argument, as in ``concatenate([t, np_array])``)."""
        from ._convert import host_constant
        ids = {id(o): o for o in self.objs}
        done: dict[int, Any] = {}

        def conv(o: Any) -> Any:
            if id(o) in ids:
                if id(o) not in done:
                    done[id(o)] = host_constant(self.name, o, self.be, self.like)
                return done[id(o)]
            if isinstance(o, (list, tuple)) and any(id(e) in ids for e in o):
                return type(o)(conv(e) for e in o)
            return o

        new_args = tuple(conv(a) for a in args)
        new_kwargs = {k: conv(v) for k, v in kwargs.items()}
        if not done:  # the signal came from somewhere these arguments do not reach
            raise TypeError(f"{opname_of(self.name)}: cannot use "
                            f"{type(self.objs[0]).__name__} data here; pass an array of the "
                            f"{self.be.name} backend") from self
        return new_args, new_kwargs

"""export and load: one xnp function saved in each framework's own deployment format.

| format       | framework  | artifact                     | on disk (``path=``)         |
|--------------|------------|------------------------------|-----------------------------|
| stablehlo    | jax        | jax.export.Exported          | Exported.serialize() bytes  |
| saved_model  | tensorflow | tf.Module with a tf.function | SavedModel directory        |
| torch_export | torch      | torch.export.ExportedProgram | torch.export.save .pt2 file |

The function is traced once from example arguments; with ``batch_dims`` axis 0 of the array
arguments is left symbolic (``jax.export.symbolic_shape``, ``None`` in the tf.function input
signature, ``torch.export.Dim``), so the artifact runs on any batch size. ``load`` reads each
format back. Frameworks are imported only when a format is used.
"""
from __future__ import annotations

import dataclasses
import os
from types import ModuleType
from typing import Any, Callable, Sequence

from ._common import backend_name, transforms

__all__ = ["export", "load", "ExportedFunction"]

FORMATS = {"stablehlo": "jax", "saved_model": "tensorflow", "torch_export": "torch"}
_ALIASES = {
    "stablehlo": "stablehlo", "jax": "stablehlo", "jax_export": "stablehlo", "hlo": "stablehlo",
    "mlir": "stablehlo",
    "saved_model": "saved_model", "savedmodel": "saved_model", "tf": "saved_model",
    "tensorflow": "saved_model", "tf_saved_model": "saved_model",
    "torch_export": "torch_export", "torch": "torch_export", "pt2": "torch_export",
    "exported_program": "torch_export", "exportedprogram": "torch_export",
}
_DEFAULT_FORMAT = {fw_: f for f, fw_ in FORMATS.items()}


def _format(format: str | None, where: str) -> str:
    if not isinstance(format, str):
        raise TypeError(f"xops.xla.{where}: format must be a string, one of "
                        f"{sorted(FORMATS)}; got {type(format).__name__}")
    key = format.strip().lower().replace("-", "_").replace(".", "_").replace(" ", "_")
    f = _ALIASES.get(key)
    if f is None:
        raise ValueError(f"xops.xla.{where}: unknown format {format!r}; expected one of "
                         f"{sorted(FORMATS)} (aliases: "
                         f"{', '.join(sorted(k for k in _ALIASES if k not in FORMATS))})")
    return f


@dataclasses.dataclass
class ExportedFunction:
    """What ``export`` and ``load`` return.

    Attributes:
        format: ``"stablehlo"``, ``"saved_model"`` or ``"torch_export"``.
        artifact: the native object: ``jax.export.Exported``, the ``tf.Module`` (or the object
            ``tf.saved_model.load`` returns; its ``__call__`` is the function), or the
            ``torch.export.ExportedProgram``.
        path: where the artifact was written (or read from), or None.
        serialized: stablehlo only, the bytes of ``Exported.serialize()``.

    ``call(*args)`` (or calling the object) runs the artifact. Arguments are arrays of the
    format's framework, or numpy arrays: those are converted with ``xops.convert`` (dtype kept)
    and the outputs come back as numpy arrays.
    """

    format: str
    artifact: Any
    path: str | None = None
    serialized: bytes | None = dataclasses.field(default=None, repr=False)
    _runner: Any = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def framework(self) -> str:
        """The backend that runs the artifact: 'jax', 'tensorflow' or 'torch'."""
        return FORMATS[self.format]

    def call(self, *args: Any) -> Any:
        """Run the exported function on ``args`` (same structure as the example arguments)."""
        target = self.framework
        be = backend_name("export.call", args, default="numpy")
        from_numpy = be == "numpy"
        if not from_numpy and be != target:
            raise TypeError(f"xops.xla.export: this {self.format} artifact runs on {target} "
                            f"arrays (or numpy arrays), got {be} arrays; convert explicitly "
                            f"with xops.convert(x, {target!r})")
        if self._runner is None:
            self._runner = _transforms(self.format, "export").exported_runner(self.artifact)
        return self._runner(args, from_numpy)

    __call__ = call


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _transforms(fmt: str, where: str) -> ModuleType:
    """The transforms module of the framework of format ``fmt``."""
    try:
        return transforms(FORMATS[fmt])
    except ImportError as e:
        raise NotImplementedError(f"xops.xla.{where}: format {fmt!r} needs {FORMATS[fmt]}, "
                                  f"which cannot be imported here ({e})") from None


def _batch_flags(batch_dims: Any, n: int) -> list[bool]:
    if batch_dims is None or isinstance(batch_dims, bool):
        return [bool(batch_dims)] * n
    if isinstance(batch_dims, Sequence) and not isinstance(batch_dims, str):
        flags = list(batch_dims)
        if len(flags) != n or not all(f is None or isinstance(f, bool) for f in flags):
            raise ValueError(f"xops.xla.export: batch_dims must be True/False or a sequence of "
                             f"{n} booleans (one per argument), got {batch_dims!r}")
        return [bool(f) for f in flags]
    raise TypeError(f"xops.xla.export: batch_dims must be True/False or a sequence of "
                    f"booleans, got {type(batch_dims).__name__}")


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------
def export(fn: Callable, *example_args: Any, format: str | None = None,
           path: str | os.PathLike | None = None, batch_dims: bool | Sequence[bool] = True,
           platforms: Sequence[str] | None = None, vjp_order: int = 0) -> ExportedFunction:
    """Export ``fn`` (written with xnp) to StableHLO, a TF SavedModel or a torch.export program.

    Args:
        fn: a function of arrays (pytrees of arrays) written with xnp ops; it may use
            ``xops.xla.custom_vjp`` and the ``xops.xla`` control flow.
        *example_args: example arguments, arrays of one backend or numpy arrays. numpy arrays
            are converted with ``xops.convert`` to the format's framework (the dtype is kept,
            or the conversion raises); arrays of another framework are a ``TypeError``.
        format: ``"stablehlo"`` (jax.export), ``"saved_model"`` (tf.Module + tf.function) or
            ``"torch_export"`` (torch.export). Aliases: ``"jax"``, ``"tf"`` / ``"tensorflow"``,
            ``"torch"`` / ``"pt2"``. By default, the format of the example arguments'
            framework (required for numpy arguments).
        path: where to write: the serialized bytes (stablehlo), the SavedModel directory, or
            the ``.pt2`` file (``torch.export.save``). Nothing is written without it.
        batch_dims: ``True`` makes axis 0 of every array argument (of rank >= 1) one shared
            symbolic batch dimension; ``False`` exports the example shapes exactly; a sequence
            of booleans chooses per top-level argument (e.g. ``(True, False)`` for data and
            weights). torch specialises sizes 0 and 1, so the example batch must be >= 2.
        platforms: stablehlo only, the platforms to lower for (``jax.export.export``'s
            ``platforms``); default the current one.
        vjp_order: stablehlo only, how many orders of VJP to serialize with the bytes (so a
            deserialized artifact can be differentiated, custom VJPs included).

    Returns:
        An ``ExportedFunction`` holding the native artifact, the path and ``call``.

    Raises:
        ValueError: unknown format, bad ``batch_dims``, or a torch batch size below 2.
        TypeError: arguments mixing backends, or of a framework other than the format's.
    """
    src = backend_name("export", example_args, default="numpy")
    if format is None:
        if src == "numpy":
            raise ValueError("xops.xla.export: pass format= ('stablehlo', 'saved_model' or "
                             "'torch_export') when the example arguments are numpy arrays")
        fmt = _DEFAULT_FORMAT[src]
    else:
        fmt = _format(format, "export")
    target = FORMATS[fmt]
    if src not in ("numpy", target):
        raise TypeError(f"xops.xla.export: format {fmt!r} exports {target} programs, but the "
                        f"example arguments are {src} arrays; pass {target} or numpy arrays "
                        f"(convert explicitly with xops.convert(x, {target!r}))")
    flags = _batch_flags(batch_dims, len(example_args))
    if fmt != "stablehlo" and (platforms is not None or vjp_order):
        raise ValueError(f"xops.xla.export: platforms and vjp_order apply to format "
                         f"'stablehlo' only, not {fmt!r}")
    p = os.fspath(path) if path is not None else None
    # the backend loads here, eagerly: its import would break torch's trace
    tr = _transforms(fmt, "export")
    artifact, data = tr.export(fn, example_args, from_numpy=src == "numpy", flags=flags, path=p,
                               platforms=platforms, vjp_order=vjp_order)
    return ExportedFunction(fmt, artifact, p, data)


# --------------------------------------------------------------------------------------------
# load
# --------------------------------------------------------------------------------------------
def load(source: str | os.PathLike | bytes | bytearray, *,
         format: str | None = None) -> ExportedFunction:
    """Read back what ``export`` wrote: ``jax.export.deserialize``, ``tf.saved_model.load`` or
    ``torch.export.load``.

    Args:
        source: serialized StableHLO bytes, or a path (a file of those bytes, a SavedModel
            directory, or a ``.pt2`` file).
        format: as for ``export``. By default it is inferred: bytes are StableHLO, a directory
            is a SavedModel, a ``.pt2`` file is torch.export, any other file StableHLO.

    Returns:
        An ``ExportedFunction`` whose ``call`` runs the loaded artifact.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        fmt = "stablehlo" if format is None else _format(format, "load")
        if fmt != "stablehlo":
            raise TypeError(f"xops.xla.load: bytes hold StableHLO, not format {fmt!r}; pass "
                            "the path of the file or directory")
        data, path = bytes(source), None
    else:
        path = os.fspath(source)
        if not os.path.exists(path):
            raise FileNotFoundError(f"xops.xla.load: no such file or directory: {path!r}")
        if format is not None:
            fmt = _format(format, "load")
        elif os.path.isdir(path):
            fmt = "saved_model"
        elif path.endswith(".pt2"):
            fmt = "torch_export"
        else:
            fmt = "stablehlo"
        data = None
        if fmt == "stablehlo":
            with open(path, "rb") as f:
                data = f.read()
    return ExportedFunction(fmt, _transforms(fmt, "load").load(path, data), path, data)

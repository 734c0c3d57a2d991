"""Convolutions: ``conv`` (1-3 spatial dims, strides, padding, dilation, groups, bias) and
``conv_transpose`` (its adjoint). Argument checks and padding arithmetic live here; the
computation is each backend's native kernel (``xops/backends/<framework>/nn.py``).

Layouts: inputs are channels-last ``(N, *spatial, C)`` by default (jax/flax/keras);
``data_format="channels_first"`` (or "NCW"/"NCHW"/"NCDHW") takes torch's ``(N, C, *spatial)``.
Kernels are always ``(*spatial, C_in // groups, C_out)`` (jax "HWIO", tf) for ``conv``.
"""
from __future__ import annotations

from typing import Any, Sequence

from .. import numpy as xnp
from ..backends import Backend, backend_of

Array = Any

_LAST = {"channels_last", "NWC", "NHWC", "NDHWC", "NLC"}
_FIRST = {"channels_first", "NCW", "NCHW", "NCDHW", "NCL"}


def _name(op: str) -> str:
    return f"xops.nn.{op}"


def channels_last(op: str, data_format: str) -> bool:
    if data_format in _LAST:
        return True
    if data_format in _FIRST:
        return False
    raise ValueError(f"{_name(op)}: data_format must be 'channels_last' (NWC/NHWC/NDHWC) or "
                     f"'channels_first' (NCW/NCHW/NCDHW), got {data_format!r}")


def float_array(op: str, x: Array) -> tuple[Array, Backend]:
    be = backend_of(x)
    if be is None:
        raise TypeError(f"{_name(op)}: {type(x).__name__} is not an array of a supported "
                        "backend (numpy, jax, torch, tensorflow)")
    d = be.dtype_of(x)
    if d.kind == "c":
        raise TypeError(f"{_name(op)}: complex input is not supported")
    if d.kind != "f":
        x = xnp.astype(x, be.default_float)
    return x, be


def spatial_dims(op: str, x: Array, lo: int = 1) -> int:
    nd = len(x.shape) - 2
    if not lo <= nd <= 3:
        raise ValueError(f"{_name(op)}: input must have 1 to 3 spatial dimensions, i.e. "
                         f"(N, *spatial, C) with 3 to 5 axes; got shape {tuple(x.shape)}")
    return nd


def int_tuple(op: str, what: str, v: Any, nd: int, lo: int = 1) -> tuple[int, ...]:
    t = (v,) * nd if isinstance(v, int) else tuple(v)
    if len(t) != nd or not all(isinstance(i, int) and not isinstance(i, bool) and i >= lo
                               for i in t):
        raise ValueError(f"{_name(op)}: {what} must be an int >= {lo} or a sequence of "
                         f"{nd} such ints, got {v!r}")
    return t


def same_pads(sp: Sequence[int], eff: Sequence[int], strides: Sequence[int]
              ) -> list[tuple[int, int]]:
    """TF/jax "SAME": output ceil(n / s), the padding split with the extra one at the end."""
    out = []
    for n, k, s in zip(sp, eff, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        out.append((total // 2, total - total // 2))
    return out


def explicit_pads(op: str, padding: Any, nd: int) -> list[tuple[int, int]]:
    def bad() -> ValueError:
        return ValueError(f"{_name(op)}: padding must be 'valid', 'same', a non-negative int, "
                          f"or a sequence of {nd} ints or (lo, hi) pairs; got {padding!r}")

    if isinstance(padding, str):
        if padding.lower() == "valid":
            return [(0, 0)] * nd
        raise bad()
    if isinstance(padding, int) and not isinstance(padding, bool):
        if padding < 0:
            raise bad()
        return [(padding, padding)] * nd
    try:
        items = list(padding)
    except TypeError:
        raise bad() from None
    if len(items) != nd:
        raise bad()
    out = []
    for p in items:
        pair = (p, p) if isinstance(p, int) else tuple(p)
        if len(pair) != 2 or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0
                                     for i in pair):
            raise bad()
        out.append(pair)
    return out


def resolve_pads(op: str, padding: Any, sp: Sequence[int], eff: Sequence[int],
                 strides: Sequence[int]) -> list[tuple[int, int]]:
    if isinstance(padding, str) and padding.lower() == "same":
        return same_pads(sp, eff, strides)
    return explicit_pads(op, padding, len(sp))


def _same_backend(op: str, be: Backend, *arrays: Array) -> None:
    for a in arrays:
        if a is None:
            continue
        ob = backend_of(a)
        if ob is not be:
            other = "an unsupported type" if ob is None else f"the {ob.name} backend"
            raise TypeError(f"{_name(op)}: arguments mix the {be.name} backend and {other}; "
                            "convert explicitly with xops.convert")


def _common_dtype(x: Array, w: Array, be: Backend) -> tuple[Array, Array]:
    w, _ = float_array("conv", w)
    dx, dw = be.dtype_of(x), be.dtype_of(w)
    if dx is not dw:
        d = xnp.result_type(x, w)
        x, w = xnp.astype(x, d), xnp.astype(w, d)
    return x, w


def _add_bias(op: str, y: Array, bias: Array | None, cl: bool, nd: int) -> Array:
    if bias is None:
        return y
    if len(bias.shape) != 1:
        raise ValueError(f"{_name(op)}: bias must be 1-d (C_out,), got shape {tuple(bias.shape)}")
    if not cl:
        bias = xnp.reshape(bias, (int(bias.shape[0]),) + (1,) * nd)
    return xnp.add(y, bias)


def _run(op: str, be: Backend, kernel: str, *args: Any) -> Array:
    fn = be.kernel("nn." + kernel)
    try:
        return fn(*args)
    except Exception as e:  # name the op and backend on the framework's own error
        e.add_note(f"(raised in {_name(op)} on the {be.name} backend)")
        raise


def _conv_args(op: str, x: Array, w: Array, bias: Any, strides: Any, dilation: Any,
               groups: Any, data_format: str, kernel_axes: str) -> tuple:
    """The argument checks conv and conv_transpose share: one backend, a common float dtype,
    the kernel's rank, strides/dilation/groups. Returns ``(x, w, backend, spatial dims,
    channels_last, strides, dilation, spatial sizes, input channels, kernel window)``."""
    x, be = float_array(op, x)
    _same_backend(op, be, w, bias)
    x, w = _common_dtype(x, w, be)
    nd = spatial_dims(op, x)
    cl = channels_last(op, data_format)
    if len(w.shape) != nd + 2:
        raise ValueError(f"{_name(op)}: kernel must have {nd + 2} axes (*window, {kernel_axes}) "
                         f"for {nd} spatial dims, got shape {tuple(w.shape)}")
    strides = int_tuple(op, "strides", strides, nd)
    dilation = int_tuple(op, "dilation", dilation, nd)
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{_name(op)}: groups must be a positive int, got {groups!r}")
    shape = tuple(int(s) for s in x.shape)
    sp = shape[1:1 + nd] if cl else shape[2:]
    cin = shape[-1] if cl else shape[1]
    ks = tuple(int(s) for s in w.shape[:nd])
    return x, w, be, nd, cl, strides, dilation, sp, cin, ks


def conv(x: Array, w: Array, *, strides: Any = 1, padding: Any = "valid", dilation: Any = 1,
         groups: int = 1, bias: Array | None = None, data_format: str = "channels_last"
         ) -> Array:
    """N-d convolution (cross-correlation, as every framework) over 1 to 3 spatial dims.

    ``y[n, o, c] = sum_{k, i} x_padded[n, o * strides + k * dilation, g * C_in/groups + i]
    * w[k, i, c] (+ bias[c])`` where ``g = c // (C_out / groups)``. Native kernels:
    ``jax.lax.conv_general_dilated``, ``torch.nn.functional.conv{1,2,3}d``,
    ``tf.nn.convolution``; NumPy: windows contracted with ``einsum``.

    Args:
        x: ``(N, *spatial, C_in)`` (channels-last) or ``(N, C_in, *spatial)``
            (``data_format="channels_first"``); integers become the default float.
        w: kernel ``(*window, C_in // groups, C_out)`` in either data format (jax "HWIO",
            tf); torch's ``(C_out, C_in // groups, *window)`` is ``w.permute(2, 3, 1, 0)``
            in 2-d.
        strides, dilation: int or one int per spatial dim.
        padding: ``"valid"`` (none), ``"same"`` (output ``ceil(n / stride)``, total padding
            ``max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0)`` with the odd one at the
            end, as tf and jax; torch's ``"same"`` refuses strides, this one does not), an int
            (both sides of every dim), or one int or ``(lo, hi)`` pair per spatial dim.
        groups: ``C_in`` and ``C_out`` are split into ``groups`` independent convolutions
            (``groups == C_in``: depthwise).
        bias: optional ``(C_out,)``, added to every position.
        data_format: ``"channels_last"`` (default, also "NWC"/"NHWC"/"NDHWC") or
            ``"channels_first"`` ("NCW"/"NCHW"/"NCDHW").

    Returns:
        ``(N, *out, C_out)`` (or channels-first) of ``x``'s backend, in the common dtype of
        ``x`` and ``w``; ``out = (n + lo + hi - (k - 1) * dilation - 1) // stride + 1``.
        Differentiable w.r.t. ``x``, ``w`` and ``bias`` with the framework's autodiff.
    """
    op = "conv"
    x, w, be, nd, cl, strides, dilation, sp, cin, ks = _conv_args(
        op, x, w, bias, strides, dilation, groups, data_format, "C_in/groups, C_out")
    wi, cout = int(w.shape[nd]), int(w.shape[nd + 1])
    if wi * groups != cin or cout % groups:
        raise ValueError(f"{_name(op)}: input has {cin} channels; a kernel {tuple(w.shape)} "
                         f"with groups={groups} needs C_in = {wi} * {groups} and C_out "
                         f"divisible by {groups}")
    eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    pads = resolve_pads(op, padding, sp, eff, strides)
    for n, (lo, hi), e in zip(sp, pads, eff):
        if n + lo + hi < e:
            raise ValueError(f"{_name(op)}: padded input size {n + lo + hi} is smaller than "
                             f"the dilated kernel size {e}")
    y = _run(op, be, "conv", x, w, strides, pads, dilation, groups, cl)
    return _add_bias(op, y, bias, cl, nd)


def _conv_n(nd: int):
    def fn(x: Array, w: Array, *, strides: Any = 1, padding: Any = "valid", dilation: Any = 1,
           groups: int = 1, bias: Array | None = None, data_format: str = "channels_last"
           ) -> Array:
        if len(x.shape) != nd + 2:
            raise ValueError(f"xops.nn.conv{nd}d: input must have {nd + 2} axes, got shape "
                             f"{tuple(x.shape)}")
        return conv(x, w, strides=strides, padding=padding, dilation=dilation, groups=groups,
                    bias=bias, data_format=data_format)

    fn.__name__ = fn.__qualname__ = f"conv{nd}d"
    fn.__doc__ = (f"""{nd}-d convolution: :func:`conv` with an input of {nd + 2} axes.

    Returns:
        As :func:`conv`.
    """)
    return fn


conv1d = _conv_n(1)
conv2d = _conv_n(2)
conv3d = _conv_n(3)


def conv_transpose(x: Array, w: Array, *, strides: Any = 1, padding: Any = "valid",
                   output_padding: Any = None, dilation: Any = 1, groups: int = 1,
                   bias: Array | None = None, data_format: str = "channels_last") -> Array:
    """Transposed convolution: the adjoint (gradient w.r.t. its input) of :func:`conv` with
    the same ``w``, ``strides``, ``padding``, ``dilation`` and ``groups``.

    ``y[n, o * s + k * d - lo, g * C_out/groups + j] += x[n, o, c] * w[k, j, c]`` for the
    input positions ``o``, kernel positions ``k`` and channels ``c`` of group ``g``. This is
    torch's ``conv_transpose{1,2,3}d`` and tf's ``conv_transpose`` (both the gradient of their
    convolution); ``jax.lax.conv_transpose(..., transpose_kernel=True)`` with the kernel's
    last two axes swapped.

    Output size per spatial dim (``n`` in, ``k_eff = (k - 1) * dilation + 1``):
    explicit padding ``(lo, hi)`` (``"valid"`` = 0): ``(n - 1) * s + k_eff - lo - hi +
    output_padding`` (torch's formula; ``output_padding`` in ``[0, s)`` picks among the input
    sizes that ``conv`` maps to ``n``); ``"same"``: ``n * s`` (tf and keras), with the padding
    of :func:`conv`'s "same" for that size. (jax/keras "valid" with ``k_eff < s`` give
    ``n * s``: that is ``output_padding = s - k_eff`` here.)

    Args:
        x: ``(N, *spatial, C_in)`` or channels-first.
        w: ``(*window, C_out // groups, C_in)``: the kernel of the :func:`conv` that maps
            C_out channels to C_in (tf's conv_transpose layout; torch's ``(C_in, C_out //
            groups, *window)`` is ``w.permute(2, 3, 1, 0)`` in 2-d).
        strides, dilation: int or one per spatial dim. padding: as :func:`conv`.
        output_padding: int or one per spatial dim, each in ``[0, stride)``; not with "same".
        groups, bias, data_format: as :func:`conv`.

    Returns:
        ``(N, *out, C_out)`` (or channels-first) of ``x``'s backend, in the common dtype of
        ``x`` and ``w``.
    """
    op = "conv_transpose"
    x, w, be, nd, cl, strides, dilation, sp, cin, ks = _conv_args(
        op, x, w, bias, strides, dilation, groups, data_format, "C_out/groups, C_in")
    if int(w.shape[-1]) != cin or cin % groups:
        raise ValueError(f"{_name(op)}: input has {cin} channels; the kernel's last axis "
                         f"must equal it and be divisible by groups={groups}, got kernel "
                         f"{tuple(w.shape)}")
    eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    full = [(n - 1) * s + e for n, s, e in zip(sp, strides, eff)]
    same = isinstance(padding, str) and padding.lower() == "same"
    if same:
        if output_padding is not None:
            raise ValueError(f"{_name(op)}: output_padding cannot be combined with "
                             "padding='same' (whose output size is n * stride)")
        crop = []
        for n, s, e, f in zip(sp, strides, eff, full):
            total = max(e - s, 0)
            lo = total // 2
            crop.append((lo, f - lo - n * s))
    else:
        pads = explicit_pads(op, padding, nd)
        outp = (0,) * nd if output_padding is None else int_tuple(
            op, "output_padding", output_padding, nd, lo=0)
        if any(p >= s for p, s in zip(outp, strides)):
            raise ValueError(f"{_name(op)}: output_padding must be smaller than the stride, "
                             f"got {output_padding!r} with strides {strides}")
        crop = [(lo, hi - p) for (lo, hi), p in zip(pads, outp)]
        for f, (lo, hi) in zip(full, crop):
            if f - lo - hi < 1:
                raise ValueError(f"{_name(op)}: padding {padding!r} leaves an empty output")
    y = _run(op, be, "conv_transpose", x, w, strides, crop, dilation, groups, cl)
    return _add_bias(op, y, bias, cl, nd)


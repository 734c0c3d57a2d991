"""The ``nn`` ops with native kernels: ``conv``, ``conv_transpose``, ``max_pool``, ``avg_pool``,
``scaled_dot_product_attention``, ``ctc_loss``, and the fused ``softmax``, ``log_softmax``,
``gelu``, ``layer_norm``, ``rms_norm`` and ``sparse_softmax_cross_entropy``, declared here like
every other op (``namespace="nn"``: registry key and kernel ``"nn.conv"``, kernels in
``xops/backends/<framework>/nn.py``). Their public home is ``xops.nn.functional`` (see
``_registry.HOMES``); there is no ``xops.numpy.nn``.

Each op checks its arguments and resolves padding here, then makes one kernel call through
dispatch. Attention and CTC have a generic composition (``fallback=`` in the declaration), run
where the backend has no kernel (attention: numpy, tensorflow; CTC: numpy, jax), where the kernel
declines the arguments (it returns None), or on ``implementation="xops"``. The compositions are
xops.nn code (they use xops.nn's softmax family and ``xops.xla.scan``), imported on first call:
xops.nn imports xops.numpy, which imports this package.

The fused six were compositions of xops ops only (a layer norm was about ten kernels where
``torch.nn.functional.layer_norm`` is one); that composition is still their generic
implementation (``xops/nn/_softmax.py``, ``_activations.py``, ``_norm.py``, ``_losses.py``,
``fallback=`` here, called with the op's own arguments). The declaration takes the kernel only
for a call the kernel computes exactly as the composition does (see ``_fusable``); anything else
(Python scalars, complex or empty input, axes the kernel cannot take, broadcast parameters) runs
the composition, which raises the errors it always raised.

Layouts: inputs are channels-last ``(N, *spatial, C)`` by default (jax/flax/keras);
``data_format="channels_first"`` (or "NCW"/"NCHW"/"NCDHW") takes torch's ``(N, C, *spatial)``.
Kernels are always ``(*spatial, C_in // groups, C_out)`` (jax "HWIO", tf) for ``conv``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .._dispatch import PY_SCALARS, call, resolve
from .._dtypes import DType, bfloat16, float16, float32
from ..backends import Backend, backend_of
from ._registry import declare

Array = Any

_LAST = {"channels_last", "NWC", "NHWC", "NDHWC", "NLC"}
_FIRST = {"channels_first", "NCW", "NCHW", "NCDHW", "NCL"}


def _name(op: str) -> str:
    return f"xops.nn.{op}"


def _xnp() -> Any:
    # imported at call time: xops.numpy re-exports this package's registry, so it is not
    # importable while the declarations below register
    from .. import numpy as xnp
    return xnp


# --------------------------------------------------------------------------------------------
# argument normalisation (shared with xops.nn's global pools and layers)
# --------------------------------------------------------------------------------------------
def channels_last(op: str, data_format: str) -> bool:
    if data_format in _LAST:
        return True
    if data_format in _FIRST:
        return False
    raise ValueError(f"{_name(op)}: data_format must be 'channels_last' (NWC/NHWC/NDHWC) or "
                     f"'channels_first' (NCW/NCHW/NCDHW), got {data_format!r}")


def float_array(op: str, x: Array, *others: Array) -> tuple[Array, Backend]:
    """``x`` as a float array (integers and bools become the backend's default float) and the
    backend of ``x`` and ``others`` (None entries ignored; mixing backends is a TypeError)."""
    if x is None or type(x) in PY_SCALARS or backend_of(x) is None:
        raise TypeError(f"{_name(op)}: {type(x).__name__} is not an array of a supported "
                        "backend (numpy, jax, torch, tensorflow)")
    be = resolve("nn." + op, x, *others)
    d = be.dtype_of(x)
    if d.kind == "c":
        raise TypeError(f"{_name(op)}: complex input is not supported")
    if d.kind != "f":
        x = _xnp().astype(x, be.default_float)
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


def _common_dtype(x: Array, w: Array, be: Backend) -> tuple[Array, Array]:
    w, _ = float_array("conv", w)
    dx, dw = be.dtype_of(x), be.dtype_of(w)
    if dx is not dw:
        xnp = _xnp()
        d = xnp.result_type(x, w)
        x, w = xnp.astype(x, d), xnp.astype(w, d)
    return x, w


def _add_bias(op: str, y: Array, bias: Array | None, cl: bool, nd: int) -> Array:
    if bias is None:
        return y
    if len(bias.shape) != 1:
        raise ValueError(f"{_name(op)}: bias must be 1-d (C_out,), got shape {tuple(bias.shape)}")
    xnp = _xnp()
    if not cl:
        bias = xnp.reshape(bias, (int(bias.shape[0]),) + (1,) * nd)
    return xnp.add(y, bias)


def _conv_args(op: str, x: Array, w: Array, bias: Any, strides: Any, dilation: Any,
               groups: Any, data_format: str, kernel_axes: str) -> tuple:
    """The argument checks conv and conv_transpose share: one backend, a common float dtype,
    the kernel's rank, strides/dilation/groups. Returns ``(x, w, backend, spatial dims,
    channels_last, strides, dilation, spatial sizes, input channels, kernel window)``."""
    x, be = float_array(op, x, w, bias)
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


# --------------------------------------------------------------------------------------------
# convolution
# --------------------------------------------------------------------------------------------
@declare("nn", ref="", namespace="nn")
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
        strides: int or one int per spatial dim.
        padding: ``"valid"`` (none), ``"same"`` (output ``ceil(n / stride)``, total padding
            ``max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0)`` with the odd one at the
            end, as tf and jax; torch's ``"same"`` refuses strides, this one does not), an int
            (both sides of every dim), or one int or ``(lo, hi)`` pair per spatial dim.
        dilation: int or one int per spatial dim.
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
    y = call(be, "nn.conv", x, w, strides, pads, dilation, groups, cl)
    return _add_bias(op, y, bias, cl, nd)


@declare("nn", ref="", namespace="nn")
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
        strides: int or one per spatial dim.
        padding: as :func:`conv`.
        output_padding: int or one per spatial dim, each in ``[0, stride)``; not with "same".
        dilation: int or one per spatial dim.
        groups: as :func:`conv`.
        bias: as :func:`conv`.
        data_format: as :func:`conv`.

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
    y = call(be, "nn.conv_transpose", x, w, strides, crop, dilation, groups, cl)
    return _add_bias(op, y, bias, cl, nd)


# --------------------------------------------------------------------------------------------
# pooling
# --------------------------------------------------------------------------------------------
def _pool_args(op: str, x: Array, window: Any, strides: Any, padding: Any, data_format: str):
    x, be = float_array(op, x)
    nd = spatial_dims(op, x)
    cl = channels_last(op, data_format)
    window = int_tuple(op, "window", window, nd)
    strides = window if strides is None else int_tuple(op, "strides", strides, nd)
    shape = tuple(int(s) for s in x.shape)
    sp = shape[1:1 + nd] if cl else shape[2:]
    pads = resolve_pads(op, padding, sp, window, strides)
    for n, (lo, hi), k in zip(sp, pads, window):
        if n + lo + hi < k:
            raise ValueError(f"{_name(op)}: padded input size {n + lo + hi} is smaller than "
                             f"the window {k}")
        if lo >= k or hi >= k:
            raise ValueError(f"{_name(op)}: padding {(lo, hi)} must be smaller than the "
                             f"window {k} (a window would hold only padding)")
    return x, be, window, strides, pads, cl


def _pool(op: str, x: Array, window: Any, strides: Any, padding: Any, data_format: str) -> Array:
    """The body of max_pool and avg_pool: the arguments checked, then the kernel ``nn.<op>``."""
    x, be, window, strides, pads, cl = _pool_args(op, x, window, strides, padding, data_format)
    return call(be, "nn." + op, x, window, strides, pads, cl)


_POOL_ARGS = """
    Args:
        x: ``(N, *spatial, C)`` (channels-last, default) or ``(N, C, *spatial)``
            (``data_format="channels_first"``/"NCHW"...), 1 to 3 spatial dims; integers
            become the default float.
        window: int or one int per spatial dim.
        strides: int or one per spatial dim; default ``window`` (torch and keras).
        padding: ``"valid"`` (default), ``"same"`` (output ``ceil(n / stride)``, padding split
            as :func:`conv`'s), an int, or one int or ``(lo, hi)`` pair per spatial dim, each
            smaller than the window.
        data_format: ``"channels_last"`` or ``"channels_first"``.
"""


@declare("nn", ref="", namespace="nn", doc_args=_POOL_ARGS + """
    Returns:
        ``(N, *out, C)`` (or channels-first) of ``x``'s backend and dtype, ``out = (n + lo +
        hi - window) // stride + 1``. The gradient goes to the window's maximum (which of tied
        maxima gets it is the framework's choice).
""")
def max_pool(x: Array, window: Any, strides: Any = None, padding: Any = "valid",
             data_format: str = "channels_last") -> Array:
    """Maximum over each window; padding never wins (it counts as ``-inf``).

    Native kernels: ``lax.reduce_window``, ``torch.nn.functional.max_pool{1,2,3}d`` (after
    ``F.pad`` with ``-inf`` when the padding is asymmetric), ``tf.nn.max_pool``.
    """
    return _pool("max_pool", x, window, strides, padding, data_format)


@declare("nn", ref="", namespace="nn", doc_args=_POOL_ARGS + """
    Returns:
        ``(N, *out, C)`` (or channels-first) of ``x``'s backend and dtype.
""")
def avg_pool(x: Array, window: Any, strides: Any = None, padding: Any = "valid",
             data_format: str = "channels_last") -> Array:
    """Mean over each window of the elements inside the input: padding is not
    counted (tf and keras "same"; torch's ``count_include_pad=False``), so border windows
    average fewer elements.

    Native kernels: ``lax.reduce_window`` sums divided by the (shape-only, constant) counts,
    ``torch.nn.functional.avg_pool{1,2,3}d``, ``tf.nn.avg_pool``. float16/bfloat16 are summed
    in float32 on jax and numpy.
    """
    return _pool("avg_pool", x, window, strides, padding, data_format)


# --------------------------------------------------------------------------------------------
# attention
# --------------------------------------------------------------------------------------------
def _attention_fallback(q: Array, k: Array, v: Array, mask: Array | None, bias: Array | None,
                        is_causal: bool, scale: float | None) -> Array:
    """The generic attention (the kernel's signature), composed from xops ops in xops.nn."""
    from ..nn._attention import attention_composite
    return attention_composite(q, k, v, mask, bias, is_causal, scale)


def _check_layout(q: Array, k: Array, v: Array) -> tuple[int, int]:
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError("xops.nn.scaled_dot_product_attention: q, k, v must be 4-d "
                         f"(batch, seq, heads, head_dim), got {q.ndim}, {k.ndim}, {v.ndim} axes")
    n, kh = int(q.shape[2]), int(k.shape[2])
    if int(v.shape[2]) != kh or int(v.shape[1]) != int(k.shape[1]):
        raise ValueError("xops.nn.scaled_dot_product_attention: k and v must share "
                         "(seq, heads)")
    if kh == 0 or n % kh:
        raise ValueError(f"xops.nn.scaled_dot_product_attention: query heads ({n}) must be a "
                         f"multiple of key/value heads ({kh})")
    return n, kh


def _dtype(op: str, a: Array) -> Any:
    be = backend_of(a)
    if be is None:
        raise TypeError(f"{_name(op)}: {type(a).__name__} is not an array of a supported "
                        "backend")
    return be.dtype_of(a)


@declare("nn", needs=("einsum",), ref="", namespace="nn", fallback=_attention_fallback)
def scaled_dot_product_attention(q: Array, k: Array, v: Array, mask: Array | None = None,
                                 is_causal: bool = False, scale: float | None = None,
                                 bias: Array | None = None,
                                 implementation: str | None = None) -> Array:
    """``softmax(q k^T * scale + bias, masked) v`` in the jax layout (batch, seq, heads, dim),
    as ``jax.nn.dot_product_attention``'s generic implementation.

    Grouped-query attention: k/v may have fewer heads than q (a divisor); each k/v head serves
    ``heads_q / heads_kv`` consecutive query heads. Masked logits are set to
    ``-0.7 * finfo.max`` (as jax), so a fully masked row attends uniformly instead of giving
    NaN (torch gives NaN there). The softmax runs in float32 for float16/bfloat16 inputs.

    Args:
        q: (B, T, N, H) queries.
        k: (B, S, K, H) keys.
        v: (B, S, K, Hv) values.
        mask: optional bool array broadcastable to (B, N, T, S); True keeps (jax and torch
            semantics).
        is_causal: also mask ``s > t`` (top-left aligned when T != S, as jax and torch).
        scale: logit scale (default ``1 / sqrt(H)``).
        bias: optional float array broadcastable to (B, N, T, S), added to the logits
            (an additive mask: ``-inf`` entries mask).
        implementation: ``"xops"``: the composition of ``xops.numpy`` ops (every backend,
            every transform); ``"native"``: the backend's fused kernel
            (``torch.nn.functional.scaled_dot_product_attention`` with q/k/v transposed to its
            (B, N, T, H) layout, bool masks turned into additive ``-0.7 * finfo.max`` masks so
            that fully masked rows agree; ``jax.nn.dot_product_attention``, which needs the
            value head size equal to the key's), a ValueError where there is none (numpy,
            tensorflow) or it cannot take the arguments; None (default): native where it
            applies, else ``"xops"``. Results agree to rounding (float32 tolerance).

    Returns:
        (B, T, N, Hv) array of ``q``'s backend and dtype.
    """
    op = "scaled_dot_product_attention"
    q, be = float_array(op, q)
    n, kh = _check_layout(q, k, v)
    if implementation not in (None, "xops", "native"):
        raise ValueError("xops.nn.scaled_dot_product_attention: implementation must be None, "
                         f"'xops' or 'native', got {implementation!r}")
    if mask is not None and _dtype(op, mask).kind != "b":
        raise TypeError("xops.nn.scaled_dot_product_attention: mask must be bool (True "
                        "keeps); pass additive float masks as bias=")
    if implementation != "xops":
        why = None
        if be.kernel("nn." + op) is None:
            why = f"the {be.name} backend has no native attention kernel"
        elif any(a is not None and backend_of(a) is not be for a in (k, v, mask, bias)):
            why = "the arguments mix backends"
        elif _dtype(op, k) != be.dtype_of(q) or _dtype(op, v) != be.dtype_of(q):
            why = "q, k and v have different dtypes"
        else:
            out = call(be, "nn." + op, q, k, v, mask, bias, is_causal, scale)
            if out is not None:
                return out
            why = f"the {be.name} kernel does not take these arguments"
        if implementation == "native":
            raise ValueError(f"xops.nn.scaled_dot_product_attention: implementation='native' "
                             f"is unavailable: {why}")
    return _attention_fallback(q, k, v, mask, bias, is_causal, scale)


# --------------------------------------------------------------------------------------------
# CTC
# --------------------------------------------------------------------------------------------
def _ctc_fallback(log_probs: Array, labels: Array, input_lengths: Array, label_lengths: Array,
                  blank: int) -> Array:
    """The generic CTC forward algorithm (the kernel's signature), in xops.nn."""
    from ..nn._ctc import ctc_composite
    return ctc_composite(log_probs, labels, input_lengths, label_lengths, blank)


def _int_array(what: str, a: Array, be: Backend, like: Array) -> Array:
    if isinstance(a, (list, tuple, int)):
        xnp = _xnp()
        a = xnp.asarray(a, dtype=xnp.int32, like=like)
    if backend_of(a) is not be:
        raise TypeError(f"xops.nn.ctc_loss: {what} must be an array of the {be.name} backend "
                        "(as logits)")
    if be.dtype_of(a).kind not in "iu":
        raise TypeError(f"xops.nn.ctc_loss: {what} must be integers, got {be.dtype_of(a).name}")
    return a


@declare("nn", needs=("take_along_axis",), ref="", namespace="nn", fallback=_ctc_fallback)
def ctc_loss(logits: Array, labels: Array, input_lengths: Array, label_lengths: Array,
             blank: int = 0, reduction: str = "mean",
             implementation: str | None = None) -> Array:
    """CTC loss: ``-log p(labels | logits)``, summed over all alignments (blanks and
    repeats collapsed), per sequence.

    ``logits`` may be unnormalised or already log-probabilities: a ``log_softmax`` over the
    classes is applied first (it leaves log-probabilities unchanged). Layout is batch-major
    (B, T, K) as optax and ``tf.nn.ctc_loss(logits_time_major=False)``; torch's ``ctc_loss`` is
    time-major. A sequence that no alignment can produce (``input_length <`` label length plus
    its adjacent repeats) has loss ``+inf`` (torch's ``zero_infinity=False``).

    Args:
        logits: (B, T, K) float.
        labels: (B, L) integer class indices, padded past each ``label_length`` with any valid
            class index; must not contain ``blank`` within the length.
        input_lengths: (B,) integers in ``[1, T]``.
        label_lengths: (B,) integers in ``[0, L]``.
        blank: the blank class index.
        reduction: ``'mean'`` (of the per-sequence losses; torch also divides each by its label
            length first), ``'sum'`` or ``'none'``.
        implementation: ``"native"`` (torch and tf kernels), ``"xops"`` (the composite: the
            forward algorithm with ``xops.xla.scan`` over time, a ``lax.scan`` on jax), or None
            (native where there is one: torch, tensorflow).

    Returns:
        The loss of ``logits``' backend and float dtype: (B,) for ``'none'``, else a scalar.
        Differentiable w.r.t. ``logits`` with the framework's autodiff.
    """
    from ..nn._common import downcast, reduce_loss, upcast
    xnp = _xnp()
    op = "ctc_loss"
    logits, be = float_array(op, logits)
    if len(logits.shape) != 3:
        raise ValueError(f"xops.nn.ctc_loss: logits must be (B, T, K), got shape "
                         f"{tuple(logits.shape)}")
    if implementation not in (None, "xops", "native"):
        raise ValueError("xops.nn.ctc_loss: implementation must be None, 'xops' or 'native', "
                         f"got {implementation!r}")
    labels = _int_array("labels", labels, be, logits)
    input_lengths = _int_array("input_lengths", input_lengths, be, logits)
    label_lengths = _int_array("label_lengths", label_lengths, be, logits)
    if len(labels.shape) != 2 or int(labels.shape[0]) != int(logits.shape[0]):
        raise ValueError(f"xops.nn.ctc_loss: labels must be (B, L) with B = "
                         f"{int(logits.shape[0])}, got shape {tuple(labels.shape)}")
    k = int(logits.shape[2])
    if not 0 <= blank < k:
        raise ValueError(f"xops.nn.ctc_loss: blank must be in [0, {k}), got {blank}")
    xc, back = upcast(logits)
    lp = log_softmax(xc, axis=-1)
    native = implementation != "xops" and be.kernel("nn.ctc_loss") is not None
    if implementation == "native" and not native:
        raise ValueError(f"xops.nn.ctc_loss: implementation='native' is unavailable: the "
                         f"{be.name} backend has no native CTC kernel")
    loss = None
    if native:
        loss = call(be, "nn.ctc_loss", lp, labels, input_lengths, label_lengths, blank)
        if loss is None and implementation == "native":
            raise ValueError(f"xops.nn.ctc_loss: implementation='native' is unavailable: the "
                             f"{be.name} kernel does not take {be.dtype_of(lp).name}")
    if loss is None:
        loss = _ctc_fallback(lp, labels, input_lengths, label_lengths, blank)
    # infeasible: fewer frames than labels plus the blanks forced between repeats
    n_lab = int(labels.shape[1])
    lab_len = xnp.astype(label_lengths, xnp.int32)
    if n_lab > 1:
        idx = xnp.arange(1, n_lab, like=labels)
        rep = xnp.logical_and(xnp.equal(labels[:, 1:], labels[:, :-1]),
                              xnp.less(idx[None, :], lab_len[:, None]))
        need = xnp.add(lab_len, xnp.sum(xnp.astype(rep, xnp.int32), axis=1))
    else:
        need = lab_len
    loss = xnp.where(xnp.greater(need, xnp.astype(input_lengths, xnp.int32)), float("inf"), loss)
    return downcast(reduce_loss(op, loss, reduction), back)


# --------------------------------------------------------------------------------------------
# softmax family, gelu, layer/RMS normalisation, sparse cross-entropy: fused where native
# --------------------------------------------------------------------------------------------
_LOW = (float16, bfloat16)
_REDUCTIONS = ("mean", "sum", "none")  # as xops.nn._common.REDUCTIONS (its message too)


def _fusable(op: str, x: Array, *others: Array) -> tuple[Array, Backend] | None:
    """``x`` (integers and bools in the backend's default float, as the composition takes them)
    and its backend, which has the kernel ``nn.<op>``; None when the composition must run:
    Python scalars, non-arrays and complex input (it raises or answers what it always did), or
    a backend without the kernel. Host data beside ``x`` raises HostConstants, which the op's
    wrapper converts (the composition's ops did the same). The eager path of every fused op
    runs this: arrays of ``x``'s own type skip ``resolve``."""
    t = type(x)
    if t in PY_SCALARS:
        return None
    be = backend_of(x)
    if be is None:
        return None
    for o in others:
        if o is not None and type(o) is not t:
            be = resolve("nn." + op, x, *others)
            break
    if be.kernel("nn." + op) is None:
        return None
    d = be.dtype_of(x)
    if d.kind != "f":
        if d.kind == "c":
            return None
        x = _xnp().astype(x, be.default_float)
    return x, be


def _nonempty(x: Array) -> bool:
    # reductions over an empty axis raise in the composition (max) or give NaN (mean): leave
    # every zero-size and 0-d input to it
    return len(x.shape) > 0 and 0 not in x.shape


def _one_axis(axis: Any, nd: int) -> int | None:
    """``axis`` as a non-negative int when it names one axis in range (an int or a 1-tuple), else
    None (tuples of axes and bad axes go to the composition)."""
    if type(axis) is tuple and len(axis) == 1:
        axis = axis[0]
    if type(axis) is not int or not -nd <= axis < nd:
        return None
    return axis % nd


def _trailing(axis: Any, nd: int) -> int:
    """How many trailing axes ``axis`` names (the composition's reading: each ``a % ndim``), or
    0 when they are not the trailing ones (or repeat, or are no ints): F.layer_norm and
    F.rms_norm normalise trailing dims only."""
    if type(axis) is int:
        return 1 if axis % nd == nd - 1 else 0
    if type(axis) not in (tuple, list) or not axis or not all(type(a) is int for a in axis):
        return 0
    axes = sorted(a % nd for a in axis)
    return len(axes) if axes == list(range(nd - len(axes), nd)) else 0


def _one_dtype(be: Backend, x: Array, *params: Array | None
               ) -> tuple[Array, tuple, DType | None] | None:
    """``x`` and the parameters in one float dtype for a kernel, and the dtype to cast its
    result to (None: none). The composition normalises float16/bfloat16 in float32, multiplies
    by the parameters in the promoted dtype and rounds back to ``x``'s 16-bit dtype; so do the
    kernels when all share one dtype (torch's accumulate in float32, the others upcast), and
    mixed dtypes are cast here first (F.layer_norm refuses them). None: integer or bool
    parameters, left to the composition."""
    nx = x.dtype
    for p in params:
        if p is not None and p.dtype != nx:
            break
    else:
        return x, params, None
    given = [p for p in params if p is not None]
    if any(be.dtype_of(p).kind != "f" for p in given):
        return None
    xnp = _xnp()
    back = None
    dx = be.dtype_of(x)
    if dx in _LOW:
        back, x = dx, xnp.astype(x, float32)
    t = xnp.result_type(x, *given)
    return (xnp.astype(x, t), tuple(None if p is None else xnp.astype(p, t) for p in params),
            back)


def _softmax_fallback(x: Array, axis: Any) -> Array:
    from ..nn._softmax import softmax_composite
    return softmax_composite(x, axis)


def _log_softmax_fallback(x: Array, axis: Any) -> Array:
    from ..nn._softmax import log_softmax_composite
    return log_softmax_composite(x, axis)


_SOFTMAX_ARGS = """
    Args:
        x: float array (integers and bools are computed in the default float).
        axis: int or tuple of ints (default the last axis).

    Returns:
        An array of ``x``'s backend, dtype and shape (float16/bfloat16 computed in float32 and
        rounded once).
"""


def _along_one_axis(name: str, x: Array, axis: Any, fallback: Callable) -> Array:
    """The native kernel of a softmax-like op over one axis of a non-empty array, else the
    composition."""
    f = _fusable(name, x)
    if f is not None and _nonempty(f[0]):
        ax = _one_axis(axis, len(f[0].shape))
        if ax is not None:
            return call(f[1], "nn." + name, f[0], ax)
    return fallback(x, axis)


@declare("nn", ref="", namespace="nn", fallback=_softmax_fallback, doc_args=_SOFTMAX_ARGS)
def softmax(x: Array, axis: Any = -1) -> Array:
    """``exp(x) / sum(exp(x))`` along ``axis``, stable for large inputs (the maximum is
    subtracted). ``-inf`` entries get probability 0; a row of all ``-inf`` gives NaN (as jax,
    torch and scipy), a row holding ``+inf`` NaN. Native kernels for one axis:
    ``torch.nn.functional.softmax``, ``tf.nn.softmax``, ``jax.nn.softmax`` (jitted); the
    composition elsewhere."""
    return _along_one_axis("softmax", x, axis, _softmax_fallback)


@declare("nn", ref="", namespace="nn", fallback=_log_softmax_fallback, doc_args=_SOFTMAX_ARGS)
def log_softmax(x: Array, axis: Any = -1) -> Array:
    """``x - logsumexp(x)`` along ``axis``, stable (the maximum is subtracted). ``-inf`` entries
    give ``-inf``; a row of all ``-inf`` gives NaN (as jax and torch). Native kernels for one
    axis: ``torch.nn.functional.log_softmax``, ``tf.nn.log_softmax``, ``jax.nn.log_softmax``;
    the composition elsewhere."""
    return _along_one_axis("log_softmax", x, axis, _log_softmax_fallback)


def _gelu_fallback(x: Array, approximate: bool) -> Array:
    from ..nn._activations import gelu_composite
    return gelu_composite(x, approximate)


@declare("nn", needs=("erf",), ref="", namespace="nn", fallback=_gelu_fallback)
def gelu(x: Array, approximate: bool | str = False) -> Array:
    """Gaussian error linear unit ``x * Phi(x)``; exact (erf) by default like torch and keras,
    unlike ``jax.nn.gelu`` whose default is the tanh approximation. Native kernel:
    ``torch.nn.functional.gelu``; the composition elsewhere (``tf.nn.gelu`` and
    ``jax.nn.gelu`` compute the exact form with ``erfc``, a different rounding).

    Args:
        x: float array (integers and bools are computed in the default float).
        approximate: False or ``'none'`` for ``0.5 x (1 + erf(x / sqrt 2))``; True or
            ``'tanh'`` for ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``.

    Returns:
        An array of ``x``'s backend and dtype. The composition's exact form uses
        ``xops.numpy.erf`` (the backend's native erf, with its native derivative).
    """
    if isinstance(approximate, str):
        if approximate not in ("none", "tanh"):
            raise ValueError(f"xops.nn.gelu: approximate must be a bool, 'none' or 'tanh', got "
                             f"{approximate!r}")
        approximate = approximate == "tanh"
    f = _fusable("gelu", x)
    if f is not None:
        out = call(f[1], "nn.gelu", f[0], bool(approximate))
        if out is not None:
            return out
    return _gelu_fallback(x, approximate)


def _layer_norm_fallback(x: Array, scale: Array | None, bias: Array | None, axis: Any,
                         eps: float) -> Array:
    from ..nn._norm import layer_norm_composite
    return layer_norm_composite(x, scale, bias, axis, eps)


def _rms_norm_fallback(x: Array, scale: Array | None, axis: Any, eps: float) -> Array:
    from ..nn._norm import rms_norm_composite
    return rms_norm_composite(x, scale, axis, eps)


def _norm_args(op: str, x: Array, axis: Any, eps: Any, *params: Array | None
               ) -> tuple[Backend, Array, tuple, Any, DType | None] | None:
    """What ``nn.layer_norm``/``nn.rms_norm`` kernels take: the backend, ``x`` and the
    parameters in one dtype, the normalised (trailing) shape, the dtype to round the result to;
    None for the composition. Each parameter must be None or an array of exactly the normalised
    shape (the composition broadcasts any shape against ``x``; the kernels take this one;
    Python scalars are left to the composition)."""
    f = _fusable(op, x, *params)
    if f is None or type(eps) not in (float, int):
        return None
    x, be = f
    shape = x.shape
    nd = len(shape)
    if nd == 0 or 0 in shape:
        return None
    k = _trailing(axis, nd)
    if not k:
        return None
    want = shape[nd - k:]
    for p in params:
        if p is not None and (type(p) in PY_SCALARS or p.shape != want):
            return None
    one = _one_dtype(be, x, *params)
    if one is None:
        return None
    return be, one[0], one[1], want, one[2]


@declare("nn", ref="", namespace="nn", fallback=_layer_norm_fallback)
def layer_norm(x: Array, scale: Array | None = None, bias: Array | None = None,
               axis: Any = -1, eps: float = 1e-5) -> Array:
    """``(x - mean) / sqrt(var + eps) * scale + bias`` with the biased mean and variance over
    ``axis`` (torch's ``layer_norm`` and flax's ``LayerNorm``; eps default 1e-5 as torch).
    Native kernel where the axes are the trailing ones and ``scale``/``bias`` have their shape:
    ``torch.nn.functional.layer_norm``; the composition elsewhere.

    Args:
        x: float array (integers and bools are computed in the default float).
        scale: optional array broadcastable to the normalised axes (usually of their shape).
        bias: optional array like ``scale``.
        axis: int or tuple of ints (default last).
        eps: added to the variance.

    Returns:
        An array of ``x``'s backend and shape, in the promoted dtype of ``x`` and the
        parameters (float16/bfloat16 ``x`` computed in float32 and rounded back to its dtype).
    """
    a = _norm_args("layer_norm", x, axis, eps, scale, bias)
    if a is not None:
        be, xc, (s, b), shape, back = a
        y = call(be, "nn.layer_norm", xc, s, b, shape, float(eps))
        if y is not None:
            return y if back is None else _xnp().astype(y, back)
    return _layer_norm_fallback(x, scale, bias, axis, eps)


@declare("nn", ref="", namespace="nn", fallback=_rms_norm_fallback)
def rms_norm(x: Array, scale: Array | None = None, axis: Any = -1, eps: float = 1e-6) -> Array:
    """``x / sqrt(mean(x**2) + eps) * scale`` over ``axis`` (flax's ``RMSNorm``, eps 1e-6;
    torch's default eps is the dtype's machine epsilon). Native kernel where the axes are the
    trailing ones and ``scale`` has their shape: ``torch.nn.functional.rms_norm``; the
    composition elsewhere.

    Args:
        x: float array (integers and bools are computed in the default float).
        scale: optional array broadcastable to the normalised axes.
        axis: int or tuple of ints (default last).
        eps: added to the mean square.

    Returns:
        An array of ``x``'s backend and shape, in the promoted dtype of ``x`` and ``scale``
        (float16/bfloat16 ``x`` computed in float32 and rounded back to its dtype).
    """
    a = _norm_args("rms_norm", x, axis, eps, scale)
    if a is not None:
        be, xc, (s,), shape, back = a
        y = call(be, "nn.rms_norm", xc, s, shape, float(eps))
        if y is not None:
            return y if back is None else _xnp().astype(y, back)
    return _rms_norm_fallback(x, scale, axis, eps)


def _sparse_ce_fallback(logits: Array, labels: Array, axis: int, reduction: str) -> Array:
    from ..nn._losses import sparse_softmax_cross_entropy_composite
    return sparse_softmax_cross_entropy_composite(logits, labels, axis, reduction)


@declare("nn", needs=("take_along_axis",), ref="", namespace="nn", fallback=_sparse_ce_fallback)
def sparse_softmax_cross_entropy(logits: Array, labels: Array, axis: int = -1,
                                 reduction: str = "mean") -> Array:
    """Cross-entropy with integer class labels: ``logsumexp(logits) - logits[label]``
    (torch's ``cross_entropy`` with class indices, optax's
    ``softmax_cross_entropy_with_integer_labels``). Native kernels where ``labels`` has the
    shape of ``logits`` without ``axis``: ``torch.nn.functional.cross_entropy``,
    ``tf.nn.sparse_softmax_cross_entropy_with_logits`` (labels read as ``take_along_axis``
    reads them; a row holding a ``+inf`` logit gives NaN there where the composition gives
    ``+inf``); the composition elsewhere.

    Args:
        logits: float array (..., classes, ...); float16/bfloat16 computed in float32.
        labels: integer array, ``logits`` without ``axis``, values in ``[-classes, classes)``
            (negative ones count from the end; out of range is an IndexError on eager
            backends and clamped under jit, like ``take_along_axis``).
        axis: class axis.
        reduction: 'mean' (over examples), 'sum' or 'none'.

    Returns:
        A scalar, or the per-example losses (shape of ``labels``) for 'none', of ``logits``'
        backend and float dtype.
    """
    if reduction not in _REDUCTIONS:
        raise ValueError("xops.nn.sparse_softmax_cross_entropy: reduction must be one of "
                         f"{_REDUCTIONS}, got {reduction!r}")
    f = _fusable("sparse_softmax_cross_entropy", logits, labels)
    if f is not None and _nonempty(f[0]):
        x, be = f
        nd = len(x.shape)
        ax = _one_axis(axis, nd)
        if (ax is not None and type(labels) not in PY_SCALARS
                and be.dtype_of(labels).kind in "iu"
                and tuple(labels.shape) == tuple(x.shape[:ax]) + tuple(x.shape[ax + 1:])):
            out = call(be, "nn.sparse_softmax_cross_entropy", x, labels, ax, reduction)
            if out is not None:
                return out
    return _sparse_ce_fallback(logits, labels, axis, reduction)

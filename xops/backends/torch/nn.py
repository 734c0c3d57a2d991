"""torch kernels of ``xops.nn``: ``torch.nn.functional`` conv/conv_transpose/pool/
scaled_dot_product_attention/ctc_loss, and the fused softmax/log_softmax/gelu/layer_norm/
rms_norm/cross_entropy. torch is channels-first: channels-last inputs are permuted views going
in and coming out (no copy of the user's tensor); asymmetric padding goes through ``F.pad``
first since torch's conv/pool padding is symmetric.

The fused kernels are called as ``F.<name>`` (an attribute read per call, so that
tests/test_nn_fused.py can count the calls); float16/bfloat16 are computed in float32 and
rounded once, as the composition does: torch's layer_norm, rms_norm, softmax and gelu kernels
accumulate in float32 themselves (checked against the composition in the tests), its 16-bit
log_softmax was measured up to 1.4 ulp off on the CPU and gets ``dtype=torch.float32``."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from . import distributed as _distributed
from .indexing import _index, in_range

NAMESPACE = "nn"
__all__ = ["conv", "conv_transpose", "max_pool", "avg_pool", "scaled_dot_product_attention",
           "ctc_loss", "softmax", "log_softmax", "gelu", "layer_norm", "rms_norm",
           "sparse_softmax_cross_entropy"]

_LOW = (torch.float16, torch.bfloat16)


def _first(x, cl):
    return x.movedim(-1, 1) if cl else x


def _back(y, cl):
    return y.movedim(1, -1) if cl else y


def _torch_pads(pads):
    """F.pad's order: last spatial axis first, (lo, hi) each."""
    out = []
    for lo, hi in reversed(pads):
        out += [lo, hi]
    return out


def _split_pads(pads):
    """(symmetric part passed to the op, remaining asymmetric pads for F.pad or None)."""
    sym = tuple(min(lo, hi) for lo, hi in pads)
    rest = [(lo - s, hi - s) for (lo, hi), s in zip(pads, sym)]
    return sym, (None if all(r == (0, 0) for r in rest) else rest)


def _conv_placements(name, x, w):
    """Raise where torch.distributed.tensor would compute a convolution wrongly. Its handler
    (torch 2.13, ``_tp_conv.convolution_handler``) runs the local shards as they are, without
    the redistribution its sharding rule asks for: a sharded weight or an input sharded off the
    batch axis gives wrong numbers or shapes, silently. Only DTensors get here (plain tensors
    skip the call), so plain convolutions pay one ``type`` test."""
    if _distributed(x) is None and _distributed(w) is None:
        return  # a Parameter or another tensor subclass
    x_ok = all(p.is_replicate() or (p.is_shard() and p.dim == 0)
               for p in getattr(x, "placements", ()))
    w_ok = all(p.is_replicate() for p in getattr(w, "placements", ()))
    if not (x_ok and w_ok):
        raise NotImplementedError(
            f"xops.nn.functional.{name}: unsupported DTensor placements (x "
            f"{_distributed(x) or 'a plain tensor'}; w {_distributed(w) or 'a plain tensor'}): "
            "torch.distributed.tensor convolves the local shards without redistributing them "
            "and would give wrong results; shard x along its batch axis (Shard(0)) or replicate "
            "it, and replicate w (Replicate())")


def conv(x, w, strides, pads, dilation, groups, cl):
    if type(x) is not torch.Tensor or type(w) is not torch.Tensor:
        _conv_placements("conv", x, w)
    nd = len(strides)
    xf = _first(x, cl)
    wt = w.permute(nd + 1, nd, *range(nd))  # (O, I/groups, *K)
    sym, rest = _split_pads(pads)
    if rest is not None:
        xf = F.pad(xf, _torch_pads(rest))
    fn = (F.conv1d, F.conv2d, F.conv3d)[nd - 1]
    y = fn(xf, wt, None, strides, sym, dilation, groups)
    return _back(y, cl)


def conv_transpose(x, w, strides, crop, dilation, groups, cl):
    if type(x) is not torch.Tensor or type(w) is not torch.Tensor:
        _conv_placements("conv_transpose", x, w)
    nd = len(strides)
    xf = _first(x, cl)
    wt = w.permute(nd + 1, nd, *range(nd))  # (I, O/groups, *K): torch's transposed layout
    # torch's padding p crops p from both ends and output_padding (< stride or dilation) adds
    # at the end: use them where they express the crop, F.pad (negative = crop) for the rest
    sym = tuple(max(min(lo, hi), 0) for lo, hi in crop)
    rest = [(lo - s, hi - s) for (lo, hi), s in zip(crop, sym)]
    fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[nd - 1]
    y = fn(xf, wt, None, strides, sym, 0, groups, dilation)
    if any(r != (0, 0) for r in rest):
        y = F.pad(y, _torch_pads([(-lo, -hi) for lo, hi in rest]))
    return _back(y, cl)


def _low_cpu(x):
    return x.dtype in (torch.float16, torch.bfloat16) and x.device.type == "cpu"


def max_pool(x, window, strides, pads, cl):
    nd = len(window)
    xf = _first(x, cl)
    sym, rest = _split_pads(pads)
    if any(2 * p > k for p, k in zip(sym, window)):  # torch: padding <= kernel / 2
        sym, rest = (0,) * nd, pads
    if rest is not None:
        xf = F.pad(xf, _torch_pads(rest), value=-math.inf)
    fn = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[nd - 1]
    return _back(fn(xf, window, strides, sym), cl)


def avg_pool(x, window, strides, pads, cl):
    nd = len(window)
    xf = _first(x, cl)
    back = None
    if _low_cpu(xf) and nd == 3:  # torch's CPU avg_pool3d has no float16/bfloat16 kernel
        back, xf = xf.dtype, xf.float()
    fn = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[nd - 1]
    sym, rest = _split_pads(pads)
    if rest is None and all(2 * p <= k for p, k in zip(sym, window)):
        # symmetric padding: torch's own divisor that skips the padding
        y = fn(xf, window, strides, sym, False, False)
    else:
        # mean over the zero-padded window / fraction of the window inside the input (torch
        # ops, not NumPy, so that torch.compile sees constants)
        tp = _torch_pads(pads)
        ones = torch.ones((1, 1, *xf.shape[2:]), dtype=xf.dtype, device=xf.device)
        y = fn(F.pad(xf, tp), window, strides, 0, False, True) / fn(
            F.pad(ones, tp), window, strides, 0, False, True)
    if back is not None:
        y = y.to(back)
    return _back(y, cl)


def scaled_dot_product_attention(q, k, v, mask, bias, is_causal, scale):
    """torch's fused ``scaled_dot_product_attention`` (layout (B, N, T, H)). A bool mask
    becomes an additive one with ``-0.7 * finfo.max`` (jax's value), so a fully masked row
    averages the values as the generic implementation does instead of giving NaN; causal
    masking alone keeps torch's ``is_causal`` (its fast kernels)."""
    qt, kt, vt = (a.transpose(1, 2) for a in (q, k, v))
    t, s = q.shape[1], k.shape[1]
    attn = None
    causal = is_causal
    if mask is not None or bias is not None:
        keep = mask
        if is_causal:
            tri = torch.ones((t, s), dtype=torch.bool, device=q.device).tril()
            keep = tri if keep is None else keep & tri
            causal = False
        add = None if bias is None else bias.to(q.dtype)
        if keep is not None:
            big = torch.tensor(-0.7 * torch.finfo(q.dtype).max, dtype=q.dtype, device=q.device)
            add = torch.where(keep, torch.zeros((), dtype=q.dtype, device=q.device)
                              if add is None else add, big)
        attn = add
    gqa = q.shape[2] != k.shape[2]
    kw = {"enable_gqa": True} if gqa else {}
    out = F.scaled_dot_product_attention(qt, kt, vt, attn_mask=attn, is_causal=causal,
                                         scale=scale, **kw)
    if mask is not None:
        # a fully masked row averages the values (as the generic path). The additive
        # -0.7 * max alone gives that in float32 on CPU, but not in float16 (-45850 with
        # spacing 32 does not absorb the logits) nor in CUDA's fused kernels (bfloat16 was seen
        # to differ on an H100): put the mean of the values in those rows
        rows = torch.broadcast_to(keep, (*out.shape[:3], k.shape[1])).any(-1, keepdim=True)
        low = vt.dtype in (torch.float16, torch.bfloat16)
        vmean = (vt.float() if low else vt).mean(2, keepdim=True).to(vt.dtype)  # (B,K,1,Hv)
        if gqa:
            vmean = vmean.repeat_interleave(q.shape[2] // k.shape[2], dim=1)
        out = torch.where(rows, out, vmean)
    return out.transpose(1, 2)


def ctc_loss(log_probs, labels, input_lengths, label_lengths, blank):
    """Per-sequence negative log-likelihood; ``log_probs`` (B, T, K) normalised."""
    return F.ctc_loss(log_probs.transpose(0, 1), labels.long(), input_lengths.long(),
                      label_lengths.long(), blank=blank, reduction="none", zero_infinity=False)


# --- fused ops (arguments checked and dtypes made one by xops/numpy_api/nn.py) ---------------
def softmax(x, axis):
    return F.softmax(x, axis)


def log_softmax(x, axis):
    if x.dtype in _LOW:
        return F.log_softmax(x, axis, dtype=torch.float32).to(x.dtype)
    return F.log_softmax(x, axis)


def _gelu_loses_inf() -> frozenset:
    """The CPU dtypes whose vectorised ``F.gelu`` answers nan for +inf on this machine (torch
    2.13 with AVX512: float32 and bfloat16; the scalar tail and other CPUs answer inf, as the
    composition does). Probed once, at import, on 64 values (the vector path)."""
    bad = set()
    for dt in (torch.float32, torch.bfloat16, torch.float16, torch.float64):
        for approximate in ("none", "tanh"):
            y = F.gelu(torch.full((64,), math.inf, dtype=dt), approximate=approximate)
            if not bool(torch.isinf(y).all()):
                bad.add(dt)
    return frozenset(bad)


_GELU_LOSES_INF = _gelu_loses_inf()


def gelu(x, approximate):
    y = F.gelu(x, approximate="tanh" if approximate else "none")
    if x.dtype in _GELU_LOSES_INF and x.device.type == "cpu":
        return torch.where(x == math.inf, x, y)  # the composition's inf (see _gelu_loses_inf)
    return y


def layer_norm(x, scale, bias, shape, eps):
    """Over the trailing axes of ``shape``; ``scale``/``bias`` None or of that shape, ``x``'s
    dtype."""
    return F.layer_norm(x, shape, scale, bias, eps)


def rms_norm(x, scale, shape, eps):
    return F.rms_norm(x, shape, scale, eps)


def sparse_softmax_cross_entropy(logits, labels, axis, reduction):
    """``F.cross_entropy`` with class indices, after the range check of ``take_along_axis``
    (its IndexError eagerly, clamped where values cannot be read) and with negative labels
    counted from the end as there: F.cross_entropy would take -100 as its ignore_index."""
    n = logits.shape[axis]
    idx = in_range("take_along_axis", _index(labels), n).remainder(n).long()
    x = logits.float() if logits.dtype in _LOW else logits
    nd = len(x.shape)
    if axis != nd - 1:
        x = x.movedim(axis, -1)
    if nd > 2:  # (N, C) rows: F.cross_entropy's layout for more dims is class axis 1
        x, idx = x.reshape(-1, n), idx.reshape(-1)
    out = F.cross_entropy(x, idx, reduction=reduction)
    if reduction == "none" and nd > 2:
        out = out.reshape(labels.shape)
    return out.to(logits.dtype) if logits.dtype in _LOW else out

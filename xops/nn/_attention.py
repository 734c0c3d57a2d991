"""Scaled dot-product attention (composed from ``xops.numpy`` ops, or the backend's fused
kernel: ``torch.nn.functional.scaled_dot_product_attention``, ``jax.nn.dot_product_attention``)
and dropout."""
from __future__ import annotations

import math
from typing import Any

from .. import numpy as xnp
from .. import random as xr
from ..backends import backend_of
from ._common import downcast, dtype_of, float_input, upcast
from ._softmax import softmax

Array = Any


def dropout(x: Array, rate: float, key: Array | None = None, training: bool = True) -> Array:
    """Inverted dropout: each element is zeroed with probability ``rate`` and the kept ones are
    scaled by ``1 / (1 - rate)``; the identity when not ``training`` or ``rate == 0``.

    Args:
        x: float array. rate: drop probability in ``[0, 1]``.
        key: an ``xops.random`` key of ``x``'s backend (required when training with
            ``rate > 0``). training: apply dropout (True) or return ``x`` (False).

    Returns:
        An array like ``x``; the mask is ``xops.random.dropout_mask(key, rate, x.shape)``, the
        same bits on every backend.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"xops.nn.dropout: rate must be in [0, 1], got {rate}")
    if not training or rate == 0.0:
        return x
    if key is None:
        raise ValueError("xops.nn.dropout: a key is required when training with rate > 0")
    return xr.dropout(key, rate, x)


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
        q: (B, T, N, H) queries. k: (B, S, K, H) keys. v: (B, S, K, Hv) values.
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
    q = float_input("scaled_dot_product_attention", q)
    n, kh = _check_layout(q, k, v)
    if implementation not in (None, "xops", "native"):
        raise ValueError("xops.nn.scaled_dot_product_attention: implementation must be None, "
                         f"'xops' or 'native', got {implementation!r}")
    if mask is not None and dtype_of(mask).kind != "b":
        raise TypeError("xops.nn.scaled_dot_product_attention: mask must be bool (True "
                        "keeps); pass additive float masks as bias=")
    if implementation != "xops":
        out = _native(q, k, v, mask, is_causal, scale, bias, implementation == "native")
        if out is not None:
            return out
    if kh != n:
        rep = n // kh
        k = xnp.repeat(k, rep, axis=2)
        v = xnp.repeat(v, rep, axis=2)
    if scale is None:
        scale = 1.0 / math.sqrt(int(q.shape[-1]))
    qc, back = upcast(q)
    kc, _ = upcast(k)
    logits = xnp.multiply(xnp.einsum("btnh,bsnh->bnts", qc, kc), scale)
    if bias is not None:
        logits = xnp.add(logits, upcast(bias)[0])
    keep = mask
    if is_causal:
        t, s = int(q.shape[1]), int(k.shape[1])
        causal = xnp.tril(xnp.ones((t, s), dtype=xnp.bool_, like=q))
        keep = causal if keep is None else xnp.logical_and(keep, causal)
    if keep is not None:
        big = -0.7 * float(xnp.finfo(dtype_of(logits)).max)
        logits = xnp.where(keep, logits, big)
    w = softmax(logits, axis=-1)
    vc, _ = upcast(v)
    out = xnp.einsum("bnts,bsnh->btnh", w, vc)
    return downcast(out, back)


def _native(q: Array, k: Array, v: Array, mask: Array | None, is_causal: bool,
            scale: float | None, bias: Array | None, required: bool) -> Array | None:
    """The backend's fused attention, or None (an error when ``required``) where it has none
    or cannot take these arguments."""
    name = "xops.nn.scaled_dot_product_attention"
    be = backend_of(q)
    fn = be.kernel("nn.attention")
    why = None
    if fn is None:
        why = f"the {be.name} backend has no native attention kernel"
    else:
        for a in (k, v, mask, bias):
            if a is not None and backend_of(a) is not be:
                why = "the arguments mix backends"
        if why is None and (dtype_of(k) != dtype_of(q) or dtype_of(v) != dtype_of(q)):
            why = "q, k and v have different dtypes"
    if why is None:
        try:
            out = fn(q, k, v, mask, bias, is_causal, scale)
        except Exception as e:
            e.add_note(f"(raised in {name} on the {be.name} backend)")
            raise
        if out is not None:
            return out
        why = f"the {be.name} kernel does not take these arguments"
    if required:
        raise ValueError(f"{name}: implementation='native' is unavailable: {why}")
    return None

"""Scaled dot-product attention and dropout, composed from ``xops.numpy`` ops (native fused
kernels are a later step)."""
from __future__ import annotations

import math
from typing import Any

from .. import numpy as xnp
from .. import random as xr
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
                                 bias: Array | None = None) -> Array:
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
        bias: optional float array broadcastable to (B, N, T, S), added to the logits.

    Returns:
        (B, T, N, Hv) array of ``q``'s backend and dtype.
    """
    q = float_input("scaled_dot_product_attention", q)
    n, kh = _check_layout(q, k, v)
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
    keep = None
    if mask is not None:
        if dtype_of(mask).kind != "b":
            raise TypeError("xops.nn.scaled_dot_product_attention: mask must be bool (True "
                            "keeps); pass additive float masks as bias=")
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

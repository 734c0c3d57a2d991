"""Dropout, and the generic scaled dot-product attention: the composition of ``xops.numpy``
ops that ``xops.nn.functional.scaled_dot_product_attention`` (declared in
``xops/numpy_api/nn.py``) runs where the backend has no fused kernel or on
``implementation="xops"``."""
from __future__ import annotations

import math
from typing import Any

from .. import numpy as xnp
from .. import random as xr
from ._common import downcast, dtype_of, upcast
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


def attention_composite(q: Array, k: Array, v: Array, mask: Array | None, bias: Array | None,
                        is_causal: bool, scale: float | None) -> Array:
    """The generic attention (arguments checked by the op): grouped k/v heads repeated,
    logits and softmax in float32 for float16/bfloat16, masked logits ``-0.7 * finfo.max``."""
    n, kh = int(q.shape[2]), int(k.shape[2])
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

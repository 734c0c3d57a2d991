"""jax kernels of ``xops.nn``: ``lax.conv_general_dilated`` (the transposed convolution as an
input-dilated convolution with the flipped kernel, as ``lax.conv_transpose`` does),
``lax.reduce_window`` pooling, ``jax.nn.dot_product_attention``, ``jax.nn.softmax`` and
``jax.nn.log_softmax``. The last two are jitted here (with the float32 round trip of 16-bit
inputs inside), so an eager call is one dispatch instead of one per op; the other fused ops of
``xops.nn`` stay compositions on jax (XLA fuses them under jit; ``jax.nn.gelu``'s exact form
uses ``erfc``, a different rounding)."""
from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
from jax import lax

from .._common import pool_count

NAMESPACE = "nn"
__all__ = ["conv", "conv_transpose", "max_pool", "avg_pool", "scaled_dot_product_attention",
           "softmax", "log_softmax"]

_SP = "DHW"


def _dims(nd, cl):
    sp = _SP[-nd:]
    lhs = f"N{sp}C" if cl else f"NC{sp}"
    return (lhs, f"{sp}IO", lhs)


def conv(x, w, strides, pads, dilation, groups, cl):
    nd = len(strides)
    return lax.conv_general_dilated(x, w, window_strides=strides, padding=list(pads),
                                    rhs_dilation=dilation, dimension_numbers=_dims(nd, cl),
                                    feature_group_count=groups)


def conv_transpose(x, w, strides, crop, dilation, groups, cl):
    nd = len(strides)
    ks = w.shape[:nd]
    og, cin = w.shape[nd], w.shape[nd + 1]
    wf = jnp.flip(w, axis=tuple(range(nd)))
    wf = wf.reshape(*ks, og, groups, cin // groups)
    wf = jnp.transpose(wf, (*range(nd), nd + 2, nd + 1, nd)).reshape(*ks, cin // groups,
                                                                  groups * og)
    pads = [((k - 1) * d - lo, (k - 1) * d - hi) for k, d, (lo, hi) in zip(ks, dilation, crop)]
    return lax.conv_general_dilated(x, wf, window_strides=(1,) * nd, padding=pads,
                                    lhs_dilation=strides, rhs_dilation=dilation,
                                    dimension_numbers=_dims(nd, cl), feature_group_count=groups)


def _full(t, cl):
    return (1, *t, 1) if cl else (1, 1, *t)


def max_pool(x, window, strides, pads, cl):
    p = [(0, 0), *pads, (0, 0)] if cl else [(0, 0), (0, 0), *pads]
    init = jnp.array(-jnp.inf, x.dtype)
    return lax.reduce_window(x, init, lax.max, _full(window, cl), _full(strides, cl), p)


_LOW = (jnp.float16, jnp.bfloat16)


def avg_pool(x, window, strides, pads, cl):
    nd = len(window)
    p = [(0, 0), *pads, (0, 0)] if cl else [(0, 0), (0, 0), *pads]
    back = x.dtype if x.dtype in _LOW else None
    xc = x.astype(jnp.float32) if back is not None else x
    s = lax.reduce_window(xc, jnp.array(0, xc.dtype), lax.add, _full(window, cl),
                          _full(strides, cl), p)
    if any(q != (0, 0) for q in pads):
        sp = x.shape[1:1 + nd] if cl else x.shape[2:]
        c = pool_count(sp, window, strides, pads)
        y = s / jnp.asarray(c[..., None] if cl else c, xc.dtype)
    else:
        y = s / math.prod(window)
    return y.astype(back) if back is not None else y


def scaled_dot_product_attention(q, k, v, mask, bias, is_causal, scale):
    """``jax.nn.dot_product_attention`` or None where it does not apply: value head size
    different from the key's, or float16 on the CPU (XLA's CPU dot_general has no
    F16_F16_F32 precision config: the jitted kernel fails to compile there; the composition
    computes it)."""
    if v.shape[-1] != k.shape[-1]:
        return None
    if q.dtype == jnp.float16 and _on_cpu(q):
        return None

    def four(a):
        return None if a is None else jnp.reshape(a, (1,) * (4 - a.ndim) + tuple(a.shape))

    if bias is not None:
        bias = four(bias).astype(q.dtype)
    return jax.nn.dot_product_attention(q, k, v, bias=bias, mask=four(mask), scale=scale,
                                        is_causal=is_causal)



def _in_float32(fn, x, axis):
    if x.dtype in _LOW:  # the composition's 16-bit rule: float32, rounded once
        return fn(x.astype(jnp.float32), axis=axis).astype(x.dtype)
    return fn(x, axis=axis)


@partial(jax.jit, static_argnums=1)
def softmax(x, axis):
    return _in_float32(jax.nn.softmax, x, axis)


@partial(jax.jit, static_argnums=1)
def log_softmax(x, axis):
    return _in_float32(jax.nn.log_softmax, x, axis)


def _on_cpu(a):
    try:
        return all(d.platform == "cpu" for d in a.devices())
    except TypeError:  # a tracer under jit (ConcretizationTypeError): the default platform
        return jax.default_backend() == "cpu"

"""tensorflow kernels of ``xops.nn``: ``tf.nn.convolution``/``conv_transpose``/``max_pool``/
``avg_pool``/``ctc_loss``/``softmax``/``log_softmax``. TF's CPU kernels are channels-last only,
so channels-first inputs are transposed in and out. Gaps of the CPU kernels are worked around
(each noted below): strides together with dilation, grouped 3-d convolution, gradients of
grouped convolutions, 3-d pooling in float16/float64.

Of the fused ops softmax, log_softmax and sparse_softmax_cross_entropy have tf kernels; gelu and
the norms stay compositions: ``tf.nn.gelu``'s exact form uses ``erfc`` (a different rounding)
and is a Python composition like xops's, and a layer norm from ``tf.nn.moments`` +
``tf.nn.batch_normalization`` measured slower than the composition (the timings:
benchmarks/nn_functional.py)."""
from __future__ import annotations

import math

import tensorflow as tf

from .._common import pool_count
from .indexing import _index, take_along_axis

NAMESPACE = "nn"
__all__ = ["conv", "conv_transpose", "max_pool", "avg_pool", "ctc_loss", "softmax",
           "log_softmax", "sparse_softmax_cross_entropy"]


def _last(x, cl, nd):
    return x if cl else tf.transpose(x, [0, *range(2, nd + 2), 1])


def _first(y, cl, nd):
    return y if cl else tf.transpose(y, [0, nd + 1, *range(1, nd + 1)])


# TF's eager gradient of Conv3D reads the op's data_format attribute, which tf.nn.convolution
# leaves unset unless given: always pass it
_FMT = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _same_pads(sp, eff, strides):
    out = []
    for n, k, s in zip(sp, eff, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        out.append((total // 2, total - total // 2))
    return out


def _pad(x, pads, value=0):
    """Pads (channels-last ``x``), negative ones crop."""
    if all(p == (0, 0) for p in pads):
        return x
    pos = [[0, 0]] + [[max(lo, 0), max(hi, 0)] for lo, hi in pads] + [[0, 0]]
    if any(v for p in pos for v in p):
        x = tf.pad(x, pos, constant_values=value)
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        idx = [slice(None)] + [slice(-min(lo, 0), x.shape[i + 1] + min(hi, 0))
                               for i, (lo, hi) in enumerate(pads)] + [slice(None)]
        x = x[tuple(idx)]
    return x


def _conv_last(x, w, strides, pads, dilation, groups):
    nd = len(strides)
    if groups > 1 and nd == 3:  # TF's CPU Conv3D has no grouped kernel: one conv per group
        xs = tf.split(x, groups, axis=-1)
        ws = tf.split(w, groups, axis=-1)
        return tf.concat([_conv_last(a, b, strides, pads, dilation, 1)
                          for a, b in zip(xs, ws)], axis=-1)
    both = any(s > 1 for s in strides) and any(d > 1 for d in dilation)
    if both:  # tf.nn.convolution refuses strides > 1 with dilation > 1: stride 1, then slice
        y = _conv_last(x, w, (1,) * nd, pads, dilation, groups)
        return y[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    if groups > 1 and "GPU" not in (x.device or ""):
        return _grouped(x, w, strides, pads, dilation, groups)
    return _native_conv(x, w, strides, pads, dilation)


def _native_conv(x, w, strides, pads, dilation):
    nd = len(strides)
    eff = [(k - 1) * d + 1 for k, d in zip(w.shape[:nd], dilation)]
    if list(pads) == _same_pads(x.shape[1:1 + nd], eff, strides):
        return tf.nn.convolution(x, w, strides=strides, padding="SAME", dilations=dilation,
                                 data_format=_FMT[nd])
    return tf.nn.convolution(_pad(x, pads), w, strides=strides, padding="VALID",
                             dilations=dilation, data_format=_FMT[nd])


def _grouped(x, w, strides, pads, dilation, groups):
    """A grouped 1-d/2-d convolution off the GPU: TF's grouped kernel forward, but its CPU
    kernels have no gradient for it ("Gradients for grouped convolutions are not supported on
    CPU"), so the gradient is taken through one convolution per group instead."""

    def per_group(a, b):
        return tf.concat([_native_conv(xa, wb, strides, pads, dilation) for xa, wb in
                          zip(tf.split(a, groups, axis=-1), tf.split(b, groups, axis=-1))],
                         axis=-1)

    @tf.custom_gradient
    def fn(a, b):
        def grad(dy):
            with tf.GradientTape() as tape:
                tape.watch([a, b])
                y = per_group(a, b)
            return tape.gradient(y, [a, b], output_gradients=dy)

        return _native_conv(a, b, strides, pads, dilation), grad

    # tensors, not variables: the gradient reaches a variable through this read
    return fn(tf.convert_to_tensor(x), tf.convert_to_tensor(w))


def conv(x, w, strides, pads, dilation, groups, cl):
    nd = len(strides)
    y = _conv_last(_last(x, cl, nd), w, strides, pads, dilation, groups)
    return _first(y, cl, nd)


def _insert_zeros(x, strides):
    """Channels-last ``x`` with ``s - 1`` zeros between neighbours along each spatial axis."""
    for i, s in enumerate(strides):
        if s == 1:
            continue
        ax = i + 1
        n = x.shape[ax]
        x = tf.expand_dims(x, ax + 1)
        x = tf.pad(x, [[0, 0]] * (ax + 1) + [[0, s - 1]] + [[0, 0]] * (x.shape.rank - ax - 2))
        shape = [-1] + [x.shape[j] for j in range(1, ax)] + [n * s] + [
            x.shape[j] for j in range(ax + 2, x.shape.rank)]
        x = tf.reshape(x, shape)
        x = x[(slice(None),) * ax + (slice(0, (n - 1) * s + 1),)]
    return x


def conv_transpose(x, w, strides, crop, dilation, groups, cl):
    nd = len(strides)
    x = _last(x, cl, nd)
    ks = w.shape[:nd]
    og, cin = w.shape[nd], w.shape[nd + 1]
    sp = x.shape[1:1 + nd]
    full = [(m - 1) * s + (k - 1) * d + 1 for m, s, k, d in zip(sp, strides, ks, dilation)]
    if groups == 1 and all(d == 1 for d in dilation):
        shape = tf.stack([tf.shape(x)[0], *full, og])
        y = tf.nn.conv_transpose(x, w, shape, strides=list(strides), padding="VALID",
                                 data_format=_FMT[nd])
        y = _pad(y, [(-lo, -hi) for lo, hi in crop])
    else:  # the gradient as a convolution of the zero-interleaved input, flipped kernel
        wf = tf.reverse(w, axis=list(range(nd)))
        wf = tf.reshape(wf, [*ks, og, groups, cin // groups])
        wf = tf.reshape(tf.transpose(wf, [*range(nd), nd + 2, nd + 1, nd]),
                        [*ks, cin // groups, groups * og])
        pads = [((k - 1) * d - lo, (k - 1) * d - hi) for k, d, (lo, hi) in
                zip(ks, dilation, crop)]
        xz = _pad(_insert_zeros(x, strides), [(min(a, 0), min(b, 0)) for a, b in pads])
        y = _conv_last(xz, wf, (1,) * nd, [(max(a, 0), max(b, 0)) for a, b in pads],
                       dilation, groups)
    return _first(y, cl, nd)


_NO_3D = (tf.float16, tf.float64)  # TF's CPU MaxPool3D/AvgPool3D: float32/bfloat16 only


def _pool_last(x, kind, window, strides, pads):
    nd = len(window)
    if nd == 3 and x.dtype in _NO_3D:
        # separable: the (H, W) windows of every depth slice, then the depth windows
        n, d, h, w_, c = x.shape
        y = _pool_last(tf.reshape(x, [-1, h, w_, c]), kind, window[1:], strides[1:], pads[1:])
        h2, w2 = y.shape[1], y.shape[2]
        y = tf.reshape(y, [-1, d, h2 * w2, c])
        y = _pool_last(y, kind, (window[0], 1), (strides[0], 1), (pads[0], (0, 0)))
        return tf.reshape(y, [-1, y.shape[1], h2, w2, c])
    pool = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool

    def fn(a, k, s, p):
        return pool(a, k, s, p, data_format=_FMT[nd])

    if all(p == (0, 0) for p in pads):
        return fn(x, window, strides, "VALID")
    if list(pads) == _same_pads(x.shape[1:1 + nd], window, strides):
        return fn(x, window, strides, "SAME")  # TF's SAME average ignores the padding
    if kind == "max":
        return fn(_pad(x, pads, -math.inf), window, strides, "VALID")
    c = pool_count(x.shape[1:1 + nd], window, strides, pads)
    y = fn(_pad(x, pads), window, strides, "VALID")
    return y * tf.constant((math.prod(window) / c)[..., None], y.dtype)


def max_pool(x, window, strides, pads, cl):
    nd = len(window)
    return _first(_pool_last(_last(x, cl, nd), "max", window, strides, pads), cl, nd)


def avg_pool(x, window, strides, pads, cl):
    nd = len(window)
    return _first(_pool_last(_last(x, cl, nd), "avg", window, strides, pads), cl, nd)


def ctc_loss(log_probs, labels, input_lengths, label_lengths, blank):
    """Per-sequence negative log-likelihood; ``log_probs`` (B, T, K) normalised. None for
    float64 (tf.nn.ctc_loss's dense path mixes in float32 and raises): the caller then uses
    the composite."""
    if log_probs.dtype == tf.float64:
        return None
    return tf.nn.ctc_loss(tf.cast(labels, tf.int32), log_probs,
                          tf.cast(label_lengths, tf.int32), tf.cast(input_lengths, tf.int32),
                          logits_time_major=False, blank_index=blank)


_LOW = (tf.float16, tf.bfloat16)


def _in_float32(fn, x, axis):
    if x.dtype in _LOW:  # the composition's 16-bit rule: float32, rounded once
        return tf.cast(fn(tf.cast(x, tf.float32), axis=axis), x.dtype)
    return fn(x, axis=axis)


def _softmax_keeps_nan_rows() -> bool:
    """Whether ``tf.nn.softmax`` makes a row with a nan all nan, as the composition (whose max
    is nan) does. tf's oneDNN kernel (on by default on CPUs with AVX512_VNNI/BF16) answers
    [0, nan] for [0, nan]. Probed once, on the CPU, at the first softmax (eagerly, also when
    that call is being traced): never at import, where running an op would start tf's runtime
    and so forbid the user's device settings (virtual devices, memory growth) after
    ``import xops``."""
    with tf.init_scope(), tf.device("/CPU:0"):
        y = tf.nn.softmax(tf.constant([[0.0, math.nan, 1.0]] * 4), axis=-1)
        return bool(tf.reduce_all(tf.math.is_nan(y)))


_SOFTMAX_KEEPS_NAN_ROWS: bool | None = None  # unknown until the first softmax


def softmax(x, axis):
    global _SOFTMAX_KEEPS_NAN_ROWS
    y = _in_float32(tf.nn.softmax, x, axis)
    keeps = _SOFTMAX_KEEPS_NAN_ROWS
    if keeps is None:
        keeps = _SOFTMAX_KEEPS_NAN_ROWS = _softmax_keeps_nan_rows()
    if keeps:
        return y
    # a nan anywhere in a row spreads to the row through the row's sum (elsewhere y + 0: y)
    s = tf.reduce_sum(y, axis=axis, keepdims=True)
    return y + (s - s)


def log_softmax(x, axis):
    return _in_float32(tf.nn.log_softmax, x, axis)


_REDUCE = {"mean": tf.reduce_mean, "sum": tf.reduce_sum, "none": lambda v: v}


def sparse_softmax_cross_entropy(logits, labels, axis, reduction):
    """``tf.nn.sparse_softmax_cross_entropy_with_logits`` (class axis moved last), labels as
    ``take_along_axis`` reads them (negative ones count from the end). An out-of-range label
    makes the fused op raise eagerly on the CPU: the error raised is then the composition's,
    reproduced by its own take_along_axis kernel (nothing checked on the good path; on a GPU
    and under tf.function the result for such labels is unspecified, as the composition's)."""
    n = tf.shape(logits, out_type=tf.int64)[axis]
    idx = _index(labels, n)
    low = logits.dtype in _LOW
    x = tf.cast(logits, tf.float32) if low else logits
    nd = len(x.shape)
    if axis != nd - 1:
        x = tf.transpose(x, [*range(axis), *range(axis + 1, nd), axis])
    try:
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=idx, logits=x)
    except tf.errors.InvalidArgumentError:
        take_along_axis(logits, tf.expand_dims(labels, axis), axis)
        raise
    loss = _REDUCE[reduction](loss)
    return tf.cast(loss, logits.dtype) if low else loss

"""NumPy kernels of ``xops.nn``: convolutions as windows (``sliding_window_view``) contracted
with ``einsum``, transposed convolutions as a scatter over kernel positions, pooling as window
reductions. Correct for any size, meant for tests and small models. float16/bfloat16 are
computed in float32 and rounded once."""
from __future__ import annotations

import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

NAMESPACE = "nn"
__all__ = ["conv", "conv_transpose", "max_pool", "avg_pool"]

_LETTERS = "abc"  # output spatial axes
_KLETTERS = "xyz"  # kernel spatial axes


def _to_last(x, cl):
    return x if cl else np.moveaxis(x, 1, -1)


def _from_last(y, cl):
    return y if cl else np.moveaxis(y, -1, 1)


def _up(x):
    if x.dtype.itemsize < 4 and x.dtype.kind == "f" or x.dtype.name == "bfloat16":
        return x.astype(np.float32), x.dtype
    return x, None


def _windows(x, eff, strides, dilation):
    """(N, *O, C, *K): the strided, dilated windows of channels-last ``x`` (a view)."""
    nd = len(eff)
    win = sliding_window_view(x, eff, axis=tuple(range(1, nd + 1)))
    idx = ((slice(None),) + tuple(slice(None, None, s) for s in strides) + (slice(None),)
           + tuple(slice(None, None, d) for d in dilation))
    return win[idx]


def conv(x, w, strides, pads, dilation, groups, cl):
    x = _to_last(x, cl)
    x, back = _up(x)
    w = w.astype(x.dtype, copy=False)
    nd = len(strides)
    if any(p != (0, 0) for p in pads):
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
    ks = w.shape[:nd]
    eff = [(k - 1) * d + 1 for k, d in zip(ks, dilation)]
    p = _windows(x, eff, strides, dilation)
    n, out_sp, c = p.shape[0], p.shape[1:1 + nd], p.shape[1 + nd]
    cout = w.shape[-1]
    p = p.reshape(n, *out_sp, groups, c // groups, *ks)
    wg = w.reshape(*ks, c // groups, groups, cout // groups)
    o, k = _LETTERS[:nd], _KLETTERS[:nd]
    y = np.einsum(f"n{o}gi{k},{k}igq->n{o}gq", p, wg, optimize=True)
    y = y.reshape(n, *out_sp, cout)
    if back is not None:
        y = y.astype(back)
    return _from_last(y, cl)


def conv_transpose(x, w, strides, crop, dilation, groups, cl):
    """``w``: (*K, O/groups, I). The full result has length (n-1)*s + (k-1)*d + 1 per axis;
    ``crop[i] = (lo, hi)`` keeps ``full[lo:len-hi]`` (a negative ``hi`` appends zeros)."""
    x = _to_last(x, cl)
    x, back = _up(x)
    w = w.astype(x.dtype, copy=False)
    nd = len(strides)
    n, sp, cin = x.shape[0], x.shape[1:1 + nd], x.shape[-1]
    ks = w.shape[:nd]
    og = w.shape[nd]
    full = [(m - 1) * s + (k - 1) * d + 1 for m, s, k, d in zip(sp, strides, ks, dilation)]
    ext = [f + max(-hi, 0) for f, (_, hi) in zip(full, crop)]
    out = np.zeros((n, *ext, groups * og), x.dtype)
    xg = x.reshape(n, *sp, groups, cin // groups)
    wg = w.reshape(*ks, og, groups, cin // groups)
    o = _LETTERS[:nd]
    for kp in itertools.product(*(range(k) for k in ks)):
        contrib = np.einsum(f"n{o}gi,qgi->n{o}gq", xg, wg[kp]).reshape(n, *sp, groups * og)
        idx = (slice(None),) + tuple(slice(j * d, j * d + (m - 1) * s + 1, s)
                                     for j, d, m, s in zip(kp, dilation, sp, strides))
        out[idx] += contrib
    idx = (slice(None),) + tuple(slice(lo, f - hi) for f, (lo, hi) in zip(full, crop))
    y = out[idx]
    if back is not None:
        y = y.astype(back)
    return _from_last(y, cl)


def max_pool(x, window, strides, pads, cl):
    x = _to_last(x, cl)
    nd = len(window)
    if any(p != (0, 0) for p in pads):
        x = np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=-np.inf)
    p = _windows(x, window, strides, (1,) * nd)
    y = p.max(axis=tuple(range(-nd, 0)))
    return _from_last(y, cl)


def avg_pool(x, window, strides, pads, cl):
    """Mean over the window's elements inside the unpadded input."""
    x = _to_last(x, cl)
    x, back = _up(x)
    nd = len(window)
    axes = tuple(range(-nd, 0))
    if any(p != (0, 0) for p in pads):
        ones = np.pad(np.ones((1, *x.shape[1:1 + nd], 1), x.dtype), [(0, 0), *pads, (0, 0)])
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
        count = _windows(ones, window, strides, (1,) * nd).sum(axis=axes)
    else:
        count = float(np.prod(window))
    y = _windows(x, window, strides, (1,) * nd).sum(axis=axes) / count
    y = y.astype(x.dtype, copy=False)
    if back is not None:
        y = y.astype(back)
    return _from_last(y, cl)


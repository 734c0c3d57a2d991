"""tensorflow kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see stats/numpy.py."""
from __future__ import annotations

import tensorflow as tf

__all__: list[str] = ["stats_searchsorted", "stats_bincount"]

# tf.searchsorted (LowerBound/UpperBound) has kernels for int32/int64 and the floats but not
# for the small or unsigned integers or bool: widen those (order-preserving).
_NATIVE_SEARCH = (tf.int32, tf.int64, tf.float16, tf.bfloat16, tf.float32, tf.float64)


def stats_searchsorted(a, v, right, idx):
    if a.dtype not in _NATIVE_SEARCH:
        a, v = tf.cast(a, tf.int64), tf.cast(v, tf.int64)
    shape = tf.shape(v)
    out = tf.searchsorted(a, tf.reshape(v, [-1]), side="right" if right else "left",
                          out_type=idx)
    return tf.reshape(out, shape)


def stats_bincount(x, weights, length):
    # unsorted_segment_sum drops negative segment ids: route out-of-range values there.
    seg = tf.where((x >= 0) & (x < length), x, tf.constant(-1, x.dtype))
    data = tf.ones(tf.shape(x), x.dtype) if weights is None else weights
    return tf.math.unsorted_segment_sum(data, seg, length)

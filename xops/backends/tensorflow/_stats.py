"""tensorflow kernels for the statistics in xops/numpy_api/stats.py. Every kernel name is listed in ``__all__``
(the table imports exactly those). Signatures: see stats/numpy.py."""
from __future__ import annotations

import tensorflow as tf

__all__: list[str] = ["bincount"]

def bincount(x, weights, length):
    # unsorted_segment_sum drops negative segment ids: route out-of-range values there.
    seg = tf.where((x >= 0) & (x < length), x, tf.constant(-1, x.dtype))
    data = tf.ones(tf.shape(x), x.dtype) if weights is None else weights
    return tf.math.unsorted_segment_sum(data, seg, length)

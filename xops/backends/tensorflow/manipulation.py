"""tensorflow kernels that move data without computing: reshape, transpose, concatenate, split,
pad, ..."""
from __future__ import annotations

import builtins

import tensorflow as tf

from .._common import MANIPULATION_NAMES
from . import const

__all__: list[str] = list(MANIPULATION_NAMES)


# --- shape -------------------------------------------------------------------------------------
reshape = tf.reshape
transpose = tf.transpose
expand_dims = tf.expand_dims
squeeze = tf.squeeze
concatenate = tf.concat
stack = tf.stack
broadcast_to = tf.broadcast_to
flip = tf.reverse
roll = tf.roll


def tile(x, reps):
    if x.dtype == tf.uint16:  # no uint16 Tile kernel: same bits as int16
        return tf.bitcast(tf.tile(tf.bitcast(x, tf.int16), reps), tf.uint16)
    return tf.tile(x, reps)


def split(x, starts, sizes, axis):
    return tf.split(x, list(sizes), axis)


def repeat(x, repeats, axis):
    if x.dtype == tf.uint16:  # no uint16 kernel (repeat is built on tile)
        return tf.bitcast(tf.repeat(tf.bitcast(x, tf.int16), repeats, axis), tf.uint16)
    return tf.repeat(x, repeats, axis)


def pad(x, pad_width, mode, constant_values):
    if mode == "constant":
        return tf.pad(x, pad_width, "CONSTANT", const(constant_values, x.dtype))
    if mode in ("reflect", "symmetric"):
        limit = 1 if mode == "reflect" else 0
        shape = x.shape
        if builtins.all(n is not None and builtins.max(a, b) <= n - limit
                        for (a, b), n in zip(pad_width, shape)):
            return tf.pad(x, pad_width, mode.upper())
    # tf.pad cannot: edge, wrap, and reflections wider than the axis (NumPy repeats them).
    # Gather along each axis with the source index of every output position.
    for ax, (a, b) in enumerate(pad_width):
        if not a and not b:
            continue
        n = tf.shape(x, out_type=tf.int64)[ax]
        i = tf.range(-a, n + b, dtype=tf.int64)
        if mode == "edge":
            i = tf.clip_by_value(i, 0, n - 1)
        elif mode == "wrap":
            i = tf.math.floormod(i, n)
        elif mode == "reflect":
            p = tf.math.maximum(2 * (n - 1), 1)
            i = tf.math.floormod(i, p)
            i = tf.where(i >= n, p - i, i)
        else:  # symmetric
            p = 2 * n
            i = tf.math.floormod(i, p)
            i = tf.where(i >= n, p - 1 - i, i)
        x = tf.gather(x, i, axis=ax)
    return x


def unstack(x, axis):
    return tuple(tf.unstack(x, axis=axis))

"""tensorflow kernels for xops.numpy.linalg (``tf.linalg``). Every kernel name is listed in
``__all__`` (the table imports exactly those). Arguments arrive normalised (one float/complex
compute dtype; ``solve``'s operands with equal batch shapes, which tf.linalg.solve needs)."""
from __future__ import annotations

import math

import tensorflow as tf

from .._common import LINALG_NAMES

NAMESPACE = "linalg"
__all__: list[str] = list(LINALG_NAMES)


def slogdet(x):
    sign, logabsdet = tf.linalg.slogdet(x)
    # tf gives log|det| in the input's dtype, complex for complex input; NumPy's is real.
    if logabsdet.dtype.is_complex:
        logabsdet = tf.math.real(logabsdet)
    return sign, logabsdet


# Kernels that are the framework function itself (same arguments, same results).
inv = tf.linalg.inv
det = tf.linalg.det
solve = tf.linalg.solve
eigvals = tf.linalg.eigvals


def cholesky(x, upper):
    low = tf.linalg.cholesky(x)  # reads the lower triangle, as NumPy does
    return tf.linalg.adjoint(low) if upper else low


def qr(x, mode):
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return q, r


def svd(x, full_matrices):
    # tf.linalg.svd returns (s, u, v) with x = u diag(s) v^H: Vh is v's adjoint.
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices, compute_uv=True)
    return u, s, tf.linalg.adjoint(v)


def svdvals(x):
    return tf.linalg.svd(x, compute_uv=False)


def eig(x):
    w, v = tf.linalg.eig(x)
    return w, v


def eigh(x, UPLO):
    # tf.linalg.eigh reads the lower triangle; the lower triangle of x^H is the conjugate of
    # x's upper one, i.e. the same Hermitian matrix NumPy builds for UPLO='U'.
    w, v = tf.linalg.eigh(tf.linalg.adjoint(x) if UPLO == "U" else x)
    return _real(w), v


def eigvalsh(x, UPLO):
    return _real(tf.linalg.eigvalsh(tf.linalg.adjoint(x) if UPLO == "U" else x))


def _real(w):
    # tf gives Hermitian eigenvalues in the input dtype, complex for complex input.
    return tf.math.real(w) if w.dtype.is_complex else w


def pinv(x, rtol, hermitian):
    # From the SVD (tf.linalg.pinv refuses complex input; it has no Hermitian path either,
    # and the SVD gives the same pseudo-inverse for Hermitian input). NumPy's cutoff: singular
    # values <= rtol * largest are dropped.
    s, u, v = tf.linalg.svd(x, full_matrices=False, compute_uv=True)
    rtol = tf.cast(rtol, s.dtype)[..., None] if not isinstance(rtol, (int, float)) else rtol
    big = tf.math.reduce_max(s, axis=-1, keepdims=True) if s.shape[-1] != 0 else s
    keep = tf.math.greater(s, rtol * big)
    s_inv = tf.where(keep, 1 / tf.where(keep, s, tf.ones_like(s)), tf.zeros_like(s))
    return tf.linalg.matmul(v * tf.cast(s_inv, v.dtype)[..., None, :], u, adjoint_b=True)


def vector_norm(x, axis, keepdims, ord):
    ax = None if axis is None else list(axis)
    a = tf.math.abs(x)
    if ord == math.inf:
        return tf.math.reduce_max(a, ax, keepdims)
    if ord == -math.inf:
        return tf.math.reduce_min(a, ax, keepdims)
    if ord == 0:
        return tf.math.reduce_sum(tf.cast(tf.math.not_equal(a, 0), a.dtype), ax, keepdims)
    if ord == 1:
        return tf.math.reduce_sum(a, ax, keepdims)
    if ord == 2:
        return tf.math.sqrt(tf.math.reduce_sum(a * a, ax, keepdims))
    p = tf.constant(ord, a.dtype)
    return tf.math.pow(tf.math.reduce_sum(tf.math.pow(a, p), ax, keepdims), 1 / p)


def diagonal(x, offset):
    m, n = x.shape[-2], x.shape[-1]
    if m is not None and n is not None and (offset >= n or -offset >= m):
        # tf.linalg.diag_part refuses an offset outside the matrix; NumPy gives an empty one.
        return tf.zeros(tf.concat([tf.shape(x)[:-2], [0]], 0), x.dtype)
    return tf.linalg.diag_part(x, k=offset)

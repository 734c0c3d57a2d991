"""``from xops.nn import functional as F``: stateless neural-network functions (activations,
softmax family, losses, normalisations, convolution, pooling, attention, dropout) on numpy,
jax, torch and tensorflow arrays, written once with ``xops.numpy`` ops or native kernels.
conv, conv_transpose, max_pool, avg_pool, scaled_dot_product_attention, ctc_loss, softmax,
log_softmax, gelu, layer_norm, rms_norm and sparse_softmax_cross_entropy are registered ops
(``xops.numpy_api.REGISTRY["nn.conv"]``, ...) dispatched like every other op, the last six to a
framework's fused kernel where it has one. See docs/nn.md. This module only re-exports."""
from __future__ import annotations

from ..numpy import erf  # the native erf, re-exported for convenience

# the registered nn ops (declared in xops/numpy_api/nn.py; this module is their public home)
from ..numpy_api.nn import (
                           avg_pool,
                           conv,
                           conv_transpose,
                           ctc_loss,
                           gelu,
                           layer_norm,
                           log_softmax,
                           max_pool,
                           rms_norm,
                           scaled_dot_product_attention,
                           softmax,
                           sparse_softmax_cross_entropy,
)
from ._activations import (
                           elu,
                           hard_sigmoid,
                           leaky_relu,
                           log_sigmoid,
                           relu,
                           relu6,
                           selu,
                           sigmoid,
                           silu,
                           softplus,
                           softsign,
                           swish,
                           tanh,
)
from ._attention import dropout
from ._conv import conv1d, conv2d, conv3d
from ._losses import (
                           binary_cross_entropy,
                           binary_cross_entropy_with_logits,
                           huber,
                           kl_div,
                           mse,
                           softmax_cross_entropy,
)
from ._norm import (
                           BatchNormState,
                           batch_norm,
                           batch_norm_train,
                           group_norm,
                           normalize,
)
from ._pool import global_avg_pool, global_max_pool
from ._softmax import logsumexp, one_hot

__all__ = [
    # activations
    "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "softplus",
    "softsign", "sigmoid", "hard_sigmoid", "log_sigmoid", "tanh",
    # softmax family
    "softmax", "log_softmax", "logsumexp", "one_hot",
    # normalisation
    "normalize", "layer_norm", "rms_norm", "batch_norm", "batch_norm_train", "BatchNormState",
    "group_norm",
    # convolution, pooling
    "conv", "conv1d", "conv2d", "conv3d", "conv_transpose", "max_pool", "avg_pool",
    "global_avg_pool", "global_max_pool",
    # attention, dropout
    "scaled_dot_product_attention", "dropout",
    # losses
    "softmax_cross_entropy", "sparse_softmax_cross_entropy", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "mse", "huber", "kl_div", "ctc_loss",
    # xops.numpy.erf, re-exported
    "erf",
]

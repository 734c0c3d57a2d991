"""``xops.nn``: neural-network building blocks written once with ``xops.numpy`` ops, so they
run on numpy, jax, torch and tensorflow arrays and compose with each framework's autodiff and
jit. ``xops.nn.functional`` holds the stateless functions, ``xops.nn.initializers`` the weight
initialisers, ``xops.nn.optim`` the optimizers; layers (``Dense``, ``Sequential``, ...),
checkpoints (``save``/``load``) and the torch/tensorflow bridges are re-exported here. See
docs/nn.md and docs/nn_layers.md. This module only re-exports."""
from __future__ import annotations

from . import functional, initializers, optim, precision
from ._pytree import (
                      count_params,
                      flatten_with_names,
                      tree_flatten,
                      tree_leaves,
                      tree_map,
                      tree_structure,
                      tree_unflatten,
)
from .bridges import from_tf, from_torch, to_tf, to_torch
from .checkpoint import load, save
from .layers import (
                      MLP,
                      BatchNorm,
                      Conv,
                      Conv1D,
                      Conv2D,
                      Conv3D,
                      ConvTranspose,
                      ConvTranspose1D,
                      ConvTranspose2D,
                      ConvTranspose3D,
                      Dense,
                      Dropout,
                      Embedding,
                      GroupNorm,
                      Lambda,
                      Layer,
                      LayerNorm,
                      MultiHeadAttention,
                      RMSNorm,
                      Sequential,
                      TransformerBlock,
)
from .precision import PRESETS, Policy, loss_in_float32, policy, with_policy

# (importing .training binds the xops.nn.metrics submodule too)
from .training import (
                      Batches,
                      TrainResult,
                      batches,
                      evaluate,
                      make_eval_step,
                      make_train_step,
                      predict,
                      train,
)

__all__ = [
    "functional", "initializers", "optim", "precision",
    # layers
    "Layer", "Dense", "Embedding", "LayerNorm", "RMSNorm", "BatchNorm", "GroupNorm", "Dropout",
    "MultiHeadAttention", "TransformerBlock", "Sequential", "MLP", "Lambda", "Conv", "Conv1D",
    "Conv2D", "Conv3D", "ConvTranspose", "ConvTranspose1D", "ConvTranspose2D", "ConvTranspose3D",
    # mixed precision
    "Policy", "policy", "PRESETS", "with_policy", "loss_in_float32",
    # pytrees
    "tree_map", "tree_leaves", "tree_flatten", "tree_unflatten", "tree_structure",
    "flatten_with_names", "count_params",
    # checkpoints, bridges
    "save", "load", "to_torch", "from_torch", "to_tf", "from_tf",
    # training (docs/training.md)
    "metrics", "train", "evaluate", "predict", "make_train_step", "make_eval_step", "batches",
    "Batches", "TrainResult",
]

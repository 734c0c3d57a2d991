"""``xops.nn`` layers: small immutable configs (frozen dataclasses) with pure ``init``/``apply``
written once with ``xops`` ops, so they run on numpy, jax, torch and tensorflow.

Convention (every layer):

- ``params = layer.init(key, x_or_shape)``: a dict-of-dicts tree (string keys) of native arrays
  of the key's backend; the same key gives the same numbers on every backend.
- ``y = layer.apply(params, x, *, key=None, training=False)``: ``key`` feeds dropout when
  ``training``.
- Layers with state (``BatchNorm``, and containers holding one; ``layer.has_state``) use
  ``params, state = layer.init_with_state(key, x)`` and
  ``y, state = layer.apply_with_state(params, state, x, *, key=None, training=False)``;
  ``init``/``apply`` refuse them. Every layer has both pairs (a stateless layer's state is
  ``{}``), so containers thread state uniformly.

``apply`` constructs no layer objects (nor any other object holding an xops ``DType``): it runs
under ``torch.compile(fullgraph=True)``, whose tracer cannot build those, and a training step
compiles to one graph. Containers call the module-level functions below (``_dense``, ``_mha``,
``_mlp``) or sublayers stored on the container; dropout keys are derived (``fold_in``, about a
hundred integer ops each) only for children that read them (``Layer._uses_key``).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from .. import numpy as xnp
from .. import random as xr
from .._dispatch import backend_of
from .._dtypes import float32, int32, uint32
from . import functional as F
from . import initializers as init_lib
from .precision import Policy, _cast_tree, cast_float, in_float32, is_low
from .precision import policy as _resolve_policy

Array = Any
Params = Any

__all__ = ["Layer", "Dense", "Embedding", "LayerNorm", "RMSNorm", "BatchNorm", "GroupNorm",
           "Dropout", "MultiHeadAttention", "TransformerBlock", "Sequential", "MLP", "Lambda",
           "Conv", "Conv1D", "Conv2D", "Conv3D", "ConvTranspose", "ConvTranspose1D",
           "ConvTranspose2D", "ConvTranspose3D"]

_LECUN_NORMAL = init_lib.lecun_normal()
_EMBED_INIT = init_lib.variance_scaling(1.0, "fan_in", "normal", out_axis=0)


def _activation(name: str, act: Any) -> Callable:
    if callable(act):
        return act
    fn = getattr(F, act, None) if isinstance(act, str) else None
    if fn is None:
        raise ValueError(f"xops.nn.{name}: activation must be a callable or the name of an "
                         f"xops.nn.functional activation, got {act!r}")
    return fn


def _subkey(key: Array | None, i: int) -> Array | None:
    """The ``i``-th child key ``fold_in(key, i)``, or ``None`` without a key. Call it only
    where the child uses the key: each ``fold_in`` is a Threefry hash (about a hundred integer
    ops in a compiled graph)."""
    return None if key is None else xr.fold_in(key, i)


def _split(key: Array, n: int) -> list[Array]:
    ks = xr.split(key, n)
    return [ks[i] for i in range(n)]


@dataclasses.dataclass(frozen=True)
class Layer:
    """Base class: subclasses implement ``_init(key, x) -> (params, state)`` and
    ``_apply(params, state, x, key, training, **kwargs) -> (y, state)``.

    ``policy`` (keyword-only, every layer): a dtype policy (``xops.nn.Policy`` or a preset name
    such as ``"mixed_bfloat16"``; see ``xops.nn.precision``). ``init`` stores float params and
    state in its ``param_dtype`` (overriding the layer's ``param_dtype``); ``apply`` casts float
    params and float inputs once to its ``compute_dtype`` and the float output to its
    ``output_dtype``. ``None`` (default): no casts, or the policy of an enclosing
    ``Sequential``."""

    policy: Any = dataclasses.field(default=None, kw_only=True)

    #: dtype of the example made from a shape in ``init`` (Embedding: int32)
    input_dtype = float32

    def __post_init__(self) -> None:
        if self.policy is not None:
            object.__setattr__(self, "policy", _resolve_policy(self.policy))

    @property
    def has_state(self) -> bool:
        """Whether the layer carries state (BatchNorm's running statistics)."""
        return False

    def _uses_key(self, training: bool) -> bool:
        """Whether ``apply(..., training=training)`` reads its ``key``. Containers derive a child
        key only when this is True; a layer that does not override it always gets one."""
        return True

    def _example(self, key: Array, x: Any) -> Array:
        name = type(self).__name__
        kbe = backend_of(key)
        if kbe is None or tuple(key.shape) != (2,) or kbe.dtype_of(key) is not uint32:
            raise TypeError(f"xops.nn.{name}.init: key must be one xops.random key (a uint32 "
                            f"array of shape (2,)), got {type(key).__name__}"
                            f"{'' if kbe is None else ' ' + kbe.dtype_of(key).name}"
                            f"{tuple(getattr(key, 'shape', ()))}")
        xbe = backend_of(x)
        if xbe is None:
            if isinstance(x, int):
                x = (x,)
            if not isinstance(x, (tuple, list)):
                raise TypeError(f"xops.nn.{name}.init: expected an input shape (tuple of ints) "
                                f"or an example array, got {type(x).__name__}")
            return xnp.zeros(tuple(int(s) for s in x), dtype=self.input_dtype, like=key)
        if xbe is not kbe:
            raise TypeError(f"xops.nn.{name}.init: the key is a {kbe.name} array but the example "
                            f"input is {xbe.name}; use one backend")
        return x

    def init_with_state(self, key: Array, x: Any) -> tuple[Params, Params]:
        """Parameters and state from a key and an input shape or example array.

        Returns:
            ``(params, state)``: trees of arrays of the key's backend (state ``{}`` for a
            stateless layer).
        """
        return self._init_with(key, self._example(key, x), None)

    def _init_with(self, key: Array, x: Array, inherited: Policy | None) -> tuple[Params, Params]:
        pol = self.policy if self.policy is not None else inherited
        return self._init_policy(key, x, pol)

    def _init_policy(self, key: Array, x: Array, pol: Policy | None) -> tuple[Params, Params]:
        params, state = self._init(key, x)
        if pol is not None:
            params = _cast_tree(params, pol.param_dtype)
            state = _cast_tree(state, pol.param_dtype)
        return params, state

    def _compute_params(self, params: Params, dtype: Any) -> Params:
        """The params as ``_apply`` sees them under a policy computing in ``dtype`` (norm layers
        keep theirs: their statistics run in float32)."""
        return _cast_tree(params, dtype)

    def _run(self, params: Params, state: Params, x: Array, key: Array | None, training: bool,
             inherited: Policy | None, kwargs: dict) -> tuple[Array, Params]:
        """``_apply`` under the layer's policy (or the inherited one): float params, inputs and
        keyword arrays cast to the compute dtype, the float output to the output dtype."""
        pol = self.policy if self.policy is not None else inherited
        if pol is None:
            return self._apply(params, state, x, key=key, training=training, **kwargs)
        c = pol.compute_dtype
        params = self._compute_params(params, c)
        x = cast_float(x, c)
        if kwargs:
            kwargs = {k: cast_float(v, c) for k, v in kwargs.items()}
        y, state = self._apply(params, state, x, key=key, training=training, **kwargs)
        return cast_float(y, pol.output_dtype), state

    def init(self, key: Array, x: Any) -> Params:
        """Parameters from a key and an input shape (tuple) or example array.

        Returns:
            A dict tree of arrays of the key's backend.

        Raises:
            TypeError: the layer has state (use ``init_with_state``).
        """
        if self.has_state:
            raise TypeError(f"xops.nn.{type(self).__name__}.init: this layer has state (batch "
                            "statistics); use init_with_state and apply_with_state")
        return self.init_with_state(key, x)[0]

    def apply_with_state(self, params: Params, state: Params, x: Array, *,
                         key: Array | None = None, training: bool = False,
                         **kwargs: Any) -> tuple[Array, Params]:
        """The layer's output and its new state.

        Returns:
            ``(y, new_state)``; ``new_state`` is ``state`` unless training a stateful layer.
        """
        return self._run(params, state, x, key, training, None, kwargs)

    def apply(self, params: Params, x: Array, *, key: Array | None = None,
              training: bool = False, **kwargs: Any) -> Array:
        """The layer's output (``key`` drives dropout when ``training``).

        Returns:
            An array of ``x``'s backend.

        Raises:
            TypeError: the layer has state (use ``apply_with_state``).
        """
        if self.has_state:
            raise TypeError(f"xops.nn.{type(self).__name__}.apply: this layer has state (batch "
                            "statistics); use apply_with_state(params, state, x, ...)")
        return self._run(params, {}, x, key, training, None, kwargs)[0]

    # subclasses
    def _init(self, key: Array, x: Array) -> tuple[Params, Params]:  # pragma: no cover
        raise NotImplementedError

    def _apply(self, params: Params, state: Params, x: Array, *, key: Array | None,
               training: bool, **kwargs: Any) -> tuple[Array, Params]:  # pragma: no cover
        raise NotImplementedError


def _keep_params(self: Layer, params: Params, dtype: Any) -> Params:
    """Norm layers' ``_compute_params``: the params stay in their dtype (float32 master weights
    under a mixed policy); the statistics and the affine step run in float32 when the input
    is 16-bit, the result cast back (``precision.in_float32``)."""
    return params


def _no_kwargs(name: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"xops.nn.{name}.apply: unexpected keyword arguments {sorted(kwargs)}")


@dataclasses.dataclass(frozen=True)
class Lambda(Layer):
    """A parameter-free function as a layer (``Sequential(Dense(8), F.relu, ...)`` wraps
    callables in it)."""
    fn: Callable

    def _init(self, key: Array, x: Array) -> tuple[Params, Params]:
        return {}, {}

    def _uses_key(self, training: bool) -> bool:
        return False

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("Lambda", kwargs)
        return self.fn(x), state


@dataclasses.dataclass(frozen=True)
class Dense(Layer):
    """``y = x @ w + b`` over the last axis. Params: ``w`` (in, features), ``b`` (features,).
    Defaults as flax: ``w`` LeCun normal (truncated), ``b`` zeros."""
    features: int
    use_bias: bool = True
    kernel_init: Callable = _LECUN_NORMAL
    bias_init: Callable = init_lib.zeros
    param_dtype: Any = float32

    def _init(self, key, x):
        kw, kb = _split(key, 2)
        p = {"w": self.kernel_init(kw, (int(x.shape[-1]), self.features), self.param_dtype)}
        if self.use_bias:
            p["b"] = self.bias_init(kb, (self.features,), self.param_dtype)
        return p, {}

    def _uses_key(self, training: bool) -> bool:
        return False

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("Dense", kwargs)
        return _dense(params, x), state


def _dense(params: Params, x: Array) -> Array:
    """``Dense``'s computation on its params ``{"w", "b"?}`` (containers call this rather than
    building ``Dense`` objects while traced)."""
    y = xnp.matmul(x, params["w"])
    if "b" in params:
        y = xnp.add(y, params["b"])
    return y


@dataclasses.dataclass(frozen=True)
class Embedding(Layer):
    """A lookup table: integer ids (any shape) -> vectors (..., features). Param ``embedding``
    (num_embeddings, features), initialised as flax (normal with variance 1/features)."""
    num_embeddings: int
    features: int
    embedding_init: Callable = _EMBED_INIT
    param_dtype: Any = float32
    input_dtype = int32

    def _init(self, key, x):
        return {"embedding": self.embedding_init(key, (self.num_embeddings, self.features),
                                                 self.param_dtype)}, {}

    def _uses_key(self, training: bool) -> bool:
        return False

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("Embedding", kwargs)
        be = backend_of(x)
        if be is None or be.dtype_of(x).kind not in "iu":
            raise TypeError("xops.nn.Embedding.apply: ids must be an integer array")
        return xnp.take(params["embedding"], x, axis=0), state


def _feature_params(key, c, use_scale, use_bias, dtype):
    p = {}
    if use_scale:
        p["scale"] = xnp.ones((c,), dtype=dtype, like=key)
    if use_bias:
        p["bias"] = xnp.zeros((c,), dtype=dtype, like=key)
    return p


@dataclasses.dataclass(frozen=True)
class LayerNorm(Layer):
    """Layer normalisation over the last axis (``functional.layer_norm``). Params ``scale``
    (ones) and ``bias`` (zeros) of shape (features,)."""
    eps: float = 1e-5
    use_scale: bool = True
    use_bias: bool = True
    param_dtype: Any = float32

    def _init(self, key, x):
        return _feature_params(key, int(x.shape[-1]), self.use_scale, self.use_bias,
                               self.param_dtype), {}

    def _uses_key(self, training: bool) -> bool:
        return False

    _compute_params = _keep_params

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("LayerNorm", kwargs)
        return _layer_norm(params, x, self.eps), state


def _layer_norm(params: Params, x: Array, eps: float) -> Array:
    """``LayerNorm``'s computation on its params ``{"scale"?, "bias"?}`` (float32 for a 16-bit
    ``x``, the result in ``x``'s dtype, as torch's ``layer_norm``)."""
    return in_float32(F.layer_norm, x, params.get("scale"), params.get("bias"), axis=-1,
                      eps=eps)


@dataclasses.dataclass(frozen=True)
class RMSNorm(Layer):
    """RMS normalisation over the last axis (``functional.rms_norm``, eps 1e-6 as flax).
    Param ``scale`` (ones)."""
    eps: float = 1e-6
    use_scale: bool = True
    param_dtype: Any = float32

    def _init(self, key, x):
        return _feature_params(key, int(x.shape[-1]), self.use_scale, False,
                               self.param_dtype), {}

    def _uses_key(self, training: bool) -> bool:
        return False

    _compute_params = _keep_params

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("RMSNorm", kwargs)
        return in_float32(F.rms_norm, x, params.get("scale"), axis=-1, eps=self.eps), state


@dataclasses.dataclass(frozen=True)
class GroupNorm(Layer):
    """Group normalisation of channels-last input (``functional.group_norm``). Params
    ``scale``/``bias`` (C,)."""
    num_groups: int = 32
    eps: float = 1e-5
    use_scale: bool = True
    use_bias: bool = True
    param_dtype: Any = float32

    def _init(self, key, x):
        c = int(x.shape[-1])
        if self.num_groups <= 0 or c % self.num_groups:
            raise ValueError(f"xops.nn.GroupNorm.init: num_groups={self.num_groups} must divide "
                             f"the {c} channels")
        return _feature_params(key, c, self.use_scale, self.use_bias, self.param_dtype), {}

    def _uses_key(self, training: bool) -> bool:
        return False

    _compute_params = _keep_params

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("GroupNorm", kwargs)
        return in_float32(_group_norm, x, params.get("scale"), params.get("bias"),
                          num_groups=self.num_groups, eps=self.eps), state


def _group_norm(x, scale, bias, *, num_groups, eps):
    return F.group_norm(x, num_groups, scale, bias, eps=eps)


@dataclasses.dataclass(frozen=True)
class BatchNorm(Layer):
    """Batch normalisation over every axis but ``axis`` (channels-last by default).

    Stateful: params ``scale``/``bias`` (C,), state ``mean`` (zeros) and ``var`` (ones).
    ``training=True`` normalises with the batch statistics and returns the updated running
    statistics (torch's convention: ``momentum=0.1`` weights the batch, unbiased variance);
    ``training=False`` uses the running statistics and returns the state unchanged.
    """
    momentum: float = 0.1
    eps: float = 1e-5
    axis: int = -1
    use_scale: bool = True
    use_bias: bool = True
    param_dtype: Any = float32

    @property
    def has_state(self) -> bool:
        return True

    def _uses_key(self, training: bool) -> bool:
        return False

    def _init(self, key, x):
        c = int(x.shape[self.axis])
        state = {"mean": xnp.zeros((c,), dtype=self.param_dtype, like=key),
                 "var": xnp.ones((c,), dtype=self.param_dtype, like=key)}
        return _feature_params(key, c, self.use_scale, self.use_bias, self.param_dtype), state

    _compute_params = _keep_params

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("BatchNorm", kwargs)
        if is_low(x):
            # statistics in float32 (the running statistics keep their dtype), output in x's
            low = backend_of(x).dtype_of(x)
            y, new = self._apply(_cast_tree(params, float32), _cast_tree(state, float32),
                                 xnp.astype(x, float32), key=key, training=training)
            return (xnp.astype(y, low),
                    {k: cast_float(v, backend_of(state[k]).dtype_of(state[k]))
                     for k, v in new.items()})
        if training:
            y, st = F.batch_norm_train(x, state["mean"], state["var"], params.get("scale"),
                                       params.get("bias"), axis=self.axis,
                                       momentum=self.momentum, eps=self.eps)
            return y, {"mean": st.mean, "var": st.var}
        y = F.batch_norm(x, state["mean"], state["var"], params.get("scale"),
                         params.get("bias"), axis=self.axis, eps=self.eps)
        return y, state


@dataclasses.dataclass(frozen=True)
class Dropout(Layer):
    """Inverted dropout (``functional.dropout``): active only with ``training=True``, which
    needs a ``key``; the mask is the same on every backend for the same key."""
    rate: float = 0.5

    def _init(self, key, x):
        return {}, {}

    def _uses_key(self, training: bool) -> bool:
        return training and self.rate > 0.0

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("Dropout", kwargs)
        return F.dropout(x, self.rate, key=key, training=training), state


@dataclasses.dataclass(frozen=True)
class MultiHeadAttention(Layer):
    """Multi-head attention on (batch, seq, features) inputs: Dense projections ``query``,
    ``key``, ``value`` to ``num_heads * head_dim`` and ``out`` back to ``out_features``
    (default: the input features), with ``functional.scaled_dot_product_attention``.

    ``apply(params, x, *, context=None, mask=None)``: self-attention, or cross-attention to
    ``context`` (batch, seq_kv, features_kv); ``mask`` is bool (True keeps), broadcastable to
    (batch, heads, seq, seq_kv); ``causal=True`` adds the causal mask.
    """
    num_heads: int
    head_dim: int | None = None
    out_features: int | None = None
    use_bias: bool = True
    causal: bool = False
    kernel_init: Callable = _LECUN_NORMAL
    param_dtype: Any = float32

    def _dims(self, d: int) -> int:
        if self.head_dim is not None:
            return self.head_dim
        if d % self.num_heads:
            raise ValueError(f"xops.nn.MultiHeadAttention: features ({d}) must be divisible by "
                             f"num_heads ({self.num_heads}), or pass head_dim")
        return d // self.num_heads

    def _dense(self, n: int) -> Dense:
        return Dense(n, self.use_bias, self.kernel_init, param_dtype=self.param_dtype)

    def _init(self, key, x):
        if x.ndim != 3:
            raise ValueError("xops.nn.MultiHeadAttention: input must be (batch, seq, features), "
                             f"got shape {tuple(x.shape)}")
        d = int(x.shape[-1])
        inner = self.num_heads * self._dims(d)
        ks = _split(key, 4)
        p = {}
        for k, name in zip(ks[:3], ("query", "key", "value")):
            p[name] = self._dense(inner).init(k, (1, d))
        p["out"] = self._dense(self.out_features or d).init(ks[3], (1, inner))
        return p, {}

    def _uses_key(self, training: bool) -> bool:
        return False

    def _apply(self, params, state, x, *, key, training, context=None, mask=None, **kwargs):
        _no_kwargs("MultiHeadAttention", kwargs)
        return _mha(params, x, context, mask, self.num_heads, self.causal), state


def _mha(params: Params, x: Array, context: Array | None, mask: Array | None, num_heads: int,
         causal: bool) -> Array:
    """``MultiHeadAttention``'s computation on its params (``query``, ``key``, ``value``,
    ``out``: Dense params each)."""
    if x.ndim != 3:
        raise ValueError("xops.nn.MultiHeadAttention: input must be (batch, seq, features), "
                         f"got shape {tuple(x.shape)}")
    kv = x if context is None else context
    inner = int(params["query"]["w"].shape[-1])
    h = inner // num_heads
    t, s = int(x.shape[1]), int(kv.shape[1])
    q = xnp.reshape(_dense(params["query"], x), (-1, t, num_heads, h))
    k = xnp.reshape(_dense(params["key"], kv), (-1, s, num_heads, h))
    v = xnp.reshape(_dense(params["value"], kv), (-1, s, num_heads, h))
    o = F.scaled_dot_product_attention(q, k, v, mask=mask, is_causal=causal)
    return _dense(params["out"], xnp.reshape(o, (-1, t, inner)))


@dataclasses.dataclass(frozen=True)
class MLP(Layer):
    """Dense layers of ``features`` sizes with ``activation`` between them (and after the last
    with ``activate_final``), optional dropout after each activation. Params ``"0"``, ``"1"``,
    ... (one Dense each)."""
    features: tuple
    activation: Any = "relu"
    use_bias: bool = True
    activate_final: bool = False
    dropout_rate: float = 0.0
    kernel_init: Callable = _LECUN_NORMAL
    param_dtype: Any = float32

    def _layers(self) -> list[Dense]:
        return [Dense(int(f), self.use_bias, self.kernel_init, param_dtype=self.param_dtype)
                for f in self.features]

    def _init(self, key, x):
        p = {}
        d = int(x.shape[-1])
        for i, (layer, k) in enumerate(zip(self._layers(), _split(key, len(self.features)))):
            p[str(i)] = layer.init(k, (1, d))
            d = layer.features
        return p, {}

    def _uses_key(self, training: bool) -> bool:
        return training and self.dropout_rate > 0.0

    def _apply(self, params, state, x, *, key, training, **kwargs):
        _no_kwargs("MLP", kwargs)
        return _mlp(params, x, len(self.features), _activation("MLP", self.activation),
                    self.activate_final, self.dropout_rate, key, training), state


def _mlp(params: Params, x: Array, n: int, act: Callable, activate_final: bool, rate: float,
         key: Array | None, training: bool) -> Array:
    """``MLP``'s computation on its params ``"0"`` .. ``str(n - 1)`` (Dense params each);
    dropout after activation ``i`` uses ``fold_in(key, i)``."""
    drop = training and rate > 0.0
    for i in range(n):
        x = _dense(params[str(i)], x)
        if i < n - 1 or activate_final:
            x = act(x)
            x = F.dropout(x, rate, key=_subkey(key, i) if drop else None, training=training)
    return x


@dataclasses.dataclass(frozen=True)
class TransformerBlock(Layer):
    """A pre-norm transformer block on (batch, seq, features):
    ``x + Dropout(MHA(LayerNorm(x)))`` then ``x + Dropout(MLP(LayerNorm(x)))`` with an MLP of
    hidden size ``mlp_dim`` (``activation``, gelu by default). Params ``ln1``, ``attn``, ``ln2``,
    ``mlp``. ``apply(..., mask=None)`` passes a bool attention mask; ``causal`` masks the
    future."""
    num_heads: int
    mlp_dim: int
    causal: bool = False
    dropout_rate: float = 0.0
    activation: Any = "gelu"
    eps: float = 1e-5
    param_dtype: Any = float32

    def _parts(self, d: int) -> tuple[LayerNorm, MultiHeadAttention, LayerNorm, MLP]:
        ln = LayerNorm(self.eps, param_dtype=self.param_dtype)
        attn = MultiHeadAttention(self.num_heads, causal=self.causal,
                                  param_dtype=self.param_dtype)
        mlp = MLP((self.mlp_dim, d), self.activation, param_dtype=self.param_dtype)
        return ln, attn, ln, mlp

    def _init(self, key, x):
        if x.ndim != 3:
            raise ValueError("xops.nn.TransformerBlock: input must be (batch, seq, features), "
                             f"got shape {tuple(x.shape)}")
        d = int(x.shape[-1])
        ln1, attn, ln2, mlp = self._parts(d)
        ks = _split(key, 4)
        return {"ln1": ln1.init(ks[0], (d,)), "attn": attn.init(ks[1], (1, 1, d)),
                "ln2": ln2.init(ks[2], (d,)), "mlp": mlp.init(ks[3], (d,))}, {}

    def _uses_key(self, training: bool) -> bool:
        return training and self.dropout_rate > 0.0

    def _compute_params(self, params: Params, dtype: Any) -> Params:
        # the layer norms keep their params (float32 statistics); attention and MLP are cast
        return {k: v if k in ("ln1", "ln2") else _cast_tree(v, dtype) for k, v in params.items()}

    def _apply(self, params, state, x, *, key, training, mask=None, **kwargs):
        _no_kwargs("TransformerBlock", kwargs)
        # the computation of _parts' layers, without building them (see the module docstring);
        # the residual dropouts use fold_in(key, 0) and fold_in(key, 1)
        rate = self.dropout_rate
        drop = training and rate > 0.0
        act = _activation("MLP", self.activation)
        h = _mha(params["attn"], _layer_norm(params["ln1"], x, self.eps), None, mask,
                 self.num_heads, self.causal)
        x = xnp.add(x, F.dropout(h, rate, key=_subkey(key, 0) if drop else None,
                                 training=training))
        h = _mlp(params["mlp"], _layer_norm(params["ln2"], x, self.eps), 2, act, False, 0.0,
                 None, training)
        x = xnp.add(x, F.dropout(h, rate, key=_subkey(key, 1) if drop else None,
                                 training=training))
        return x, state


class Sequential(Layer):
    """Layers applied in order: ``Sequential(Dense(32), F.relu, Dense(1))`` (callables become
    ``Lambda`` layers). Params and state are dicts keyed ``"0"``, ``"1"``, ... (one entry per
    layer, ``{}`` for parameter-free ones). ``init`` runs the layers on a zero example to find
    each layer's input shape. Each layer gets its own dropout key ``fold_in(key, index)``.
    ``policy=`` (keyword) is inherited by the stored layers that have none of their own; each
    layer casts its own params, so a layer with its own policy (a float32 head) keeps it."""

    layers: tuple

    def __init__(self, *layers: Any, policy: Any = None) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        norm = tuple(m if isinstance(m, Layer) else Lambda(m) if callable(m) else None
                     for m in layers)
        for m, orig in zip(norm, layers):
            if m is None:
                raise TypeError("xops.nn.Sequential: members must be layers or callables, got "
                                f"{type(orig).__name__}")
        object.__setattr__(self, "layers", norm)
        object.__setattr__(self, "policy", None if policy is None else _resolve_policy(policy))

    def __repr__(self) -> str:
        pol = "" if self.policy is None else f", policy={self.policy!r}"
        return f"Sequential({', '.join(map(repr, self.layers))}{pol})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Sequential) and self.layers == other.layers
                and self.policy == other.policy)

    def __hash__(self) -> int:
        return hash(("Sequential", self.layers, self.policy))

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    @property
    def input_dtype(self):
        return self.layers[0].input_dtype if self.layers else float32

    @property
    def has_state(self) -> bool:
        return any(m.has_state for m in self.layers)

    def _uses_key(self, training: bool) -> bool:
        return any(m._uses_key(training) for m in self.layers)

    def _init(self, key, x):
        return self._init_policy(key, x, self.policy)

    def _init_policy(self, key, x, pol):
        # each stored layer creates (and casts) its own params under its policy or ``pol``
        params, state = {}, {}
        ks = _split(key, max(len(self.layers), 1))
        for i, layer in enumerate(self.layers):
            p, s = layer._init_with(ks[i], layer._example(ks[i], x), pol)
            params[str(i)], state[str(i)] = p, s
            if i < len(self.layers) - 1:
                x, _ = layer._run(p, s, x, None, False, pol, {})
        return params, state

    def _apply(self, params, state, x, *, key, training, **kwargs):
        return self._run(params, state, x, key, training, None, kwargs)

    def _run(self, params, state, x, key, training, inherited, kwargs):
        # no cast here: each stored layer casts under its own policy or the inherited one
        _no_kwargs("Sequential", kwargs)
        pol = self.policy if self.policy is not None else inherited
        new = {}
        for i, layer in enumerate(self.layers):
            k = _subkey(key, i) if key is not None and layer._uses_key(training) else None
            x, new[str(i)] = layer._run(params[str(i)], state.get(str(i), {}), x, k, training,
                                        pol, {})
        return x, new if state or self.has_state else state


# --------------------------------------------------------------------------------------------
# convolutions: xops.nn.functional.conv / conv_transpose (looked up at call time)
# --------------------------------------------------------------------------------------------
def _tuple(name: str, v: Any, n: int) -> tuple[int, ...]:
    if isinstance(v, int):
        return (v,) * n
    t = tuple(int(e) for e in v)
    if len(t) != n:
        raise ValueError(f"xops.nn.{name}: expected {n} values, got {t}")
    return t


def _functional(name: str, fn: str) -> Callable:
    f = getattr(F, fn, None)
    if f is None:
        raise NotImplementedError(f"xops.nn.{name}: xops.nn.functional.{fn} is not available "
                                  "in this build")
    return f


@dataclasses.dataclass(frozen=True)
class Conv(Layer):
    """N-d convolution of channels-last input (batch, *spatial, in_features) with kernel ``w``
    (*kernel_size, in_features // groups, features) and bias ``b`` (features,), via
    ``xops.nn.functional.conv``. ``padding``: ``'SAME'`` (default, as flax), ``'VALID'``, an
    int, or one int / ``(low, high)`` pair per spatial axis. Kernel init LeCun normal
    (fan_in = prod(kernel_size) * in_features / groups), bias zeros."""
    features: int
    kernel_size: Any
    strides: Any = 1
    padding: Any = "SAME"
    dilation: Any = 1
    groups: int = 1
    use_bias: bool = True
    kernel_init: Callable = _LECUN_NORMAL
    bias_init: Callable = init_lib.zeros
    param_dtype: Any = float32
    ndim: int | None = None

    def _n(self) -> int:
        if self.ndim is not None:
            return self.ndim
        return 1 if isinstance(self.kernel_size, int) else len(tuple(self.kernel_size))

    def _kernel_shape(self, ks: tuple, cin: int) -> tuple:
        return ks + (cin // self.groups, self.features)

    def _init(self, key, x):
        n = self._n()
        name = type(self).__name__
        if x.ndim != n + 2:
            raise ValueError(f"xops.nn.{name}: input must be (batch, *{n} spatial, channels), "
                             f"got shape {tuple(x.shape)}")
        cin = int(x.shape[-1])
        if cin % self.groups or self.features % self.groups:
            raise ValueError(f"xops.nn.{name}: groups={self.groups} must divide the input "
                             f"({cin}) and output ({self.features}) channels")
        ks = _tuple(name, self.kernel_size, n)
        kw, kb = _split(key, 2)
        p = {"w": self.kernel_init(kw, self._kernel_shape(ks, cin), self.param_dtype)}
        if self.use_bias:
            p["b"] = self.bias_init(kb, (self.features,), self.param_dtype)
        return p, {}

    def _uses_key(self, training: bool) -> bool:
        return False

    def _padding(self) -> Any:
        if isinstance(self.padding, (str, int)):
            return self.padding
        return tuple(p if isinstance(p, int) else (int(p[0]), int(p[1])) for p in self.padding)

    def _apply(self, params, state, x, *, key, training, **kwargs):
        name = type(self).__name__
        _no_kwargs(name, kwargs)
        n = self._n()
        y = _functional(name, "conv")(x, params["w"], strides=_tuple(name, self.strides, n),
                                      padding=self._padding(),
                                      dilation=_tuple(name, self.dilation, n),
                                      groups=self.groups, bias=params.get("b"))
        return y, state


def _fixed_conv(n: int, base: type, doc: str) -> type:
    cls = dataclasses.make_dataclass(
        f"{base.__name__}{n}D", [("ndim", "int | None", dataclasses.field(default=n))],
        bases=(base,), frozen=True)
    cls.__doc__ = doc
    cls.__module__ = __name__
    return cls


_CONVT_INIT = init_lib.variance_scaling(1.0, "fan_in", "truncated_normal", in_axis=-1,
                                        out_axis=-2)


@dataclasses.dataclass(frozen=True)
class ConvTranspose(Conv):
    """N-d transposed convolution (the adjoint of ``Conv``) of channels-last input via
    ``xops.nn.functional.conv_transpose``. Kernel ``w`` has that function's (tf's) layout
    (*kernel_size, features // groups, in_features), LeCun normal over fan_in =
    prod(kernel_size) * in_features; ``output_padding`` as the function's. With ``'SAME'``
    the output size is ``input * strides``."""
    kernel_init: Callable = _CONVT_INIT
    output_padding: Any = None

    def _kernel_shape(self, ks: tuple, cin: int) -> tuple:
        return ks + (self.features // self.groups, cin)

    def _apply(self, params, state, x, *, key, training, **kwargs):
        name = type(self).__name__
        _no_kwargs(name, kwargs)
        n = self._n()
        y = _functional(name, "conv_transpose")(
            x, params["w"], strides=_tuple(name, self.strides, n), padding=self._padding(),
            output_padding=self.output_padding, dilation=_tuple(name, self.dilation, n),
            groups=self.groups, bias=params.get("b"))
        return y, state


Conv1D = _fixed_conv(1, Conv, "1-d convolution: ``Conv`` with one spatial axis (batch, length, "
                             "channels).")
Conv2D = _fixed_conv(2, Conv, "2-d convolution: ``Conv`` on (batch, height, width, channels).")
Conv3D = _fixed_conv(3, Conv, "3-d convolution: ``Conv`` on (batch, d, h, w, channels).")
ConvTranspose1D = _fixed_conv(1, ConvTranspose, "1-d transposed convolution.")
ConvTranspose2D = _fixed_conv(2, ConvTranspose, "2-d transposed convolution.")
ConvTranspose3D = _fixed_conv(3, ConvTranspose, "3-d transposed convolution.")

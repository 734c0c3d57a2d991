"""``conv1d``/``conv2d``/``conv3d``: :func:`conv` with a fixed number of spatial dims.

``conv`` and ``conv_transpose`` themselves are registered ops, declared with their argument
checks in ``xops/numpy_api/nn.py`` (kernels ``nn.conv``/``nn.conv_transpose`` of each backend);
``xops.nn.functional`` is their public home.
"""
from __future__ import annotations

from typing import Any

from ..numpy_api.nn import conv, conv_transpose

__all__ = ["conv", "conv1d", "conv2d", "conv3d", "conv_transpose"]

Array = Any


def _conv_n(nd: int):
    def fn(x: Array, w: Array, *, strides: Any = 1, padding: Any = "valid", dilation: Any = 1,
           groups: int = 1, bias: Array | None = None, data_format: str = "channels_last"
           ) -> Array:
        if len(x.shape) != nd + 2:
            raise ValueError(f"xops.nn.conv{nd}d: input must have {nd + 2} axes, got shape "
                             f"{tuple(x.shape)}")
        return conv(x, w, strides=strides, padding=padding, dilation=dilation, groups=groups,
                    bias=bias, data_format=data_format)

    fn.__name__ = fn.__qualname__ = f"conv{nd}d"
    fn.__doc__ = (f"""{nd}-d convolution: :func:`conv` with an input of {nd + 2} axes.

    Returns:
        As :func:`conv`.
    """)
    return fn


conv1d = _conv_n(1)
conv2d = _conv_n(2)
conv3d = _conv_n(3)

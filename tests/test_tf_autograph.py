"""tf.function's autograph converts the user's control flow but leaves xops' own functions
alone (they are graph-safe; converting them failed intermittently)."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.needs_backend("tensorflow")


def test_autograph_converts_user_code_but_not_xops():
    import tensorflow as tf
    from tensorflow.python.autograph.impl import conversion

    import xops
    from xops import numpy as xnp
    xops.get_backend("tensorflow")
    assert conversion.is_allowlisted(xnp.sort)
    assert conversion.is_allowlisted(xnp.take_along_axis)

    @tf.function
    def f(x):
        if tf.reduce_sum(x) > 0:  # autograph turns this into tf.cond
            y = xnp.sort(x)
        else:
            y = xnp.negative(x)
        return y

    np.testing.assert_array_equal(f(tf.constant([3.0, 1.0, 2.0])).numpy(), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(f(tf.constant([-3.0, 1.0])).numpy(), [3.0, -1.0])

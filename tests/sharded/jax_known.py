"""What tests/sharded/test_jax_sharding.py knows about each op on sharded jax arrays (data only,
importable without 8 devices): ops that run eagerly only, wrong results and shardings found and
not fixed (XLA bugs, xops differences), and ops jnp cannot be called alike. The test marks
these; tests/sharded/jax_table.py turns them into docs/distributed_jax.md."""
from __future__ import annotations

EAGER_ONLY = {
    "nonzero": "data-dependent output shape (jit needs size=)",
    "argwhere": "data-dependent output shape (jit needs size=)",
    "flatnonzero": "data-dependent output shape (jit needs size=)",
    "unique_all": "data-dependent output shape (jit needs size=)",
    "unique_counts": "data-dependent output shape (jit needs size=)",
    "unique_inverse": "data-dependent output shape (jit needs size=)",
    "unique_values": "data-dependent output shape (jit needs size=)",
    "bincount": "without length=, the output length depends on the data",
}

# Known wrong results or shardings found by these tests and not fixed yet: (check, op) -> why.
# jax 0.10.2 / XLA CPU: jnp gives the same wrong answers (minimal jnp reproductions in
# test_jax_sharding.py), so xops inherits them.
XLA_NAN = ("XLA bug: the all-reduce that combines a max/min over sharded shards drops NaN "
            "(jnp.max of [nan]*8 sharded 8 ways is -inf)")
XLA_CONV = ("XLA bug: a convolution of operands sharded over one mesh axis and replicated over "
             "the others is multiplied by the replication factor (jnp.convolve too)")
KNOWN: dict[tuple[str, str], str] = {
    **{("jit", n): XLA_CONV for n in ("convolve", "correlate", "nn.conv", "nn.conv_transpose")},
    # (b) output shardings that differ from jnp's; no value is wrong.
    **{("sharding", n): "jnp's result for bool input is a constant on one device; xops keeps the "
       "input's sharding" for n in ("isneginf", "isposinf")},
    ("sharding", "isin"): "empty elements: jnp's result is a constant on one device, xops's is "
                          "replicated on the mesh",
    **{("sharding", n): "xops difference: where the result does not depend on the data (an "
       "offset past the matrix: zeros), xops makes a constant on one device; jnp's is "
       "replicated on the mesh" for n in ("trace", "linalg.trace")},
    **{("sharding", n): "xops difference: xops puts the longer operand first and convolves "
       "bool/integer input by windows (not jnp.convolve), so the output can follow the other "
       "operand's sharding"
       for n in ("convolve", "correlate")},
    ("sharding", "average"): "xops difference: xops's weighted average keeps the input's "
                             "sharding on the axis it does not reduce (P('a')); jnp's result is "
                             "replicated",
    ("sharding", "trapezoid"): "xops difference: along an axis of length 1 (an empty sum) the "
                               "zeros xops returns are replicated; jnp's keep the input's "
                               "sharding",
    ("sharding", "diagflat"): "xops difference: xops's (n, n) result keeps the input's sharding "
                              "on its rows (P('a')), jnp's is replicated",
}


# Ops jnp has under the same name but with another signature or result, so the same arguments
# do not make the same call (each checked by hand).
JNP_DIFFERS: dict[str, str] = {
    **{n: "xops takes dtype=, jnp does not"
       for n in ("bartlett", "blackman", "hamming", "hanning", "kaiser")},
    **{n: "jnp refuses a Python list or tuple argument (bins, q, obj, repeats)"
       for n in ("digitize", "percentile", "quantile", "nanpercentile", "nanquantile", "delete",
                 "insert", "repeat")},
    "linalg.lstsq": "jnp's residuals have another shape (xops: NumPy's, empty unless M > N "
                    "and full rank)",
    "argpartition": "jnp's kth must be a hashable int, and it has no bool sort",
    "partition": "jnp's kth must be a hashable int, and it has no bool sort",
    "histogram": "positional order differs (xops: x, bins, range, weights, density)",
    "from_dlpack": "jnp's needs a DLPack producer, the case passes a tracer",
    "put_along_axis": "jnp's needs inplace=False",
    "unravel_index": "jnp's has no order=",
    "ravel_multi_index": "jnp's takes mode as a string and needs concrete dims",
    "round": "jnp's integer round has no negative decimals",
    "linalg.vector_norm": "jnp's refuses integer input with a negative ord",
    "vander": "jnp's refuses bool and overflows on unsigned input (and for N=0 its empty result "
              "is replicated on the mesh, xops's is on one device)",
    "array_equiv": "jnp's raises on shapes that do not broadcast (NumPy and xops: False)",
}

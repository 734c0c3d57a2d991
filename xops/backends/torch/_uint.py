"""The one home of torch's unsigned-integer emulation (and of integer products).

torch stores uint16/32/64 but has almost no kernels for them. CUDA copies, casts, fills, views and
concatenates them and raises NotImplementedError for everything else (where, sort, index, roll,
pad, stack, signbit, equality, bitwise ops, arithmetic...); the CPU build has a few more, which is
why code that works on the CPU broke on CUDA. So every kernel module decides by *dtype*, never by
catching a CPU error, and builds its uint16/32/64 variant from the helpers here, the same way on
every device: a same-width signed view for ops that only move or compare bits (two's complement
gives the same bits), int64 for the narrower types where values matter (wrap-around mod 2**bits
is the same), and for uint64 a sign-flipped int64 key for ordering. tests/cuda_emulation.py
refuses, on the CPU, every aten op CUDA lacks, so CI catches a kernel that forgets.

CUDA also has no integer matrix products (cuBLAS) or integer convolutions (cuDNN):
:func:`int_matmul` and :func:`int_einsum` compute them exactly, with NumPy's wrap-around, from
elementwise products and sums, on every device."""
from __future__ import annotations

import torch

I64 = torch.int64
U64 = torch.uint64
I64_MIN = -(2 ** 63)
I64_MAX = 2 ** 63 - 1


# Unsigned dtypes torch stores but cannot compute with (on any device).
WIDE_U = (torch.uint16, torch.uint32)


# Same-width signed dtype: a bit-preserving view for ops that only move data (gather, scatter,
# flip, nonzero, ...).
SIGNED_VIEW = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}
# searchsorted: a value-preserving wider dtype (uint64 searches u64_key instead).
SEARCH_AS = {torch.bool: torch.uint8, torch.uint16: torch.int64, torch.uint32: torch.int64}


UNSIGNED = (torch.uint16, torch.uint32, torch.uint64)
# Value-preserving signed dtype for ordering uint16/32 (uint64 orders by u64_key).
ORDER_AS = {torch.uint16: torch.int32, torch.uint32: torch.int64}


def signed(x):
    """``x`` itself, or its same-width signed view when ``x`` is uint16/32/64."""
    sv = SIGNED_VIEW.get(x.dtype)
    return x if sv is None else x.view(sv)


def moves_bits(fn):
    """A kernel that only moves, copies or pads elements, run on the signed view of a
    uint16/32/64 first argument (a tensor, or a sequence of tensors of one dtype), its result
    viewed back. Other dtypes call ``fn`` as is."""

    def k(x, *args, **kwargs):
        first = x[0] if isinstance(x, (list, tuple)) else x
        sv = SIGNED_VIEW.get(first.dtype)
        if sv is None:
            return fn(x, *args, **kwargs)
        if first is x:
            return fn(x.view(sv), *args, **kwargs).view(x.dtype)
        out = fn([t.view(sv) for t in x], *args, **kwargs)
        if isinstance(out, (list, tuple)):
            return type(out)(t.view(first.dtype) for t in out)
        return out.view(first.dtype)

    k.__name__ = getattr(fn, "__name__", "kernel")
    k.__doc__ = fn.__doc__
    return k


def order_key(x):
    """A signed tensor whose order is ``x``'s unsigned order, and the function mapping sorted
    keys back to ``x``'s dtype; ``(x, None)`` for the other dtypes."""
    dt = x.dtype
    if dt is U64:
        return u64_key(x), u64_from_key
    wide = ORDER_AS.get(dt)
    if wide is None:
        return x, None
    return x.to(wide), lambda k: k.to(dt)


def u64_from_key(k):
    return k.bitwise_xor(I64_MIN).view(U64)


def wide_unary(fn, out):
    def k(x):
        return fn(x.to(I64)).to(out)

    return k


def wide_binary(fn, out):
    if out is None:  # comparisons: bool result
        def k(x1, x2):
            return fn(x1.to(I64), x2.to(I64))
    else:
        def k(x1, x2):
            return fn(x1.to(I64), x2.to(I64)).to(out)
    return k


def u64_unary(fn, signed=None, unsigned=None):
    signed, unsigned = signed or I64, unsigned or U64

    def k(x):
        return fn(x.view(signed)).view(unsigned)

    return k


def u64_binary(fn, signed=None, unsigned=None):
    signed, unsigned = signed or I64, unsigned or U64

    def k(x1, x2):
        return fn(x1.view(signed), x2.view(signed)).view(unsigned)

    return k


def u64_key(x):
    # Flipping the sign bit maps unsigned order onto signed order.
    return x.view(I64).bitwise_xor(I64_MIN)


def u64_cmp(fn):
    def k(x1, x2):
        return fn(u64_key(x1), u64_key(x2))

    return k


def u64_maximum(x1, x2):
    return torch.where(u64_key(x1) >= u64_key(x2), x1, x2)


def u64_minimum(x1, x2):
    return torch.where(u64_key(x1) <= u64_key(x2), x1, x2)


def u64_right_shift(x1, x2):
    a = x1.view(I64)
    s = x2.view(I64)
    # Logical shift: one shift with the sign bit cleared, then the rest (0 past 63 bits).
    r = a.bitwise_right_shift(1).bitwise_and(I64_MAX).bitwise_right_shift((s - 1).clamp(min=0))
    r = torch.where(s == 0, a, torch.where(s < 0, 0, r))
    return r.view(U64)


def u64_sign(x):
    return (x != 0).to(U64)


def u64_unsupported(name):
    def k(*args):
        raise TypeError(f"xops.numpy.{name}: the torch backend has no uint64 {name} (torch "
                        "has no unsigned 64-bit arithmetic and the signed result differs); cast "
                        "to int64 or float64 first")

    return k


def uint_reduce(fn, x, err):
    """Run an integer reduction in int64 for the unsigned dtypes torch cannot compute with
    (wrap-around mod 2**bits is the same); re-raise ``err`` for any other dtype."""
    dt = x.dtype
    if dt is U64:
        return fn(x.view(I64)).view(U64)
    if dt in WIDE_U:
        return fn(x.to(I64)).to(dt)
    raise err


def u64_extreme(fn, x, axis, keepdims):
    k = fn(u64_key(x), () if axis is None else axis, keepdims)
    return k.bitwise_xor(I64_MIN).view(U64)


def signed_view_op(fn, x, *args):
    """Run a data-movement op that torch lacks for uint16/32/64 on a same-width signed view."""
    sv = SIGNED_VIEW.get(x.dtype)
    if sv is None:
        raise NotImplementedError
    return fn(x.view(sv), *args).view(x.dtype)


_EXACT_FLOAT = (torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64,
                torch.complex128)


def has_matmul(dt) -> bool:
    """Whether torch has a matrix-product kernel for ``dt`` on every device (cuBLAS: floats and
    complex only)."""
    return dt in _EXACT_FLOAT


def _wrap_in(dt):
    """The dtype integer products are computed in (wrap-around mod 2**bits is the same) and how
    to come back."""
    if dt is U64:
        return (lambda a: a.view(I64)), (lambda r: r.view(U64))
    if dt is torch.bool:
        return (lambda a: a.to(I64)), (lambda r: r != 0)
    if dt is I64:
        return (lambda a: a), (lambda r: r)
    return (lambda a: a.to(I64)), (lambda r: r.to(dt))


def int_matmul(x1, x2):
    """NumPy's matmul for integer/bool operands of one dtype (at least 1-d each): the sum of
    elementwise products in int64 (wrapping as NumPy does), cast back; bool gives any(and)."""
    go, back = _wrap_in(x1.dtype)
    a, b = go(x1), go(x2)
    va, vb = a.ndim == 1, b.ndim == 1
    if va:
        a = a.unsqueeze(0)
    if vb:
        b = b.unsqueeze(-1)
    # (..., n, k, 1) * (..., 1, k, m) summed over k, in row blocks to bound the scratch memory.
    n, k, m = a.shape[-2], a.shape[-1], b.shape[-1]
    if b.shape[-2] != k:  # the product would broadcast a size-1 k: refuse as torch.matmul does
        raise RuntimeError(f"size mismatch, got input ({tuple(x1.shape)}), mat "
                           f"({tuple(x2.shape)}): mat1 and mat2 shapes cannot be multiplied")
    rows = max(1, (1 << 24) // max(1, k * m))
    outs = [(a[..., i:i + rows, :, None] * b[..., None, :, :]).sum(-2)
            for i in range(0, max(n, 1), rows)]
    r = outs[0] if len(outs) == 1 else torch.cat(outs, -2)
    if va:
        r = r.squeeze(-2)
    if vb:
        r = r.squeeze(-1)
    return back(r)


def int_einsum(subscripts, operands):
    """torch.einsum for integer/bool operands of one dtype, exact with NumPy's wrap-around:
    every operand is laid out over all the letters (diagonals taken, missing letters as size-1
    axes), multiplied elementwise, and summed over the letters not in the output."""
    go, back = _wrap_in(operands[0].dtype)
    spec = subscripts.replace(" ", "")
    lhs, rhs = spec.split("->") if "->" in spec else (spec, None)
    ins = lhs.split(",")
    # '...': as many fresh letters as the most ellipsis axes, aligned from the right.
    n_ell = max((t.ndim - (len(s) - 3) for s, t in zip(ins, operands) if "..." in s), default=0)
    free = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in spec]
    ell = "".join(free[:n_ell])
    ins = [s.replace("...", ell[n_ell - (t.ndim - (len(s) - 3)):]) if "..." in s else s
           for s, t in zip(ins, operands)]
    if rhs is None:
        flat = "".join(ins)
        rhs = ell + "".join(sorted(c for c in flat if flat.count(c) == 1 and c not in ell))
    else:
        rhs = rhs.replace("...", ell)
    letters = list(dict.fromkeys(rhs + "".join(ins).replace(",", "")))
    acc = None
    for sub, t in zip(ins, operands):
        t = go(t)
        sub = list(sub)
        # Repeated letters within one operand: take the diagonal, one repeat at a time.
        while len(set(sub)) < len(sub):
            c = next(c for c in sub if sub.count(c) > 1)
            i = sub.index(c)
            j = sub.index(c, i + 1)
            t = torch.diagonal(t, 0, i, j)
            sub = [e for n, e in enumerate(sub) if n not in (i, j)] + [c]
        perm = [sub.index(c) for c in letters if c in sub]
        t = t.permute(perm)
        shape = []
        it = iter(t.shape)
        for c in letters:
            shape.append(next(it) if c in sub else 1)
        t = t.reshape(shape)
        acc = t if acc is None else acc * t
    summed = tuple(i for i, c in enumerate(letters) if c not in rhs)
    r = acc.sum(summed) if summed else acc
    return back(r)  # the output letters lead `letters`, in rhs order


# --- elementwise variants, picked once per (op, dtype) by elementwise.adapt --------------------
_T = torch.Tensor


def int_zero_safe(fn):
    """NumPy's integer ``x // 0``, ``x % 0`` and ``fmod(x, 0)`` are 0; torch raises."""

    def k(x1, x2):
        z = x2 == 0
        return torch.where(z, 0, fn(x1, torch.where(z, 1, x2))).to(x1.dtype)

    return k


# The signed kernel whose result, on int64 (or on a same-width signed view), has the unsigned
# op's bits or values.
_VIA_SIGNED = {"add": _T.add, "subtract": _T.sub, "multiply": _T.mul, "power": _T.pow,
               "negative": _T.neg, "square": _T.square, "bitwise_not": _T.bitwise_not,
               "left_shift": _T.bitwise_left_shift, "right_shift": _T.bitwise_right_shift,
               "maximum": _T.maximum, "minimum": _T.minimum, "sign": _T.sign,
               "floor_divide": int_zero_safe(_T.floor_divide),
               "remainder": int_zero_safe(_T.remainder), "fmod": int_zero_safe(_T.fmod)}
_CMP = {"less": _T.lt, "less_equal": _T.le, "greater": _T.gt, "greater_equal": _T.ge}
# Ops whose result bits do not depend on signedness (two's complement).
_SAME_BITS = ("add", "subtract", "multiply", "power", "negative", "square", "bitwise_not",
              "left_shift")
_U64_SPECIAL = {"maximum": u64_maximum, "minimum": u64_minimum,
                "right_shift": u64_right_shift, "sign": u64_sign}
_UNARY = frozenset({"negative", "square", "bitwise_not", "sign"})
# Ops whose result depends only on the bits: the signed view answers (CUDA has none of them for
# uint16/32/64; the CPU has some).
_BITS_SAME_DTYPE = {"bitwise_and": _T.bitwise_and, "bitwise_or": _T.bitwise_or,
                    "bitwise_xor": _T.bitwise_xor}
_BITS_TO_BOOL = {"equal": _T.eq, "not_equal": _T.ne}
_LOGICAL = {"logical_and": _T.logical_and, "logical_or": _T.logical_or,
            "logical_xor": _T.logical_xor}


def _all_false(x):
    return torch.zeros(x.shape, dtype=torch.bool, device=x.device)


def _all_true(x):
    return torch.ones(x.shape, dtype=torch.bool, device=x.device)


def _signed_to_bool(fn):
    def k(x1, x2):
        return fn(signed(x1), signed(x2))

    return k


def _logical(fn):
    def k(x1, x2):
        return fn(signed(x1) != 0, signed(x2) != 0)

    return k


def _logical_not(x):
    return signed(x) == 0


# Value tests whose answer for any integer is a constant (no NaN, no infinity, no sign bit).
_CONSTANT = {"isnan": _all_false, "isinf": _all_false, "signbit": _all_false,
             "isfinite": _all_true, "isneginf": _all_false, "isposinf": _all_false}


def adapt(name, fn, native):
    """The uint16/32/64 variant of elementwise kernel ``name`` for torch dtype ``native``, or
    None when ``fn`` is right as it is (the identity ops)."""
    if name in ("gcd", "lcm"):
        return u64_unsupported(name) if native is U64 else wide_binary(fn, native)
    if name in _BITS_SAME_DTYPE:
        return u64_binary(_BITS_SAME_DTYPE[name], SIGNED_VIEW[native], native)
    if name in _BITS_TO_BOOL:
        return _signed_to_bool(_BITS_TO_BOOL[name])
    if name in _LOGICAL:
        return _logical(_LOGICAL[name])
    if name == "logical_not":
        return _logical_not
    if name in _CONSTANT:
        return _CONSTANT[name]
    if native is U64:
        if name in _SAME_BITS:
            base = _VIA_SIGNED[name]
            return u64_unary(base) if name in _UNARY else u64_binary(base)
        if name in _U64_SPECIAL:
            return _U64_SPECIAL[name]
        if name in _CMP:
            return u64_cmp(_CMP[name])
        if name in ("floor_divide", "remainder", "fmod"):
            return u64_unsupported(name)
        return None
    if name in _SAME_BITS:
        # Two's complement: the same-width signed view gives the same bits, without the two
        # casts of widening (measured 13x faster for a 1M uint32 add).
        base = _VIA_SIGNED[name]
        signed = SIGNED_VIEW[native]
        return (u64_unary(base, signed, native) if name in _UNARY
                else u64_binary(base, signed, native))
    if name in _VIA_SIGNED:
        base = _VIA_SIGNED[name]
        return wide_unary(base, native) if name in _UNARY else wide_binary(base, native)
    if name in _CMP:
        return wide_binary(_CMP[name], None)
    return None

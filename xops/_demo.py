"""``python -m xops demo``: one op written once with xops.numpy, run on every installed backend.

Each framework is imported only when its row runs (through xops.convert), so a broken or slow
framework costs only its own row; a failing row prints 'unavailable: <reason>' instead.
"""
from __future__ import annotations

import time
from typing import Any

import xops
from xops import numpy as xnp

TOL = 1e-5  # float32 results, values of order 1


def swish(x: Any, beta: float = 1.0) -> Any:
    """x * sigmoid(beta * x), written once with xops.numpy names."""
    return x * xnp.reciprocal(1 + xnp.exp(-beta * x))


def loss(x: Any) -> Any:
    return xnp.sum(swish(x))


def _grad_numpy_reference(x: Any) -> Any:
    import numpy as np
    s = 1 / (1 + np.exp(-x.astype(np.float64)))
    return s + x * s * (1 - s)


def _grad(name: str, xb: Any) -> tuple[str, Any]:
    """d loss / dx through the framework's own autodiff."""
    if name == "jax":
        import jax
        return "jax.grad", jax.grad(loss)(xb)
    if name == "torch":
        xt = xb.detach().clone().requires_grad_(True)
        loss(xt).backward()
        return "torch autograd", xt.grad
    if name == "tensorflow":
        import tensorflow as tf
        with tf.GradientTape() as tape:
            tape.watch(xb)
            out = loss(xb)
        return "tf.GradientTape", tape.gradient(out, xb)
    if name == "numpy":
        import importlib.util
        if importlib.util.find_spec("jax") is None:
            return "", None
        # xops.grad has no numpy autodiff of its own: it delegates to jax, numpy in and out
        return "xops.grad (via jax)", xops.grad(loss)(xb)
    return "", None


def _short(v: Any) -> str:
    return "[" + " ".join(f"{float(e):.3f}" for e in v[:4]) + (" ...]" if len(v) > 4 else "]")


def _table(header: list[str], rows: list[list[str]]) -> str:
    w = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(n) for c, n in zip(r, w)) + " |"

    return "\n".join([fmt(header), "|" + "|".join("-" * (n + 2) for n in w) + "|",
                      *map(fmt, rows)])


def _reason(e: BaseException) -> str:
    if isinstance(e, ModuleNotFoundError) and (e.name or "").startswith("xops.backends."):
        return f"unavailable: no kernel table {e.name}"
    msg = str(e).splitlines()[0] if str(e) else ""
    return f"unavailable: {type(e).__name__}: {msg[:70]}"


def _row(name: str, x: Any, ref: Any, ref_sum: float, grad_ref: Any) -> tuple[list[str], list[str]]:
    import numpy as np
    t0 = time.perf_counter()
    xb = xops.convert(x, name)            # imports the framework on first use
    y, s = swish(xb), loss(xb)
    yn = xops.convert(y, "numpy")
    diff = max(float(np.max(np.abs(yn - ref))), abs(float(xops.convert(s, "numpy")) - ref_sum))
    t = type(y)
    row = [name, f"{t.__module__.split('.')[0]}.{t.__name__}", str(xops.dtype(y).name),
           _short(yn), f"{float(xops.convert(s, 'numpy')):.4f}", f"{diff:.1e}",
           "yes" if diff <= TOL else "no", f"{time.perf_counter() - t0:.1f}s"]
    how, g = _grad(name, xb)
    if g is None:
        grow = [name, "-", "-", "n/a (no autodiff)"]
    else:
        gd = float(np.max(np.abs(xops.convert(g, "numpy") - grad_ref)))
        grow = [name, how, f"{gd:.1e}", "yes" if gd <= TOL else "no"]
    return row, grow


def run() -> int:
    import numpy as np
    names = xops.installed_backends()
    print(f"xops {xops.__version__}: installed backends: {', '.join(names)}")
    print("op, written once:  swish(x) = x * xnp.reciprocal(1 + xnp.exp(-beta * x));  "
          "loss(x) = xnp.sum(swish(x))")
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    print(f"input: float32 {_short(x)} (7 values), converted with xops.convert(x, backend)\n")
    ref = swish(x)  # NumPy through xops is the reference row
    ref_sum = float(np.sum(ref.astype(np.float64)))
    grad_ref = _grad_numpy_reference(x)
    rows, grows, bad, missing = [], [], 0, 0
    for name in names:
        try:
            row, grow = _row(name, x, ref, ref_sum, grad_ref)
        except Exception as e:  # noqa: BLE001 - one backend failing must not hide the others
            row, grow = [name, _reason(e), "", "", "", "", "n/a", ""], [name, "", "", "n/a"]
            missing += 1
        bad += row[6] == "no" or grow[3] == "no"
        rows.append(row)
        grows.append(grow)
    print(_table(["backend", "native result type", "dtype", "swish(x) (first 4)", "loss",
                  "max abs diff vs numpy", "agree", "time"], rows))
    print("\ngradient of loss through each framework's autodiff, vs the analytic derivative:\n")
    print(_table(["backend", "via", "max abs diff", "agree"], grows))
    print(f"\n{len(names) - bad - missing}/{len(names)} backends agree with NumPy"
          + (f"; {missing} unavailable" if missing else "") + (f"; {bad} DISAGREE" if bad else ""))
    return 1 if bad else 0

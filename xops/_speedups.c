/* The eager fast paths of the hottest ops, in C (xops/_fast.py loads this module; without a
 * compiler the same paths run in Python, _dispatch.py). Each function reads the op's eager
 * cache, which Python code fills and owns:
 *
 *   unary(cache, x)               cache[type(x)][x.dtype](x)
 *   binary(cache, x1, x2)         cache[type(x1)][x1.dtype](x1, x2)   (x2: x1's type and dtype)
 *   where(cache, c, x1, x2)       cache[type(x1)] = (bool dtype, {dtype: kernel}):
 *                                 kernel(c, x1, x2) (c, x1, x2 of one type; c of the bool
 *                                 dtype; x2 of x1's dtype)
 *
 * and returns MISS where the cache has no entry (another type, mixed dtypes, a Python scalar,
 * an object without a dtype): the caller then takes its Python path, which decides everything
 * (promotion, conversion, errors). A kernel's exception propagates unchanged; the caller names
 * the op. Nothing here converts, copies or checks values: it only chooses the kernel the
 * Python path would have chosen, about 100-150 ns sooner per call (benchmarks/overhead.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *str_dtype; /* "dtype", interned */
static PyObject *MISS;      /* the sentinel: no cached kernel for these arguments */

/* cache[type(x)] (borrowed), or NULL without an error when absent. */
static PyObject *
type_table(PyObject *cache, PyObject *x)
{
    if (!PyDict_CheckExact(cache)) {
        PyErr_SetString(PyExc_TypeError, "xops._speedups: the cache must be a dict");
        return NULL;
    }
    return PyDict_GetItemWithError(cache, (PyObject *)Py_TYPE(x));
}

/* x.dtype (a new reference), or NULL without an error when x has none. */
static PyObject *
dtype_of(PyObject *x)
{
    PyObject *d = PyObject_GetAttr(x, str_dtype);
    if (d == NULL && PyErr_ExceptionMatches(PyExc_AttributeError)) {
        PyErr_Clear();
    }
    return d;
}

/* table[d] (borrowed), or NULL without an error when absent. */
static PyObject *
kernel_for(PyObject *table, PyObject *d)
{
    if (!PyDict_CheckExact(table)) {
        PyErr_SetString(PyExc_TypeError, "xops._speedups: a type's table must be a dict");
        return NULL;
    }
    return PyDict_GetItemWithError(table, d);
}

#define MISS_OR_ERROR() return PyErr_Occurred() ? NULL : Py_NewRef(MISS)

static PyObject *
unary(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "unary(cache, x) takes 2 arguments");
        return NULL;
    }
    PyObject *table = type_table(args[0], args[1]);
    if (table == NULL) {
        MISS_OR_ERROR();
    }
    PyObject *d = dtype_of(args[1]);
    if (d == NULL) {
        MISS_OR_ERROR();
    }
    PyObject *k = kernel_for(table, d);
    Py_DECREF(d);
    if (k == NULL) {
        MISS_OR_ERROR();
    }
    Py_INCREF(k); /* the cache may change while the kernel runs */
    PyObject *out = PyObject_Vectorcall(k, args + 1, 1, NULL);
    Py_DECREF(k);
    return out;
}

static PyObject *
binary(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "binary(cache, x1, x2) takes 3 arguments");
        return NULL;
    }
    PyObject *x1 = args[1], *x2 = args[2];
    if (Py_TYPE(x2) != Py_TYPE(x1)) {
        return Py_NewRef(MISS);
    }
    PyObject *table = type_table(args[0], x1);
    if (table == NULL) {
        MISS_OR_ERROR();
    }
    PyObject *d1 = dtype_of(x1);
    if (d1 == NULL) {
        MISS_OR_ERROR();
    }
    PyObject *d2 = dtype_of(x2);
    if (d2 == NULL) {
        Py_DECREF(d1);
        MISS_OR_ERROR();
    }
    Py_DECREF(d2); /* compared by identity, as the Python path does */
    if (d1 != d2) {
        Py_DECREF(d1);
        return Py_NewRef(MISS);
    }
    PyObject *k = kernel_for(table, d1);
    Py_DECREF(d1);
    if (k == NULL) {
        MISS_OR_ERROR();
    }
    Py_INCREF(k);
    PyObject *out = PyObject_Vectorcall(k, args + 1, 2, NULL);
    Py_DECREF(k);
    return out;
}

static PyObject *
where(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "where(cache, condition, x1, x2) takes 4 arguments");
        return NULL;
    }
    PyObject *c = args[1], *x1 = args[2], *x2 = args[3];
    if (Py_TYPE(c) != Py_TYPE(x1) || Py_TYPE(x2) != Py_TYPE(x1)) {
        return Py_NewRef(MISS);
    }
    PyObject *entry = type_table(args[0], x1);
    if (entry == NULL) {
        MISS_OR_ERROR();
    }
    if (!PyTuple_CheckExact(entry) || PyTuple_GET_SIZE(entry) != 2) {
        PyErr_SetString(PyExc_TypeError,
                        "xops._speedups.where: a cache entry is (bool dtype, {dtype: kernel})");
        return NULL;
    }
    PyObject *d1 = dtype_of(x1);
    if (d1 == NULL) {
        MISS_OR_ERROR();
    }
    PyObject *k = kernel_for(PyTuple_GET_ITEM(entry, 1), d1);
    if (k == NULL) {
        Py_DECREF(d1);
        MISS_OR_ERROR();
    }
    PyObject *dc = dtype_of(c);
    if (dc == NULL) {
        Py_DECREF(d1);
        MISS_OR_ERROR();
    }
    PyObject *d2 = dtype_of(x2);
    if (d2 == NULL) {
        Py_DECREF(d1);
        Py_DECREF(dc);
        MISS_OR_ERROR();
    }
    int same = dc == PyTuple_GET_ITEM(entry, 0) && d2 == d1;
    Py_DECREF(d1);
    Py_DECREF(dc);
    Py_DECREF(d2);
    if (!same) {
        return Py_NewRef(MISS);
    }
    Py_INCREF(k);
    PyObject *out = PyObject_Vectorcall(k, args + 1, 3, NULL);
    Py_DECREF(k);
    return out;
}

static PyMethodDef methods[] = {
    {"unary", (PyCFunction)(void (*)(void))unary, METH_FASTCALL,
     "unary(cache, x): cache[type(x)][x.dtype](x), or MISS"},
    {"binary", (PyCFunction)(void (*)(void))binary, METH_FASTCALL,
     "binary(cache, x1, x2): cache[type(x1)][x1.dtype](x1, x2) for x2 of x1's type and dtype, "
     "or MISS"},
    {"where", (PyCFunction)(void (*)(void))where, METH_FASTCALL,
     "where(cache, condition, x1, x2): the cached where kernel for one type, a bool condition "
     "and one dtype, or MISS"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "xops._speedups",
    "The eager fast paths of the hottest ops in C (see xops/_fast.py).", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    str_dtype = PyUnicode_InternFromString("dtype");
    MISS = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (str_dtype == NULL || MISS == NULL || PyModule_AddObjectRef(m, "MISS", MISS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

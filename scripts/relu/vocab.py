"""The one vocabulary (vocabulary.json at the repository's top), as Python reads it.

Variants, forms and peers, copies and the benchmark-name keys are listed
there once; C++ reads the same file through a generated header. Nothing in
the Python scripts re-types a variant, form or key.
"""

import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH = os.path.join(ROOT, "vocabulary.json")

_DATA = None


def data():
    """The parsed vocabulary.json (read once)."""
    global _DATA
    if _DATA is None:
        with open(PATH) as f:
            _DATA = json.load(f)
    return _DATA


def variants():
    """[variant entry], in vocabulary order."""
    return data()["variants"]


def variant(name):
    for v in variants():
        if v["name"] == name:
            return v
    raise KeyError("vocabulary.json has no variant %r" % name)


def variant_names():
    return [v["name"] for v in variants()]


def in_place(v):
    return v["memory"] == "in_place"


def forms(owner=None):
    """Form entries, optionally only those of one owner ("ours" or "peer")."""
    return [f for f in data()["forms"] if owner is None or f["owner"] == owner]


def form_names(owner=None, harness=None):
    return [f["name"] for f in forms(owner)
            if harness is None or f["harness"] == harness]


def copies():
    return data()["copies"]


def keys():
    return data()["keys"]


def key(name):
    for k in keys():
        if k["name"] == name:
            return k
    raise KeyError("vocabulary.json has no key %r" % name)


def itemsize(dtype):
    return {"f32": 4, "f64": 8}[dtype]


def out_dtype(v, dtype):
    """The output dtype of variant v for input dtype ("f32" or "f64")."""
    return dtype if v["out_dtype"] == "same" else v["out_dtype"]


def numpy_dtype(dtype):
    return {"f32": "float32", "f64": "float64"}[dtype]


def semantics():
    return data()["semantics"]


def bench_name(family, op, form, dtype, keys_values):
    """A benchmark name by the README grammar: keys in vocabulary order.

    keys_values: {key: value}; keys absent or None are left out. A key the
    vocabulary does not list is an error, so no name can carry a typo.
    """
    order = [k["name"] for k in keys()]
    unknown = set(k for k, v in keys_values.items() if v is not None) - set(order)
    if unknown:
        raise KeyError("not a vocabulary key: %s" % sorted(unknown))
    parts = [family, op, form, dtype]
    for name in order:
        value = keys_values.get(name)
        if value is not None:
            parts.append("%s:%s" % (name, value))
    return "/".join(parts)

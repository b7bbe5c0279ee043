"""The NumPy formulations of vocabulary.json, compiled into functions that run them exactly as written.

A formulation runs with x (and the variant's second input: zeros, dout, or
alpha for prelu) and its parameters bound by name. An expression
("np.maximum(x, 0)") is returned; a statement ("x[x < 0] = 0") runs and x is
returned. The out= form runs its statements with `out` bound and returns out.
"""

import ast

from relu import vocab

# The name a variant's second input goes by in its formulation.
SECOND_NAMES = {"zeros": "zeros", "dout": "dout", "channel_alpha": "alpha"}


def _compile(name, source, argnames, returns, namespace):
    try:
        ast.parse(source, mode="eval")
        body = "    return " + source + "\n"
    except SyntaxError:
        ast.parse(source, mode="exec")
        body = "".join("    %s\n" % s.strip() for s in source.split(";"))
        body += "    return %s\n" % returns
    ns = dict(namespace)
    exec(compile("def %s(%s):\n%s" % (name, ", ".join(argnames), body),
                 "<vocabulary:%s>" % name, "exec"), ns)
    fn = ns[name]
    fn.relu_source = source
    return fn


def params_of(v, overrides=None):
    """The variant's parameters: vocabulary defaults, then overrides."""
    p = dict(v["params"])
    for k, value in (overrides or {}).items():
        if k not in p:
            raise KeyError("variant %s has no parameter %r" % (v["name"], k))
        p[k] = value
    return p


def second_name(v):
    return SECOND_NAMES[v["second"]] if v["second"] else None


def formulation(v, np, params=None):
    """relu(x[, second]) running v["numpy"] verbatim.

    In-place statements rewrite x and return it. The variant's parameters
    are bound as Python floats, as the source writes them.
    """
    args = ["x"] + ([second_name(v)] if v["second"] else [])
    namespace = {"np": np}
    namespace.update(params_of(v, params))
    return _compile("relu_" + v["name"], v["numpy"], args, "x", namespace)


def out_form(v, np, params=None):
    """relu_out(x, out[, second]) running v["numpy_out"], or None."""
    if not v["numpy_out"]:
        return None
    args = ["x", "out"] + ([second_name(v)] if v["second"] else [])
    namespace = {"np": np}
    namespace.update(params_of(v, params))
    return _compile("relu_out_" + v["name"], v["numpy_out"], args, "out",
                    namespace)


def all_variants():
    return vocab.variants()

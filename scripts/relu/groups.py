"""The rows of one Python group: every peer function of every variant, our kernels and the copies through ctypes, named by the README grammar."""

import functools

from relu import harness, peers, vocab

OUR_FORMS = [f["name"] for f in vocab.forms("ours")]


def descriptor(family, op, form, out, threads, harness_name, fn, params, ours,
               in_place):
    return "|".join([family, op, form, out, str(threads), "", harness_name,
                     fn or "", params, "1" if ours else "0",
                     "1" if in_place else "0"])


def name(family, op, form, dtype, suffix, harness_name=None, fn=None):
    n = "%s/%s/%s/%s%s" % (family, op, form, dtype, suffix)
    if harness_name:
        n += "/harness:" + harness_name
    n += "/protocol:fair"
    if fn:
        n += "/fn:" + fn
    return n


def peer_rows(group, v, peer, two_threads):
    """Rows of one Python peer's functions for variant v."""
    rows = []
    for f in peer.functions(v):
        for threads in ((1, 2) if f.threads and two_threads else (1,)):
            suffix = group.suffix(v["name"], f.out, threads)
            params = group.params_of(suffix)

            def make(slot, f=f):
                x = slot.x
                if f.out == "fresh" and f.form == "numpy":
                    x = slot.x.view()
                    x.flags.writeable = False  # a formulation that wrote x fails
                out = slot.out if f.out == "reuse" else None
                return f.make(x, out, slot.second)
            rows.append(harness.Row(
                name("relu", v["name"], peer.form, group.dtype, suffix, None,
                     f.fn),
                descriptor("relu", v["name"], peer.form, f.out, threads,
                           "python", f.fn, params, False, vocab.in_place(v)),
                ("relu", v["name"]), v, f.out, threads, make,
                "numpy" if peer.form == "numpy" else "peer", peer=peer,
                label=f.label))
    return rows


def our_rows(group, v, forms, threads_list):
    rows = []
    lib = group.lib
    in_place = vocab.in_place(v)
    out = "inplace" if in_place else "reuse"
    for form in forms:
        for threads in threads_list:
            suffix = group.suffix(v["name"], out, threads)
            channels = (group._prelu_channels()
                        if v["second"] == "channel_alpha" else 0)
            handle = lib.call_handle(v["name"], form, group.dtype, channels,
                                     threads)

            def make(slot, handle=handle, in_place=in_place):
                dst = slot.ptr_in if in_place else slot.ptr_out
                return functools.partial(lib.call_fn, handle, slot.ptr_in,
                                         slot.ptr_second, dst, slot.n)
            rows.append(harness.Row(
                name("relu", v["name"], form, group.dtype, suffix, "python"),
                descriptor("relu", v["name"], form, out, threads, "python",
                           None, group.params_of(suffix), True, in_place),
                ("relu", v["name"]), v, out, threads, make, "ours",
                label="via ctypes (bench/c_api.cc)", handle=handle))
    return rows


def ctimed_row(group, twin):
    """The C++ suite's batch of twin's kernel (one of our rows called
    through ctypes), timed in C as a row of the same rounds: the two
    harnesses on the same calls, paired in time in one process."""
    v = twin.variant
    suffix = group.suffix(v["name"], twin.out, twin.threads)
    form = twin.name.split("/")[2]
    return harness.Row(
        name("relu", v["name"], form, group.dtype, suffix, "ctimed"),
        descriptor("relu", v["name"], form, twin.out, twin.threads, "ctimed",
                   None, group.params_of(suffix), True, twin.out == "inplace"),
        twin.ring_op, v, twin.out, twin.threads, lambda slot: None, "ctimed",
        label="timed in C (relu_ring_time_batch, bench/c_api.cc)",
        handle=twin.handle, twin=twin)


def copy_rows(group, threads_list):
    rows = []
    lib = group.lib
    nbytes = group.n * vocab.itemsize(group.dtype)
    for c in vocab.copies():
        out = "inplace" if c["in_place"] else "reuse"
        for threads in threads_list:
            suffix = group.suffix(None, out, threads, family="copy",
                                  op=c["method"])
            handle = lib.copy_handle(c["method"], threads)

            def make(slot, handle=handle, in_place=c["in_place"]):
                dst = slot.ptr_in if in_place else slot.ptr_out
                return functools.partial(lib.copy_fn, handle, slot.ptr_in, None,
                                         dst, nbytes)
            rows.append(harness.Row(
                name("copy", c["method"], c["form"], group.dtype, suffix,
                     "python"),
                descriptor("copy", c["method"], c["form"], out, threads,
                           "python", None, "", False, c["in_place"]),
                ("copy", c["method"]), None, out, threads, make, "copy",
                label="via ctypes (bench/c_api.cc)"))
    return rows


def build(group, loaded_peers, variants=None, two_threads=True,
          all_forms=("maximum", "maximum_inplace"), copies=True):
    """Every row of a group: per variant the peers' functions and our
    Highway form (every form for `all_forms`), two threads where a peer
    can, and the copies."""
    rows = []
    if copies:
        rows += copy_rows(group, (1, 2) if two_threads else (1,))
    for v in vocab.variants():
        if variants is not None and v["name"] not in variants:
            continue
        for p in loaded_peers:
            rows += peer_rows(group, v, p, two_threads)
        forms = OUR_FORMS if v["name"] in all_forms else ["highway"]
        ours = our_rows(group, v, forms, (1,))
        rows += ours
        if v["name"] in all_forms:
            # The harness check: Highway's calls timed in C beside the
            # same calls timed from Python.
            rows += [ctimed_row(group, r) for r in ours
                     if r.name.split("/")[2] == "highway"]
        if two_threads and v["name"] in all_forms:
            rows += our_rows(group, v, ["highway"], (2,))
    return rows

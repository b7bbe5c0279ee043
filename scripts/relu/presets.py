"""The Python harness's presets: the same sizes and states as the C++ suite's where the two are compared."""

from relu import harness

KiB = 1024
MiB = 1024 * KiB

# bench/presets.cc: one input size per cache class on every machine seen.
CLASS_SIZES = [16 * KiB, 256 * KiB, 4 * MiB, 64 * MiB]
SO_SHAPE = (5000, 5000)


def octaves(lo, hi):
    sizes = []
    b = lo
    while b <= hi:
        sizes.append(b)
        b *= 2
    return sizes


def budget_for(nbytes, scale):
    # bench/presets.cc, BudgetFor: small arrays reach a tight interval in
    # seconds; each round at DRAM sizes costs tens of milliseconds per row.
    return harness.Budget(max_seconds=scale * min(40.0, 8.0 + nbytes / (8.0 * MiB)))


class GroupSpec:
    def __init__(self, dtype, shape, scale, variants=None, two_threads=True,
                 peers=True, state="producer"):
        self.dtype = dtype
        self.shape = shape
        self.state = state
        self.variants = variants
        self.two_threads = two_threads
        self.peers = peers
        n = 1
        for d in shape:
            n *= d
        self.budget = budget_for(n * (4 if dtype == "f32" else 8), scale)


def groups(preset, tiny=False):
    """[GroupSpec] of the fair protocol, in run order."""
    specs = []
    if tiny:  # tests: a few rows of every kind in seconds
        for dtype in ("f32", "f64"):
            g = GroupSpec(dtype, (2048,), 0.02)
            g.budget.min_rounds = 3
            g.budget.max_rounds = 3
            specs.append(g)
        g = GroupSpec("f64", (40, 50), 0.02)
        g.budget.min_rounds = 3
        g.budget.max_rounds = 3
        specs.append(g)
        return specs
    if preset == "quick":
        for dtype in ("f32", "f64"):
            for b in (256 * KiB, 4 * MiB):
                specs.append(GroupSpec(dtype, (b // (4 if dtype == "f32" else 8),), 0.25))
        return specs
    if preset == "full":
        # bench/presets.cc's sweep from 64 KiB (where the harnesses are
        # compared): every variant at the class sizes, maximum's pair between.
        for dtype in ("f32", "f64"):
            for b in octaves(64 * KiB, 64 * MiB):
                g = GroupSpec(dtype, (b // (4 if dtype == "f32" else 8),), 0.8,
                              variants=None if b in CLASS_SIZES else MAXIMUM_PAIR)
                g.budget.max_rounds = 40
                specs.append(g)
    for dtype in ("f64", "f32"):
        specs.append(GroupSpec(dtype, SO_SHAPE, 1.0 if preset == "full" else 2.0))
    # The fresh-slices answer reads slices written long before: NumPy on
    # input in DRAM, the cause its re-run is slower than the fair protocol.
    specs.append(GroupSpec("f64", SO_SHAPE, 0.6, variants=FRESH_SLICES_VARIANTS,
                           two_threads=False, peers=False, state="dram"))
    return specs


MAXIMUM_PAIR = ["maximum", "maximum_inplace"]
FRESH_SLICES_VARIANTS = ["maximum", "maximum_inplace", "multiply", "abs",
                         "masked_assign"]


REPLAY = {"quick": False, "full": False, "so": True}
PRESETS = sorted(REPLAY)

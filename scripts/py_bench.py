#!/usr/bin/python3
"""The Python peers (NumPy, Numba, PyTorch) against our kernels, as Google Benchmark JSON: the command line of scripts/relu/ (cli.py).

Usage: scripts/py_bench.py [--preset quick|full|so] [--out FILE] [--filter REGEX]
                           [--replay | --no-replay] [--kernels-lib PATH] [--list]
See scripts/py_bench.py --help and the README, "The fair protocol".
"""

import os
import sys

# Thread counts are the harness's to set, per row: every library starts on
# one thread. Set before NumPy, Numba or PyTorch is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from relu import cli  # noqa: E402

if __name__ == "__main__":
    sys.exit(cli.main())

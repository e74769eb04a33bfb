"""Runs a command that gets SIGTERM when the process that started it ends, however that ends.

    python3 local/with_parent.py PID COMMAND [ARG ...]

PID is the process expected to be the parent (local/run.sh passes its own, `$$`). On Linux this asks the
kernel for a signal on the parent's death (prctl PR_SET_PDEATHSIG), which survives the exec of COMMAND,
so the JVM of `make run` ends with its script even when the script is killed with SIGKILL and none of
its traps run. If the parent is gone already it exits 1 without running COMMAND. Elsewhere (no prctl)
it only runs COMMAND.
"""
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        sys.exit(__doc__)
    parent, command = int(argv[0]), argv[1:]
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            sys.exit(f"with_parent: prctl failed: {os.strerror(ctypes.get_errno())}")
        # the parent may have ended before the prctl: then no signal would ever come
        if os.getppid() != parent:
            sys.exit(1)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])

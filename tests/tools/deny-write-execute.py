#!/usr/bin/python3
"""Runs COMMAND under the seccomp filter systemd installs for MemoryDenyWriteExecute=yes.

  deny-write-execute.py COMMAND...

The same rules as systemd 252's seccomp_memory_deny_write_execute() (src/shared/seccomp-util.c):
mmap with PROT_WRITE and PROT_EXEC together, mprotect and pkey_mprotect adding PROT_EXEC, and
shmat with SHM_EXEC fail with EPERM; everything else is allowed. Then it execs COMMAND, so the
filter holds from the dynamic loader on, as in a unit. The packaging suite runs the installed
AOT binary under it (the unit sets MemoryDenyWriteExecute=yes; there is no systemd as PID 1 in
CI to apply it). Needs Debian's python3-seccomp (hence /usr/bin/python3, not another Python).
"""
import errno
import os
import sys

import seccomp

PROT_WRITE = 0x2
PROT_EXEC = 0x4
SHM_EXEC = 0o100000


def main(argv):
    if not argv:
        sys.exit(__doc__)
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    deny = seccomp.ERRNO(errno.EPERM)
    both = PROT_WRITE | PROT_EXEC
    rules.add_rule(deny, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, both, both))
    rules.add_rule(deny, "mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    rules.add_rule(deny, "pkey_mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    rules.add_rule(deny, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
    rules.load()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])

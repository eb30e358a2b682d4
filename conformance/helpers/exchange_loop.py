# Swaps two directory entries atomically (renameat2 RENAME_EXCHANGE), as fast as it can, for the
# given seconds: an attacker changing a shared volume under a runtime that resolves paths in
# user space. Used by conformance/rootfs-race.test.ts. Prints how many swaps it made.
#   python3 exchange_loop.py A B SECONDS
import ctypes
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
RENAME_EXCHANGE = 2

first, second, seconds = sys.argv[1].encode(), sys.argv[2].encode(), float(sys.argv[3])
deadline = time.monotonic() + seconds
swaps = 0
while time.monotonic() < deadline:
    for _ in range(1000):
        libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE)
    swaps += 1000
print(swaps)

# A python3 process holding the pattern of the try and record issues: 3 x 31 MiB
# allocated and freed, then 2 x 30 MiB. The first frees raise glibc's dynamic
# mmap threshold, so the 30 MiB blocks come from the main heap, and their frees
# leave its top resident under a raised trim threshold. It prints "ready PID",
# then on a line "trim" calls malloc_trim(0) and prints "trimmed BEFORE AFTER"
# (VmRSS, kB); end of input exits.
import ctypes
import os
import sys

MiB = 1 << 20


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def touched(n):
    b = bytearray(n)
    for i in range(0, n, 4096):
        b[i] = 1
    return b


for size in (31, 31, 31):
    block = touched(size * MiB)
    del block
blocks = [touched(30 * MiB) for _ in range(2)]
del blocks
libc = ctypes.CDLL("libc.so.6")
print("ready", os.getpid(), flush=True)
for line in sys.stdin:
    if line.strip() == "trim":
        before = rss_kb()
        libc.malloc_trim(0)
        print("trimmed", before, rss_kb(), flush=True)

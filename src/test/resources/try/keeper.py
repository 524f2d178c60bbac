# A python3 program that keeps memory after freeing, for rsslab try's tests:
# 3 x 31 MiB bytearrays allocated and freed, then 2 x 30 MiB, then a pause of
# two seconds and the end.
import time

MiB = 1 << 20


def touched(n):
    b = bytearray(n)
    for i in range(0, n, 4096):
        b[i] = 1
    return b


for _ in range(3):
    block = touched(31 * MiB)
    del block
blocks = [touched(30 * MiB) for _ in range(2)]
del blocks
time.sleep(2)

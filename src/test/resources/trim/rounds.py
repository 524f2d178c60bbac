# The README's trimmer example: each round 200,000 bytearrays of 1000 bytes, all freed but the last
# (which pins the main heap's top, so no threshold returns the rest: only malloc_trim), then 1.5 s idle.
import time

for _ in range(5):
    a = [bytearray(1000) for _ in range(200000)]
    keep = a[-1]
    del a
    time.sleep(1.5)

# A python3 process that frees 49 of every 50 of 400,000 bytes objects of 600 bytes (past pymalloc's 512, so
# glibc's malloc serves them): the free pages lie in the bins below the live fiftieth, which malloc_trim gives back.
# It prints "ready PID"; end of input exits.
import os
import sys

kept = [bytes(600) for _ in range(400000)][::50]
print("ready", os.getpid(), flush=True)
for line in sys.stdin:
    pass

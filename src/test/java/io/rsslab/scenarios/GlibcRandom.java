package io.rsslab.scenarios;

/**
 * glibc's random_r() with its default state (TYPE_3, degree 31, separation
 * 3, 128 bytes), as srandom_r seeds it: the reference the churn tests predict
 * block sizes with. Modelled on glibc stdlib/random_r.c (__srandom_r,
 * __random_r): r[i] = 16807 * r[i - 1] mod (2^31 - 1) for the first 31
 * words, then r[i] = r[i - 31] + r[i - 3] mod 2^32, the first 310 outputs
 * discarded, each output r >>> 1.
 */
final class GlibcRandom {

    private final int[] r = new int[34];
    private int front = 3;
    private int rear = 0;

    GlibcRandom(long seed) {
        int s = (int) seed;
        if (s == 0) {
            s = 1;
        }
        r[0] = s;
        long word = s;
        for (int i = 1; i < 31; i++) {
            long hi = word / 127773;
            long lo = word % 127773;
            word = 16807 * lo - 2836 * hi;
            if (word < 0) {
                word += 2147483647;
            }
            r[i] = (int) word;
        }
        for (int i = 0; i < 310; i++) {
            next();
        }
    }

    /** The next value of random(): 31 bits. */
    long next() {
        r[front] += r[rear];
        long result = (r[front] & 0xFFFFFFFFL) >>> 1;
        front = (front + 1) % 31;
        rear = (rear + 1) % 31;
        return result;
    }
}

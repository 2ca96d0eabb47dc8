package io.qbosync.sandbox;

/** A small open-addressing set of longs (16 bytes per entry at most); not thread-safe. */
final class LongSet {
    private static final long EMPTY = 0;
    private long[] slots = new long[64];
    private int size;
    private boolean hasZero;

    boolean contains(long v) {
        if (v == EMPTY) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == EMPTY) {
                return false;
            }
            if (s == v) {
                return true;
            }
        }
    }

    void add(long v) {
        if (v == EMPTY) {
            hasZero = true;
            return;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (insert(slots, v)) {
            size++;
        }
    }

    void clear() {
        slots = new long[64];
        size = 0;
        hasZero = false;
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private void grow() {
        long[] next = new long[slots.length * 2];
        for (long s : slots) {
            if (s != EMPTY) {
                insert(next, s);
            }
        }
        slots = next;
    }

    private static boolean insert(long[] table, long v) {
        int mask = table.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            if (table[i] == EMPTY) {
                table[i] = v;
                return true;
            }
            if (table[i] == v) {
                return false;
            }
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}

package dev.refkit.heap.index;

/**
 * What pass 1 learns per class id from the objects it meets, before any class is known: how many
 * instances, the shortest instance data and where it is, where the first object of the class is, and for
 * arrays how many there are and the sum of their lengths, per length modulo 8. That is enough for the
 * histogram under every candidate {@link VmLayout} and for checking every object's class against the class
 * dumps, without a per-object class array.
 *
 * <p>Implementation notes: an open-addressing table keyed by class id (0 marks a free slot: no class has
 * id 0), at most half full, hashed with a seed of its own ({@link IdHash}), with the last class looked up
 * remembered, since the JVM writes runs of objects of one class. Primitive arrays are tallied by element type
 * code. One tally per pass 1 thread; they are merged by {@link HistogramBuilder} once the classes are built.
 */
final class ClassTally {
    /** Per array class and per element type: eight counts, then eight sums of lengths, by length modulo 8. */
    static final int ARRAY_STATS = 16;

    long[] keys = new long[256];
    /** Instances of the class; its arrays are counted in {@link #arrayStats}. */
    long[] instances = new long[256];
    /** Shortest instance data, and the position of an instance that has it; MAX_VALUE when no instance. */
    long[] minBytes = new long[256];
    long[] minBytesAt = new long[256];
    /** Position of the first object of the class met (instance or array). */
    long[] firstAt = new long[256];
    long[] arrayStats = new long[256 * ARRAY_STATS];
    /** Per primitive type code (4..11). */
    final long[] primitiveStats = new long[12 * ARRAY_STATS];
    private final long seed = IdHash.newSeed();
    private int size;
    private long lastKey;
    private int lastSlot = -1;

    void instance(long classId, long bytes, long position) {
        int s = slot(classId, position);
        instances[s]++;
        if (bytes < minBytes[s]) {
            minBytes[s] = bytes;
            minBytesAt[s] = position;
        }
    }

    void objectArray(long classId, long length, long position) {
        int s = slot(classId, position);
        addLength(arrayStats, s * ARRAY_STATS, length);
    }

    void primitiveArray(int typeCode, long length) {
        addLength(primitiveStats, typeCode * ARRAY_STATS, length);
    }

    private static void addLength(long[] stats, int at, long length) {
        int r = (int) (length & 7);
        stats[at + r]++;
        stats[at + 8 + r] += length;
    }

    /** Takes an array (of objects or primitives) of this length out of the figures; for dropped duplicates. */
    static void removeLength(long[] stats, int at, long length) {
        int r = (int) (length & 7);
        stats[at + r]--;
        stats[at + 8 + r] -= length;
    }

    /** Slots in use are those with a key other than 0. */
    int capacity() {
        return keys.length;
    }

    private int slot(long classId, long position) {
        if (classId == lastKey && lastSlot >= 0) {
            return lastSlot;
        }
        long key = classId == 0 ? Long.MIN_VALUE : classId;
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                if (2 * (size + 1) > keys.length) {
                    grow();
                    return slot(classId, position);
                }
                keys[i] = key;
                minBytes[i] = Long.MAX_VALUE;
                firstAt[i] = position;
                size++;
                break;
            }
            i = (i + 1) & mask;
        }
        lastKey = classId;
        lastSlot = i;
        return i;
    }

    /** The class id a used slot stands for. */
    long classId(int slot) {
        return keys[slot] == Long.MIN_VALUE ? 0 : keys[slot];
    }

    private int hash(long key) {
        return IdHash.hash(key, seed);
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldInstances = instances;
        long[] oldMin = minBytes;
        long[] oldMinAt = minBytesAt;
        long[] oldFirst = firstAt;
        long[] oldStats = arrayStats;
        int capacity = oldKeys.length * 2;
        keys = new long[capacity];
        instances = new long[capacity];
        minBytes = new long[capacity];
        minBytesAt = new long[capacity];
        firstAt = new long[capacity];
        arrayStats = new long[capacity * ARRAY_STATS];
        int mask = capacity - 1;
        for (int old = 0; old < oldKeys.length; old++) {
            long key = oldKeys[old];
            if (key == 0) {
                continue;
            }
            int i = hash(key) & mask;
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            instances[i] = oldInstances[old];
            minBytes[i] = oldMin[old];
            minBytesAt[i] = oldMinAt[old];
            firstAt[i] = oldFirst[old];
            System.arraycopy(oldStats, old * ARRAY_STATS, arrayStats, i * ARRAY_STATS, ARRAY_STATS);
        }
        lastSlot = -1;
    }
}

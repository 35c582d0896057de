package dev.refkit.bench;

import dev.refkit.heap.analysis.Reachability;
import java.util.Locale;

/**
 * What a generated dump holds, counted as it is written and in refkit's terms, so that a reader's figures can be
 * checked against it: objects and their shallow bytes by the reachability the generator intended, references
 * as edges of the heap graph (an object's {@code <class>}, a class's super class and object statics, non-null
 * fields and array elements), GC roots.
 */
final class DumpTally {

    final long[] objects = new long[Reachability.values().length];
    final long[] shallowBytes = new long[Reachability.values().length];
    long classes;
    long instances;
    long objectArrays;
    long primitiveArrays;
    long references;
    long gcRoots;
    /** Bytes of the file. */
    long fileBytes;

    void object(Reachability reachability, long shallowSize) {
        objects[reachability.ordinal()]++;
        shallowBytes[reachability.ordinal()] += shallowSize;
    }

    long objects() {
        long n = 0;
        for (long c : objects) {
            n += c;
        }
        return n;
    }

    long objects(Reachability reachability) {
        return objects[reachability.ordinal()];
    }

    long shallowBytes(Reachability reachability) {
        return shallowBytes[reachability.ordinal()];
    }

    /** References per object. */
    double referencesPerObject() {
        long n = objects();
        return n == 0 ? 0 : (double) references / n;
    }

    /** The census line: objects by intended reachability. */
    String census() {
        StringBuilder s = new StringBuilder();
        for (Reachability r : Reachability.values()) {
            if (objects(r) > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d (%s)",
                        r.name().toLowerCase(Locale.ROOT), objects(r), LargeDumpWriter.bytes(shallowBytes(r))));
            }
        }
        return s.toString();
    }
}

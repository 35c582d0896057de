package dev.refkit.heap.index;

import dev.refkit.heap.hprof.BasicType;
import dev.refkit.heap.hprof.HprofFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * From pass 1's tallies, once the classes are built: instance counts and array length figures per class,
 * checked against the classes (the checks pass 2 would otherwise make); the layout of the VM that wrote the
 * dump, by a vote of sampled objects; and the histogram under it.
 */
final class HistogramBuilder {

    private final HprofFile in;
    private final int idSize;
    private final SegmentScan[] scans;
    private final ClassBuilder classBuilder;
    /** Every CLASS_DUMP record, duplicates included, is an object of class java.lang.Class. */
    private final int classDumpCount;

    HistogramBuilder(HprofFile in, SegmentScan[] scans, ClassBuilder classBuilder, int classDumpCount) {
        this.in = in;
        this.idSize = in.idSize();
        this.scans = scans;
        this.classBuilder = classBuilder;
        this.classDumpCount = classDumpCount;
    }

    /**
     * Merges pass 1's tallies into per class counts and array length figures ({@link ClassTally#ARRAY_STATS}
     * per class), checking that every object's class is in the dump and that every instance holds its
     * class's fields: the checks pass 2 would otherwise make, so that a dump that opens can have its
     * references read. Of several faults, the one earliest in the file is reported.
     */
    void mergeTallies(DumpIndex dump, long[] classCounts, long[] arrayStats) throws HprofFormatException {
        ClassRecord[] classes = dump.classes;
        ClassRecord objectArray = classBuilder.classByName("java.lang.Object[]");
        dump.objectArrayFallback = objectArray != null ? objectArray.index : -1;
        long faultAt = Long.MAX_VALUE;
        String faultRecord = null;
        String fault = null;
        int stats = ClassTally.ARRAY_STATS;
        for (SegmentScan scan : scans) {
            ClassTally tally = scan.tally;
            for (int s = 0; s < tally.capacity(); s++) {
                if (tally.keys[s] == 0) {
                    continue;
                }
                long classId = tally.classId(s);
                int c = dump.classIndex(classId);
                long arrays = 0;
                for (int r = 0; r < 8; r++) {
                    arrays += tally.arrayStats[s * stats + r];
                }
                long instanceCount = tally.instances[s];
                if (instanceCount > 0) {
                    long at = tally.minBytesAt[s];
                    if (c < 0 && at < faultAt) {
                        faultAt = at;
                        faultRecord = "INSTANCE_DUMP";
                        fault = String.format("class id 0x%x, which has no CLASS_DUMP in the file (expected the "
                                + "class of every instance to be dumped)", classId);
                    } else if (c >= 0 && tally.minBytes[s] < classes[c].instanceDataSize && at < faultAt) {
                        faultAt = at;
                        faultRecord = "INSTANCE_DUMP";
                        fault = "instance data of " + tally.minBytes[s] + " bytes for class " + classes[c].name
                                + " (its fields need " + classes[c].instanceDataSize + ")";
                    }
                    if (c >= 0) {
                        classCounts[c] += instanceCount;
                    }
                }
                if (arrays > 0) {
                    int a = c >= 0 ? c : dump.objectArrayFallback;
                    long at = tally.firstAt[s];
                    if (a < 0 && at < faultAt) {
                        faultAt = at;
                        faultRecord = "OBJ_ARRAY_DUMP";
                        fault = String.format("array class id 0x%x, which has no CLASS_DUMP in the file", classId);
                    }
                    if (a >= 0) {
                        classCounts[a] += arrays;
                        for (int i = 0; i < stats; i++) {
                            arrayStats[a * stats + i] += tally.arrayStats[s * stats + i];
                        }
                    }
                }
            }
            for (int code = 4; code < 12; code++) {
                int c = classBuilder.primitiveArrayClasses[code].index;
                for (int i = 0; i < stats; i++) {
                    long v = tally.primitiveStats[code * stats + i];
                    arrayStats[c * stats + i] += v;
                    if (i < 8) {
                        classCounts[c] += v;
                    }
                }
            }
        }
        if (fault != null) {
            throw in.error(faultAt, faultRecord, fault);
        }
        // every CLASS_DUMP record, duplicates included, is an object of class java.lang.Class
        classCounts[dump.javaLangClass.index] += classDumpCount;
    }

    /** Takes the objects dropped as duplicates out of the counts: each was tallied in pass 1. */
    void dropFromCounts(DumpIndex dump, LongList positions, long[] classCounts, long[] arrayStats) {
        for (int i = 0; i < positions.size; i++) {
            long pos = positions.get(i);
            int tag = in.u1(pos);
            int c = dump.classIndexAt(pos, tag);
            classCounts[c]--;
            if (tag != DumpIndex.INSTANCE_DUMP && tag != DumpIndex.CLASS_DUMP) {
                ClassTally.removeLength(arrayStats, c * ClassTally.ARRAY_STATS, in.u4(pos + 1 + idSize + 4));
            }
        }
    }

    /**
     * Objects scored per layout at most: every object of a small dump, an evenly spread sample of a large
     * one (the right layout matches nearly every gap, so 1,024 votes decide as well as all beside the one
     * instance of every class that {@link #chooseLayout} adds; each costs a read at a far place in the file).
     */
    private static final int LAYOUT_VOTES = 1 << 10;

    /**
     * The layout of the VM that wrote the dump: for a sample of objects, the candidate under which the
     * object's size is the gap to the next object's address most often.
     */
    VmLayout chooseLayout(DumpIndex dump, ClassRecord[] classes, VmLayout[] candidates) {
        int n = dump.objectCount();
        int stride = Math.max(1, n / LAYOUT_VOTES);
        // the voters: the evenly spread sample, then one instance of every class (the one pass 1 kept the
        // position of): the field layouts differ only in where a few classes put their fields, most objects
        // are the same size under all of them, and a sample may hold none of those few
        IntList voters = new IntList(Math.min(n, LAYOUT_VOTES + 16));
        for (int o = 0; o + 1 < n; o += stride) {
            voters.add(o);
        }
        for (SegmentScan scan : scans) {
            ClassTally tally = scan.tally;
            for (int s = 0; s < tally.capacity(); s++) {
                if (tally.keys[s] != 0 && tally.minBytes[s] != Long.MAX_VALUE) {
                    long pos = tally.minBytesAt[s];
                    int o = dump.objectIndex(in.id(pos + 1));
                    if (o >= 0 && o + 1 < n && dump.position(o) == pos) {
                        voters.add(o);
                    }
                }
            }
        }
        int[] classOf = new int[voters.size];
        int[] tags = new int[voters.size];
        long[] lengths = new long[voters.size];
        long[] gaps = new long[voters.size];
        for (int v = 0; v < voters.size; v++) {
            int o = voters.get(v);
            long pos = dump.position(o);
            tags[v] = in.u1(pos);
            classOf[v] = tags[v] == DumpIndex.CLASS_DUMP ? -1 : dump.classIndexAt(pos, tags[v]);
            lengths[v] = tags[v] == DumpIndex.INSTANCE_DUMP || tags[v] == DumpIndex.CLASS_DUMP ? 0
                    : in.u4(pos + 1 + idSize + 4);
            gaps[v] = dump.objectId(o + 1) - dump.objectId(o);
        }
        // arrays' sizes do not depend on the field layout: they rule out reference widths and headers first,
        // so that field layouts are computed for the candidates left only (all, if no array voted)
        long[] arrayScore = new long[candidates.length];
        for (int v = 0; v < voters.size; v++) {
            if (tags[v] != DumpIndex.INSTANCE_DUMP && tags[v] != DumpIndex.CLASS_DUMP) {
                vote(arrayScore, classes[classOf[v]], tags[v], lengths[v], gaps[v], candidates, null);
            }
        }
        long most = 0;
        for (long score : arrayScore) {
            most = Math.max(most, score);
        }
        boolean[] kept = new boolean[candidates.length];
        for (int h = 0; h < candidates.length; h++) {
            kept[h] = most == 0 || arrayScore[h] == most;
        }
        classBuilder.computeLayouts(classes, candidates, kept);
        long[] score = new long[candidates.length];
        for (int v = 0; v < voters.size; v++) {
            if (tags[v] != DumpIndex.CLASS_DUMP) {
                vote(score, classes[classOf[v]], tags[v], lengths[v], gaps[v], candidates, kept);
            }
        }
        int best = -1;
        for (int h = 0; h < candidates.length; h++) {
            if (kept[h] && (best < 0 || score[h] > score[best])) {
                best = h;
            }
        }
        return candidates[best];
    }

    /** Shallow bytes of a class's arrays under a layout: a length L = r + 8m costs arraySize(r) plus 8m elements. */
    private static long arrayBytes(long[] arrayStats, ClassRecord c, VmLayout layout) {
        BasicType type = c.elementType;
        int at = c.index * ClassTally.ARRAY_STATS;
        long bytes = 0;
        for (int r = 0; r < 8; r++) {
            long count = arrayStats[at + r];
            long lengths = arrayStats[at + 8 + r];
            bytes += count * layout.arraySize(type, r) + (lengths - r * count) * layout.elementSize(type);
        }
        return bytes;
    }

    /** Counts the layouts under which this object's size is the gap to the next object's address. */
    private static void vote(long[] score, ClassRecord c, int tag, long length, long gap, VmLayout[] candidates,
                             boolean[] kept) {
        for (int h = 0; h < candidates.length; h++) {
            if (kept != null && !kept[h]) {
                continue;
            }
            long size = tag == DumpIndex.INSTANCE_DUMP ? c.layouts[h].instanceSize
                    : candidates[h].arraySize(tag == DumpIndex.OBJ_ARRAY_DUMP ? BasicType.OBJECT : c.elementType,
                            length);
            if (size == gap) {
                score[h]++;
            }
        }
    }

    /** The histogram under the chosen layout, whose sizes it fixes in the classes, into the index. */
    void histogram(DumpIndex dump, ClassRecord[] classes, long[] classCounts, long[] arrayStats) {
        VmLayout vm = dump.vm;
        int h = dump.layoutIndex(vm);
        for (ClassRecord c : classes) {
            c.instanceSize = c.layouts[h].instanceSize;
        }
        long classObjectBytes = 0;
        for (int object : dump.classObjects) {
            classObjectBytes += dump.shallowSize(object);
        }
        long[] bytes = new long[classes.length];
        for (ClassRecord c : classes) {
            long count = classCounts[c.index];
            if (count == 0) {
                continue;
            }
            bytes[c.index] = c.isArray() ? arrayBytes(arrayStats, c, vm) : count * c.instanceSize;
            if (c == dump.javaLangClass) {
                bytes[c.index] = (count - dump.classObjects.length) * c.instanceSize + classObjectBytes;
            }
        }
        dump.histogramCounts = classCounts;
        dump.histogramBytes = bytes;
    }
}

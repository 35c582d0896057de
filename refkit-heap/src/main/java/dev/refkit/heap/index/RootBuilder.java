package dev.refkit.heap.index;

import dev.refkit.heap.GcRootKind;
import dev.refkit.heap.StackFrame;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The GC roots of the dump from pass 1's root records: each root's object, kind, thread and, for a local
 * variable, the stack frame it is held in (from the thread's STACK_TRACE and the STACK_FRAME records).
 *
 * <p>Nothing is kept per root but what the index keeps (the thread and frame arrays only when a root has a
 * thread), and nothing per record but primitive arrays: threads, traces and class serials are looked up in
 * sorted keys, where of several records of one serial the last wins, as it would in a map filled in file
 * order. A trace's frames are read from the file when a root asks for one.
 */
final class RootBuilder {

    private final HprofFile in;
    private final int idSize;
    private final DumpStrings strings;
    /** (serial, index) pairs sorted, see {@link #sortedBySerial}, and what each index stands for. */
    private final long[] threadKeys;
    private final long[] threadIds;
    private final int[] threadTraces;
    private final long[] traceKeys;
    private final long[] tracePositions;
    private final long[] classKeys;
    private final long[] classNameIds;
    private final long[] frameIds;
    private final long[] frameRecords;
    private final Map<Long, StackFrame> frames = new HashMap<>();

    /**
     * @param traceSerials   every STACK_TRACE's serial, in file order
     * @param tracePositions and its record's body
     */
    RootBuilder(HprofFile in, DumpStrings strings, SegmentScan[] scans, IntList traceSerials,
                LongList tracePositions, LongList frameIds, LongList frameRecords, IntList loadClassSerials,
                LongList loadClassNames) {
        this.in = in;
        this.idSize = in.idSize();
        this.strings = strings;
        int threads = 0;
        for (SegmentScan scan : scans) {
            threads += scan.threadSerials.size;
        }
        IntList serials = new IntList(threads);
        threadIds = new long[threads];
        threadTraces = new int[threads];
        int t = 0;
        for (SegmentScan scan : scans) {
            for (int i = 0; i < scan.threadSerials.size; i++, t++) {
                serials.add(scan.threadSerials.get(i));
                threadIds[t] = scan.threadIds.get(i);
                threadTraces[t] = scan.threadTraces.get(i);
            }
        }
        threadKeys = sortedBySerial(serials);
        traceKeys = sortedBySerial(traceSerials);
        this.tracePositions = tracePositions.toArray();
        classKeys = sortedBySerial(loadClassSerials);
        classNameIds = loadClassNames.toArray();
        this.frameIds = frameIds.toArray();
        this.frameRecords = frameRecords.toArray();
        if (!PairSort.isSorted(this.frameIds, this.frameIds.length)) {
            PairSort.sort(this.frameIds, this.frameRecords, this.frameIds.length);
        }
    }

    /** Keys {@code serial << 32 | index}, sorted: by serial, then in file order. */
    private static long[] sortedBySerial(IntList serials) {
        long[] keys = new long[serials.size];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (long) serials.get(i) << 32 | i;
        }
        Arrays.sort(keys);
        return keys;
    }

    /** The index of the last record with this serial, or -1. */
    private static int last(long[] keys, int serial) {
        int at = Arrays.binarySearch(keys, (long) serial << 32 | 0xffff_ffffL);
        int before = (at >= 0 ? at : -at - 1) - 1;
        return before >= 0 && (int) (keys[before] >> 32) == serial ? (int) keys[before] : -1;
    }

    /** Sets the index's roots; returns how many were dropped because no object has their id. */
    int buildRoots(DumpIndex dump, ObjectIds ids, SegmentScan[] scans) {
        int count = 0;
        boolean anyThread = false;
        for (SegmentScan scan : scans) {
            count += scan.rootIds.size;
            anyThread |= scan.rootThreadSerials.size > 0;
        }
        int[] objects = new int[count];
        byte[] kinds = new byte[count];
        int[] threadIndexes = anyThread ? new int[count] : null;
        int[] depths = anyThread ? new int[count] : null;
        StackFrame[] rootFrames = anyThread ? new StackFrame[count] : null;
        int kept = 0;
        for (SegmentScan scan : scans) {
            int held = 0;
            for (int i = 0; i < scan.rootIds.size; i++) {
                GcRootKind kind = GcRootKind.ofOrdinal(scan.rootKinds.get(i));
                int serial = 0;
                int depth = -1;
                if (kind.heldByThread()) {
                    serial = scan.rootThreadSerials.get(held);
                    depth = kind.inFrame() ? scan.rootFrameDepths.get(held) : -1;
                    held++;
                }
                int object = ids.indexOf(scan.rootIds.get(i));
                if (object < 0) {
                    continue;
                }
                objects[kept] = object;
                kinds[kept] = (byte) kind.ordinal();
                if (anyThread) {
                    int thread = kind.heldByThread() ? last(threadKeys, serial) : -1;
                    threadIndexes[kept] = thread >= 0 ? ids.indexOf(threadIds[thread]) : -1;
                    depths[kept] = depth;
                    rootFrames[kept] = depth >= 0 && thread >= 0 ? frame(threadTraces[thread], depth) : null;
                }
                kept++;
            }
        }
        dump.rootObjects = kept < count ? Arrays.copyOf(objects, kept) : objects;
        dump.rootKinds = kept < count ? Arrays.copyOf(kinds, kept) : kinds;
        dump.rootThreads = anyThread && kept < count ? Arrays.copyOf(threadIndexes, kept) : threadIndexes;
        dump.rootFrameDepths = anyThread && kept < count ? Arrays.copyOf(depths, kept) : depths;
        dump.rootFrames = anyThread && kept < count ? Arrays.copyOf(rootFrames, kept) : rootFrames;
        return count - kept;
    }

    /** Frame {@code depth} of the stack trace of this serial, read from the file; null when there is none. */
    private StackFrame frame(int traceSerial, int depth) {
        int trace = last(traceKeys, traceSerial);
        if (trace < 0) {
            return null;
        }
        long body = tracePositions[trace];
        if (depth >= in.u4(body + 8)) {
            return null;
        }
        long frameId = in.id(body + 12 + (long) depth * idSize);
        StackFrame frame = frames.get(frameId);
        if (frame == null && !frames.containsKey(frameId)) {
            frame = frame(frameId);
            frames.put(frameId, frame);
        }
        return frame;
    }

    private StackFrame frame(long frameId) {
        int i = Arrays.binarySearch(frameIds, frameId);
        if (i < 0) {
            return null;
        }
        long body = frameRecords[i];
        int id = idSize;
        return new StackFrame(className(in.i4(body + 4L * id)), strings.stringOr(in.id(body + id), "<unknown>"),
                strings.stringOr(in.id(body + 2L * id), ""), strings.stringOr(in.id(body + 3L * id), "<unknown>"),
                in.i4(body + 4L * id + 4));
    }

    private String className(int serial) {
        int at = last(classKeys, serial);
        String vmName = at >= 0 ? strings.string(classNameIds[at]) : null;
        return vmName != null ? ClassRecord.javaName(vmName) : "<unknown>";
    }
}

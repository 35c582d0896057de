package dev.refkit.heap;

import dev.refkit.heap.hprof.HprofFile;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The GC roots of the graph from pass 1's root records: each root's object, kind, thread and, for a local
 * variable, the stack frame it is held in (from the thread's STACK_TRACE and the STACK_FRAME records).
 */
final class RootBuilder {

    private final HprofFile in;
    private final int idSize;
    private final DumpStrings strings;
    private final IntList rootKinds;
    private final LongList rootIds;
    private final IntList rootThreadSerials;
    private final IntList rootFrames;
    private final Map<Integer, long[]> threads;
    private final Map<Integer, long[]> traces;
    private final LongList frameIds;
    private final LongList frameRecords;
    private final IntList loadClassSerials;
    private final LongList loadClassNames;

    RootBuilder(HprofFile in, DumpStrings strings, IntList rootKinds, LongList rootIds, IntList rootThreadSerials,
                IntList rootFrames, Map<Integer, long[]> threads, Map<Integer, long[]> traces, LongList frameIds,
                LongList frameRecords, IntList loadClassSerials, LongList loadClassNames) {
        this.in = in;
        this.idSize = in.idSize();
        this.strings = strings;
        this.rootKinds = rootKinds;
        this.rootIds = rootIds;
        this.rootThreadSerials = rootThreadSerials;
        this.rootFrames = rootFrames;
        this.threads = threads;
        this.traces = traces;
        this.frameIds = frameIds;
        this.frameRecords = frameRecords;
        this.loadClassSerials = loadClassSerials;
        this.loadClassNames = loadClassNames;
    }


    void buildRoots(HeapGraph graph, ObjectIds ids) {
        int count = rootIds.size;
        IntList objects = new IntList(count);
        byte[] kinds = new byte[count];
        int[] threadIndexes = new int[count];
        int[] depths = new int[count];
        StackFrame[] frames = new StackFrame[count];
        Map<Long, StackFrame> frameCache = new HashMap<>();
        long[] frameIdArray = frameIds.toArray();
        long[] frameRecordArray = frameRecords.toArray();
        if (!PairSort.isSorted(frameIdArray, frameIdArray.length)) {
            PairSort.sort(frameIdArray, frameRecordArray, frameIdArray.length);
        }
        Map<Integer, String> classNamesBySerial = new HashMap<>();
        for (int i = 0; i < loadClassSerials.size; i++) {
            String vmName = strings.string(loadClassNames.get(i));
            classNamesBySerial.put(loadClassSerials.get(i), vmName != null ? HeapClass.javaName(vmName) : "<unknown>");
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int object = ids.indexOf(rootIds.get(i));
            if (object < 0) {
                continue;
            }
            GcRootKind kind = GcRootKind.ofOrdinal(rootKinds.get(i));
            int serial = rootThreadSerials.get(i);
            long[] thread = kind == GcRootKind.THREAD_OBJECT ? null : threads.get(serial);
            int threadIndex = thread != null ? ids.indexOf(thread[0]) : -1;
            int depth = kind == GcRootKind.JAVA_FRAME || kind == GcRootKind.JNI_LOCAL || kind == GcRootKind.JNI_MONITOR
                    ? rootFrames.get(i) : -1;
            StackFrame frame = null;
            if (depth >= 0 && thread != null) {
                long[] trace = traces.get((int) thread[1]);
                if (trace != null && depth < trace.length) {
                    frame = frameCache.computeIfAbsent(trace[depth],
                            f -> frame(f, frameIdArray, frameRecordArray, classNamesBySerial));
                }
            }
            objects.add(object);
            kinds[kept] = (byte) kind.ordinal();
            threadIndexes[kept] = threadIndex;
            depths[kept] = depth;
            frames[kept] = frame;
            kept++;
        }
        graph.rootObjects = objects.toArray();
        graph.rootKinds = Arrays.copyOf(kinds, kept);
        graph.rootThreads = Arrays.copyOf(threadIndexes, kept);
        graph.rootFrameDepths = Arrays.copyOf(depths, kept);
        graph.rootFrames = Arrays.copyOf(frames, kept);
    }

    private StackFrame frame(long frameId, long[] frameIdArray, long[] records, Map<Integer, String> classNames) {
        int i = Arrays.binarySearch(frameIdArray, frameId);
        if (i < 0) {
            return null;
        }
        long body = records[i];
        int id = idSize;
        return new StackFrame(classNames.getOrDefault(in.i4(body + 4L * id), "<unknown>"),
                strings.stringOr(in.id(body + id), "<unknown>"), strings.stringOr(in.id(body + 2L * id), ""),
                strings.stringOr(in.id(body + 3L * id), "<unknown>"), in.i4(body + 4L * id + 4));
    }
}

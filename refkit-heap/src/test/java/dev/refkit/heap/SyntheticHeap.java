package dev.refkit.heap;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A dump written directly, without a JVM: a linked list of {@code Node}s with byte[] payloads, String
 * labels, a WeakReference, a Node[] and a thread with a frame, laid out at addresses as a 64-bit JVM with
 * compressed references would. The last node's {@code next} points to an id with no object (one dangling
 * reference). Small ones are test inputs and fuzzing seeds; a large one is the benchmark's dump:
 * {@code java -cp refkit-heap/target/classes:refkit-heap/target/test-classes dev.refkit.heap.SyntheticHeap
 * FILE NODES [PAYLOAD_MAX]} (16,000,000 nodes make a dump of about 1.1 GB with 23 million objects).
 */
final class SyntheticHeap {

    static final long DANGLING = 0xdead_bee8L;
    static final int PAYLOAD_EVERY = 4;
    static final int LABEL_EVERY = 10;
    static final int ARRAY_NODES = 100;

    static final long OBJECT = 0x1000_0000L;
    static final long CLASS = OBJECT + 0x100;
    static final long STRING = CLASS + 0x100;
    static final long REFERENCE = STRING + 0x100;
    static final long WEAK_REFERENCE = REFERENCE + 0x100;
    static final long THREAD = WEAK_REFERENCE + 0x100;
    static final long NODE = THREAD + 0x100;
    static final long BYTE_ARRAY = NODE + 0x100;
    static final long NODE_ARRAY = BYTE_ARRAY + 0x100;
    static final long HEAP_START = 0x7_0000_0000L;

    private static final BasicType O = BasicType.OBJECT;
    private static final BasicType[] STRING_FIELDS = {O, BasicType.BYTE, BasicType.INT};
    private static final BasicType[] REFERENCE_FIELDS = {O, O, O, O};
    private static final BasicType[] THREAD_FIELDS = {O, BasicType.LONG};
    private static final BasicType[] NODE_FIELDS = {BasicType.INT, O, O};

    private SyntheticHeap() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int nodes = Integer.parseInt(args[1]);
        int payloadMax = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        long start = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, nodes, payloadMax);
        }
        System.out.printf("%s: %d nodes, %,d bytes, %.1f s%n", file, nodes, Files.size(file),
                (System.nanoTime() - start) / 1e9);
    }

    static Path write(Path file, int nodes) throws IOException {
        return write(file, nodes, HprofWriter.SEGMENT_BYTES);
    }

    /** A dump with heap dump segments of about {@code segmentBytes} each. */
    static Path write(Path file, int nodes, int segmentBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, nodes, 50, segmentBytes);
        }
        return file;
    }

    static long align(long v) {
        return (v + 7) & ~7L;
    }

    /** Address of node {@code i}: nodes, payloads and labels are laid out in one run. */
    static void write(OutputStream target, int nodes, int payloadMax) throws IOException {
        write(target, nodes, payloadMax, HprofWriter.SEGMENT_BYTES);
    }

    static void write(OutputStream target, int nodes, int payloadMax, int segmentBytes) throws IOException {
        try (HprofWriter w = new HprofWriter(target, 1_700_000_000_000L, "1.0.2", segmentBytes)) {
            w.loadClass(1, OBJECT, "java/lang/Object");
            w.loadClass(2, CLASS, "java/lang/Class");
            w.loadClass(3, STRING, "java/lang/String");
            w.loadClass(4, REFERENCE, "java/lang/ref/Reference");
            w.loadClass(5, WEAK_REFERENCE, "java/lang/ref/WeakReference");
            w.loadClass(6, THREAD, "java/lang/Thread");
            w.loadClass(7, NODE, "example/Node");
            w.loadClass(8, BYTE_ARRAY, "[B");
            w.loadClass(9, NODE_ARRAY, "[Lexample/Node;");
            w.stackFrame(0x501, "run", "()V", "Node.java", 7, 42);
            w.stackTrace(1, 1, 0x501);
            Field[] none = {};
            w.classDump(OBJECT, 0, 0, 0, none, none);
            w.classDump(CLASS, OBJECT, 0, 0, none, none);
            w.classDump(STRING, OBJECT, 0, 13, none, new Field[] {
                new Field("value", O), new Field("coder", BasicType.BYTE), new Field("hash", BasicType.INT)});
            w.classDump(REFERENCE, OBJECT, 0, 32, none, new Field[] {
                new Field("referent", O), new Field("queue", O), new Field("next", O), new Field("discovered", O)});
            w.classDump(WEAK_REFERENCE, REFERENCE, 0, 0, none, none);
            w.classDump(THREAD, OBJECT, 0, 16, none, new Field[] {
                new Field("name", O), new Field("tid", BasicType.LONG)});
            w.classDump(NODE, OBJECT, 0, 20, new Field[] {new Field("COUNT", BasicType.INT, nodes)}, new Field[] {
                new Field("value", BasicType.INT), new Field("next", O), new Field("payload", O)});
            w.classDump(BYTE_ARRAY, OBJECT, 0, 0, none, none);
            w.classDump(NODE_ARRAY, OBJECT, 0, 0, none, none);
            for (long c = OBJECT; c <= NODE_ARRAY; c += 0x100) {
                w.rootStickyClass(c);
            }
            // addresses: node i, then its payload, then its label String and the label's byte[]
            long address = HEAP_START;
            long thread = address;
            address += 24;
            long weak = address;
            address += 32;
            long array = address;
            int arrayLength = Math.min(nodes, ARRAY_NODES);
            address += align(16 + 4L * arrayLength);
            long[] firstNodes = new long[arrayLength];
            long firstNode = address;
            w.rootThreadObject(thread, 1, 1);
            w.rootJavaFrame(firstNode, 1, 0);
            w.rootJniGlobal(array);
            w.instance(thread, THREAD, THREAD_FIELDS, 0, 1);
            for (int i = 0; i < nodes; i++) {
                long node = address;
                address += 24;
                long payload = 0;
                int payloadLength = i % (payloadMax + 1);
                if (i % PAYLOAD_EVERY == 0) {
                    payload = address;
                    address += align(16 + payloadLength);
                }
                long label = 0;
                long labelBytes = 0;
                byte[] text = null;
                if (i % LABEL_EVERY == 0) {
                    text = ("node-" + i).getBytes(StandardCharsets.ISO_8859_1);
                    label = address;
                    address += 24;
                    labelBytes = address;
                    address += align(16 + text.length);
                }
                long next = i + 1 < nodes ? address : DANGLING;
                w.instance(node, NODE, NODE_FIELDS, i, next, payload);
                if (payload != 0) {
                    w.byteArray(payload, new byte[payloadLength]);
                }
                if (label != 0) {
                    w.instance(label, STRING, STRING_FIELDS, labelBytes, 0, 0);
                    w.byteArray(labelBytes, text);
                }
                if (i < arrayLength) {
                    firstNodes[i] = node;
                }
            }
            w.instance(weak, WEAK_REFERENCE, REFERENCE_FIELDS, firstNode, 0, 0, 0);
            w.objectArray(array, NODE_ARRAY, firstNodes);
        }
    }
}

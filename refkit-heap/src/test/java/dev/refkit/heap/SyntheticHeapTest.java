package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dump written without a JVM, whose every object is known. */
class SyntheticHeapTest {

    private static final int NODES = 1000;

    @TempDir
    Path dir;

    private HeapDump open() throws IOException {
        return HeapDump.open(SyntheticHeap.write(dir.resolve("synthetic.hprof"), NODES));
    }

    @Test
    void countsEveryKindOfObject() throws IOException {
        try (HeapDump dump = open()) {
            Histogram h = dump.histogram();
            assertThat(h.entry("example.Node").instances()).isEqualTo(NODES);
            assertThat(h.entry("java.lang.String").instances()).isEqualTo(NODES / SyntheticHeap.LABEL_EVERY);
            assertThat(h.entry("byte[]").instances())
                    .isEqualTo(NODES / SyntheticHeap.PAYLOAD_EVERY + NODES / SyntheticHeap.LABEL_EVERY);
            assertThat(h.entry("example.Node[]").instances()).isEqualTo(1);
            assertThat(h.entry("java.lang.Class").instances()).isEqualTo(9);
        }
    }

    @Test
    void theOneReferenceToAMissingIdIsCountedAndIsNoEdge() throws IOException {
        try (HeapDump dump = open()) {
            assertThat(dump.info().danglingReferences()).isEqualTo(1);
            HeapGraph g = dump.graph();
            int last = g.objectIndex(lastNodeId(g));
            assertThat(g.fieldValue(last, "next")).isEqualTo(new ObjectRef(SyntheticHeap.DANGLING, -1));
        }
    }

    private static long lastNodeId(HeapGraph g) {
        for (int o = g.objectCount() - 1; o >= 0; o--) {
            if (g.classOf(o).name().equals("example.Node")) {
                return g.objectId(o);
            }
        }
        throw new AssertionError("no node");
    }

    @Test
    void sizesFollowTheCompressedLayoutTheAddressesShow() throws IOException {
        try (HeapDump dump = open()) {
            assertThat(dump.info().compressedReferences()).isTrue();
            assertThat(dump.graph().findClass("example.Node").instanceSize()).isEqualTo(24);
            assertThat(dump.graph().findClass("java.lang.ref.WeakReference").instanceSize()).isEqualTo(32);
            HeapGraph g = dump.graph();
            for (int o = 0; o + 1 < g.objectCount(); o++) {
                if (g.asClass(o) == null && g.asClass(o + 1) == null) {
                    assertThat(g.shallowSize(o)).isEqualTo(g.objectId(o + 1) - g.objectId(o));
                }
            }
        }
    }

    @Test
    void theWeakReferencesReferentIsAWeakEdgeToTheFirstNode() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            int weak = g.objectIndex(SyntheticHeap.HEAP_START + 24);
            assertThat(g.classOf(weak).name()).isEqualTo("java.lang.ref.WeakReference");
            long r = g.firstReference(weak) + 1;
            assertThat(g.referenceName(r)).isEqualTo("referent");
            assertThat(g.referenceKind(r)).isEqualTo(ReferenceKind.WEAK_REFERENT);
            assertThat(g.fieldValue(g.referenceTarget(r), "value")).isEqualTo(0);
        }
    }

    @Test
    void labelsReadAsText() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            int labels = 0;
            for (int o = 0; o < g.objectCount(); o++) {
                String s = g.stringValue(o);
                if (s != null) {
                    assertThat(s).matches("node-\\d+");
                    labels++;
                }
            }
            assertThat(labels).isEqualTo(NODES / SyntheticHeap.LABEL_EVERY);
        }
    }

    @Test
    void frameRootNamesMethodLineAndThread() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            GcRoot frame = null;
            for (int i = 0; i < g.gcRootCount(); i++) {
                if (g.gcRoot(i).kind() == GcRootKind.JAVA_FRAME) {
                    frame = g.gcRoot(i);
                }
            }
            assertThat(frame).isNotNull();
            assertThat(frame.frame()).isEqualTo(new StackFrame("example.Node", "run", "()V", "Node.java", 42));
            assertThat(g.objectId(frame.thread())).isEqualTo(SyntheticHeap.HEAP_START);
            assertThat(frame.frameDepth()).isZero();
        }
    }

    @Test
    void idsBetweenBeyondAndBeforeTheObjectsHaveNoIndex() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            long first = SyntheticHeap.OBJECT;
            long last = g.objectId(g.objectCount() - 1);
            for (long id : new long[] {first - 8, first + 4, last + 8, last + (8L << 32), last + (1L << 40),
                Long.MAX_VALUE, Long.MIN_VALUE, 0}) {
                assertThat(g.objectIndex(id)).as("index of id %x", id).isEqualTo(-1);
            }
            assertThat(g.objectIndex(first)).isZero();
        }
    }

    @Test
    void histogramRowsAreOrderedByBytesOrByInstances() throws IOException {
        try (HeapDump dump = open()) {
            Histogram h = dump.histogram();
            java.util.List<Histogram.Entry> byBytes = h.entries();
            for (int i = 1; i < byBytes.size(); i++) {
                assertThat(byBytes.get(i).shallowBytes()).isLessThanOrEqualTo(byBytes.get(i - 1).shallowBytes());
            }
            assertThat(h.sorted(Histogram.BY_INSTANCES).get(0).className()).isEqualTo("example.Node");
            assertThat(h.totalInstances()).isEqualTo(dump.info().objectCount());
            assertThat(h.entry("example.Node").shallowBytes()).isEqualTo(24L * NODES);
        }
    }

    @Test
    void everyReferenceKnowsItsSource() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            for (int o = 0; o < g.objectCount(); o++) {
                for (long r = g.firstReference(o); r < g.firstReference(o + 1); r++) {
                    assertThat(g.referenceSource(r)).isEqualTo(o);
                }
            }
        }
    }

    @Test
    void staticValuesAreReadFromTheClassDump() throws IOException {
        try (HeapDump dump = open()) {
            HeapGraph g = dump.graph();
            assertThat(g.staticFieldValue(g.findClass("example.Node"), "COUNT")).isEqualTo(NODES);
        }
    }
}

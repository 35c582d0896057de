package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.hprof.BasicType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retained sizes on a dump written by hand, against sizes worked out by hand from who dominates whom:
 *
 * <pre>
 *   JNI global → A;  A.a → B, A.b → C;  B.a → D, C.a → D (D is shared, so A dominates it);
 *   D.a → E (byte[1000]);  C.b → F (byte[5000]);  G (byte[700]) has no root.
 * </pre>
 */
class HandBuiltDumpRetainedSizeTest {

    private static final long OBJECT = 0x100;
    private static final long CLASS = 0x200;
    private static final long NODE = 0x300;
    private static final long BYTES = 0x400;
    private static final long A = 0x10_000;
    private static final long B = A + 0x20;
    private static final long C = B + 0x20;
    private static final long D = C + 0x20;
    private static final long E = D + 0x20;
    private static final long F = E + 0x400;
    private static final long G = F + 0x1400;

    @TempDir
    Path dir;

    private Path writeDump() throws Exception {
        Path file = dir.resolve("hand-built.hprof");
        BasicType o = BasicType.OBJECT;
        BasicType[] node = {o, o};
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, OBJECT, "java/lang/Object");
            w.loadClass(2, CLASS, "java/lang/Class");
            w.loadClass(3, NODE, "example/Node");
            w.loadClass(4, BYTES, "[B");
            Field[] none = {};
            w.classDump(OBJECT, 0, 0, 0, none, none);
            w.classDump(CLASS, OBJECT, 0, 0, none, none);
            w.classDump(NODE, OBJECT, 0, 16, none, new Field[] {new Field("a", o), new Field("b", o)});
            w.classDump(BYTES, OBJECT, 0, 0, none, none);
            for (long c = OBJECT; c <= BYTES; c += 0x100) {
                w.rootStickyClass(c);
            }
            w.rootJniGlobal(A);
            w.instance(A, NODE, node, B, C);
            w.instance(B, NODE, node, D, 0);
            w.instance(C, NODE, node, D, F);
            w.instance(D, NODE, node, E, 0);
            w.byteArray(E, new byte[1000]);
            w.byteArray(F, new byte[5000]);
            w.byteArray(G, new byte[700]);
        }
        return file;
    }

    @Test
    void retainedSizesAreTheShallowSizesOfWhatEachObjectDominates() throws Exception {
        try (HeapDump dump = HeapDump.open(writeDump())) {
            HeapGraph graph = dump.graph();
            DominatorTree tree = HeapAnalysis.of(dump).dominators();
            int a = graph.objectIndex(A), b = graph.objectIndex(B), c = graph.objectIndex(C), d = graph.objectIndex(D);
            int e = graph.objectIndex(E), f = graph.objectIndex(F), g = graph.objectIndex(G);
            long nodeSize = graph.shallowSize(a);

            assertThat(graph.shallowSize(e)).isGreaterThanOrEqualTo(1000);
            assertThat(graph.shallowSize(f)).isGreaterThanOrEqualTo(5000);
            assertThat(tree.retainedSize(e)).isEqualTo(graph.shallowSize(e));
            assertThat(tree.retainedSize(d)).isEqualTo(nodeSize + graph.shallowSize(e));
            assertThat(tree.retainedSize(b)).as("B shares D with C, so it retains only itself").isEqualTo(nodeSize);
            assertThat(tree.retainedSize(c)).isEqualTo(nodeSize + graph.shallowSize(f));
            assertThat(tree.retainedSize(a)).isEqualTo(4 * nodeSize + graph.shallowSize(e) + graph.shallowSize(f));
            assertThat(tree.immediateDominator(d)).isEqualTo(a);
            assertThat(tree.isStronglyReachable(g)).as("G has no root").isFalse();
        }
    }
}

package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.refkit.heap.HprofWriter.Field;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.SuspectThresholds;
import dev.refkit.heap.hprof.BasicType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed dumps built to make the analyses after {@code open} slow or hungry: the leak-suspect search, the
 * searches it runs under a budget and the merged paths must stay bounded in time (seconds) and memory whatever
 * the shape of the heap.
 */
class HostileAnalysisTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Field[] NONE = {};
    private static final long OBJECT = 0x100;
    private static final long CLASS = 0x200;
    private static final long STRING = 0x300;
    private static final long REFERENCE = 0x400;
    private static final long WEAK = 0x500;
    private static final long OBJECTS = 0x600;

    @TempDir
    Path dir;

    /** java.lang.Object, Class, String, Reference, WeakReference and Object[], then what {@code body} adds. */
    private Path dump(String name, Body body) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); HprofWriter w = new HprofWriter(out, 0)) {
            w.loadClass(1, OBJECT, "java/lang/Object");
            w.loadClass(2, CLASS, "java/lang/Class");
            w.loadClass(3, STRING, "java/lang/String");
            w.loadClass(4, REFERENCE, "java/lang/ref/Reference");
            w.loadClass(5, WEAK, "java/lang/ref/WeakReference");
            w.loadClass(6, OBJECTS, "[Ljava/lang/Object;");
            w.classDump(OBJECT, 0, 0, 0, NONE, NONE);
            w.classDump(CLASS, OBJECT, 0, 0, NONE, NONE);
            w.classDump(STRING, OBJECT, 0, 0, NONE, new Field[] {new Field("value", BasicType.OBJECT),
                new Field("coder", BasicType.BYTE)});
            w.classDump(REFERENCE, OBJECT, 0, 0, NONE, new Field[] {new Field("referent", BasicType.OBJECT),
                new Field("queue", BasicType.OBJECT), new Field("next", BasicType.OBJECT),
                new Field("discovered", BasicType.OBJECT)});
            w.classDump(WEAK, REFERENCE, 0, 0, NONE, NONE);
            w.classDump(OBJECTS, OBJECT, 0, 0, NONE, NONE);
            body.write(w);
        }
        return file;
    }

    private interface Body {
        void write(HprofWriter w) throws IOException;
    }

    private static BasicType[] objects(int count) {
        BasicType[] types = new BasicType[count];
        Arrays.fill(types, BasicType.OBJECT);
        return types;
    }

    @Test
    void twoThousandWatchersSharingATenMegabyteDescriptionAreOneShortSuspect() throws Exception {
        long watcherClass = 0x700;
        long viewClass = 0x800;
        Path file = dump("watchers.hprof", w -> {
            w.loadClass(7, watcherClass, "dev/refkit/leak/KeyedWeakReference");
            w.loadClass(8, viewClass, "app/View");
            w.classDump(watcherClass, WEAK, 0, 0, NONE, new Field[] {new Field("key", BasicType.OBJECT),
                new Field("description", BasicType.OBJECT)});
            w.classDump(viewClass, OBJECT, 0, 0, NONE, NONE);
            byte[] text = new byte[10 << 20];
            Arrays.fill(text, (byte) 'd');
            w.byteArray(0x10_000, text);
            w.instance(0x10_010, STRING, new BasicType[] {BasicType.OBJECT, BasicType.BYTE}, 0x10_000, 0);
            long[] views = new long[2_000];
            for (int i = 0; i < 2_000; i++) {
                long view = 0x100_000 + 0x100L * i;
                views[i] = view;
                w.instance(view, viewClass, NONE_TYPES);
                // own fields first (key, description), then Reference's (referent, queue, next, discovered)
                w.instance(view + 0x10, watcherClass, objects(6), 0, 0x10_010, view, 0, 0, 0);
                w.rootJniGlobal(view + 0x10);
            }
            w.objectArray(0x20_000, OBJECTS, views);
            w.rootStickyClass(viewClass);
            w.rootJniGlobal(0x20_000);
        });

        List<LeakSuspect> suspects = assertTimeoutPreemptively(BOUND, () -> {
            try (HeapDump heap = HeapDump.open(file)) {
                return HeapAnalysis.of(heap).leakSuspects();
            }
        });

        assertThat(suspects).filteredOn(s -> s.kind() == LeakSuspect.Kind.WATCHED_OBJECT_ALIVE).hasSize(1)
                .allSatisfy(s -> {
                    assertThat(s.accumulated().get(0).count()).isEqualTo(2_000);
                    assertThat(s.summary()).hasSizeLessThan(1_000).contains("dddd…");
                });
    }

    private static final BasicType[] NONE_TYPES = {};

    @Test
    void oneListenerWithSixtyFiveThousandFieldsHeldAHundredThousandTimesIsBounded() throws Exception {
        long listenerClass = 0x700;
        int fields = 65_535;
        Path file = dump("wide-listener.hprof", w -> {
            w.loadClass(7, listenerClass, "app/Wide$$Lambda$1+0x0000000800c01234");
            Field[] declared = new Field[fields];
            for (int i = 0; i < fields; i++) {
                declared[i] = new Field("arg$" + i, BasicType.OBJECT);
            }
            w.classDump(listenerClass, OBJECT, 0, 0, NONE, declared);
            long[] targets = new long[fields];
            for (int i = 0; i < fields; i++) {
                targets[i] = 0x1_000_000 + 0x10L * i;
                w.instance(targets[i], OBJECT, NONE_TYPES);
            }
            w.instance(0x10_000, listenerClass, objects(fields), targets);
            long[] elements = new long[100_000];
            Arrays.fill(elements, 0x10_000);
            w.objectArray(0x20_000, OBJECTS, elements);
            w.rootJniGlobal(0x20_000);
        });

        assertTimeoutPreemptively(BOUND, () -> {
            try (HeapDump heap = HeapDump.open(file)) {
                HeapAnalysis analysis = HeapAnalysis.of(heap);
                analysis.leakSuspects(new SuspectThresholds(0, 0));
                analysis.mergedPathsToGcRoots("java.lang.Object", PathOptions.excludingNonStrong());
            }
        });
    }

    @Test
    void weakEntriesWithThousandsOfFieldsExhaustTheBudgetNotTheClock() throws Exception {
        long entryClass = 0x700;
        int fields = 4_000;
        Path file = dump("wide-entries.hprof", w -> {
            w.loadClass(7, entryClass, "app/WideEntry");
            Field[] declared = new Field[fields + 1];
            for (int i = 0; i < fields; i++) {
                declared[i] = new Field("f" + i, BasicType.OBJECT);
            }
            declared[fields] = new Field("value", BasicType.OBJECT);
            w.classDump(entryClass, WEAK, 0, 0, NONE, declared);
            long shared = 0x10_000;
            w.instance(shared, OBJECT, NONE_TYPES);
            long[] entries = new long[2_000];
            for (int e = 0; e < entries.length; e++) {
                long entry = 0x100_000 + 0x10L * e;
                entries[e] = entry;
                long key = 0x1_000_000 + 0x10L * e;
                w.instance(key, OBJECT, NONE_TYPES);
                long[] values = new long[fields + 1 + 4];
                Arrays.fill(values, 0, fields, shared);
                values[fields] = shared;
                values[fields + 1] = key; // Reference.referent
                w.instance(entry, entryClass, objects(values.length), values);
            }
            w.objectArray(0x20_000, OBJECTS, entries);
            w.rootJniGlobal(0x20_000);
        });

        assertTimeoutPreemptively(BOUND, () -> {
            try (HeapDump heap = HeapDump.open(file)) {
                HeapAnalysis.of(heap).leakSuspects(new SuspectThresholds(0, 0));
            }
        });
    }
}

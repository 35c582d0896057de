package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dumps written by a child JVM running {@link Population}: a known population, read back exactly, and
 * the child's own class histogram taken right after its live dump.
 */
class ChildJvmDumpTest {

    private static final String SPECIMEN = Population.Specimen.class.getName();

    @TempDir
    static Path dir;

    static HeapDump live;
    static String liveHistogram;
    /** {@code Population.lambda.getClass().getName()} in the child that wrote the live dump. */
    static String lambdaClassName;
    static HeapDump all;
    static HeapDump uncompressed;
    static String uncompressedHistogram;

    @BeforeAll
    static void writeDumps() throws Exception {
        liveHistogram = runChild(dir.resolve("live.hprof"), "live");
        lambdaClassName = lastLambdaClassName;
        live = HeapDump.open(dir.resolve("live.hprof"));
        runChild(dir.resolve("all.hprof"), "all");
        all = HeapDump.open(dir.resolve("all.hprof"));
        uncompressedHistogram = runChild(dir.resolve("wide.hprof"), "live", "-XX:-UseCompressedOops");
        uncompressed = HeapDump.open(dir.resolve("wide.hprof"));
    }

    @AfterAll
    static void closeDumps() {
        for (HeapDump d : new HeapDump[] {live, all, uncompressed}) {
            if (d != null) {
                d.close();
            }
        }
    }

    private static String lastLambdaClassName;

    /** Runs the child JVM; returns the histogram it printed after dumping. */
    static String runChild(Path dump, String mode, String... vmOptions) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classes = Path.of(Population.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED"));
        command.addAll(List.of(vmOptions));
        command.addAll(List.of("-cp", classes, Population.class.getName(), dump.toString(), mode));
        BoundedOpen.Result child = BoundedOpen.run(new ProcessBuilder(command).redirectErrorStream(true).start());
        String text = child.output();
        assertThat(child.exitCode()).as("child JVM exit code (-1: still running after 120 s); output:%n%s", text)
                .isZero();
        int marker = text.indexOf(Population.HISTOGRAM_MARKER);
        assertThat(marker).as("histogram in the child's output:%n%s", text).isNotNegative();
        int lambda = text.indexOf(Population.LAMBDA_MARKER);
        lastLambdaClassName = text.substring(lambda + Population.LAMBDA_MARKER.length(),
                text.indexOf('\n', lambda)).strip();
        return text.substring(marker + Population.HISTOGRAM_MARKER.length());
    }

    private static List<Integer> instancesOf(HeapDump dump, String className) {
        HeapGraph g = dump.graph();
        List<Integer> found = new ArrayList<>();
        for (int o = 0; o < g.objectCount(); o++) {
            if (g.classOf(o).name().equals(className)) {
                found.add(o);
            }
        }
        return found;
    }

    private static int staticReference(HeapDump dump, String fieldName) {
        HeapGraph g = dump.graph();
        ObjectRef ref = (ObjectRef) g.staticFieldValue(g.findClass(Population.class.getName()), fieldName);
        return ref.object();
    }

    @Test
    void liveDumpHoldsExactlyThePopulation() {
        assertThat(live.histogram().entry(SPECIMEN).instances()).isEqualTo(Population.SPECIMENS);
        assertThat(live.histogram().entry(Population.Referent.class.getName()).instances()).isEqualTo(3);
        assertThat(live.histogram().entry(Population.Garbage.class.getName())).isNull();
    }

    @Test
    void dumpOfAllObjectsHoldsThePopulationAndPerhapsGarbage() {
        assertThat(all.histogram().entry(SPECIMEN).instances()).isEqualTo(Population.SPECIMENS);
        Histogram.Entry garbage = all.histogram().entry(Population.Garbage.class.getName());
        assertThat(garbage == null ? 0 : garbage.instances()).isBetween(0L, (long) Population.GARBAGE);
    }

    @Test
    void everyPrimitiveFieldOfEverySpecimenIsRead() {
        HeapGraph g = live.graph();
        for (int o : instancesOf(live, SPECIMEN)) {
            int id = (Integer) g.fieldValue(o, "id");
            assertThat(g.fieldValue(o, "stamp")).isEqualTo(id * 1_000_000_007L);
            assertThat(g.fieldValue(o, "even")).isEqualTo(id % 2 == 0);
            assertThat(g.fieldValue(o, "small")).isEqualTo((byte) id);
            assertThat(g.fieldValue(o, "letter")).isEqualTo((char) ('A' + id % 26));
            assertThat(g.fieldValue(o, "medium")).isEqualTo((short) (id * 3));
            assertThat(g.fieldValue(o, "ratio")).isEqualTo(id / 4f);
            assertThat(g.fieldValue(o, "precise")).isEqualTo(id / 3d);
        }
    }

    @Test
    void stringsArrayLengthsAndReferencesOfEverySpecimenAreRead() {
        HeapGraph g = live.graph();
        Map<Integer, Integer> byId = new TreeMap<>();
        for (int o : instancesOf(live, SPECIMEN)) {
            byId.put((Integer) g.fieldValue(o, "id"), o);
        }
        assertThat(byId).hasSize(Population.SPECIMENS);
        for (Map.Entry<Integer, Integer> e : byId.entrySet()) {
            int id = e.getKey();
            int o = e.getValue();
            int label = ((ObjectRef) g.fieldValue(o, "label")).object();
            assertThat(g.stringValue(label)).isEqualTo("specimen-" + id);
            int numbers = ((ObjectRef) g.fieldValue(o, "numbers")).object();
            assertThat(g.arrayLength(numbers)).isEqualTo(id % 7);
            assertThat(g.classOf(numbers).name()).isEqualTo("int[]");
            assertThat(((ObjectRef) g.fieldValue(o, "next")).object())
                    .isEqualTo(byId.get((id + 1) % Population.SPECIMENS));
        }
    }

    @Test
    void outgoingReferencesOfASpecimenAreItsClassAndItsReferenceFields() {
        HeapGraph g = live.graph();
        int o = instancesOf(live, SPECIMEN).get(0);
        Map<String, Integer> refs = new TreeMap<>();
        for (long r = g.firstReference(o); r < g.firstReference(o + 1); r++) {
            refs.put(g.referenceName(r), g.referenceTarget(r));
            assertThat(g.referenceKind(r).isStrong()).isTrue();
        }
        assertThat(refs.keySet()).containsExactlyInAnyOrder("<class>", "label", "next", "numbers", "slots");
        assertThat(refs.get("<class>")).isEqualTo(g.classOf(o).objectIndex());
        int slots = refs.get("slots");
        assertThat(g.firstReference(slots + 1) - g.firstReference(slots)).isEqualTo(2);
        long element = g.firstReference(slots) + 1;
        assertThat(g.referenceName(element)).isEqualTo("[0]");
        assertThat(g.referenceKind(element)).isEqualTo(ReferenceKind.ARRAY_ELEMENT);
        assertThat(g.referenceTarget(element)).isEqualTo(refs.get("label"));
    }

    @Test
    void shallowSizesOfThePopulationAreTheJvmsOwn() {
        JvmHistogram jvm = new JvmHistogram(liveHistogram);
        HeapGraph g = live.graph();
        long specimenBytes = jvm.rows().get(SPECIMEN).bytes() / Population.SPECIMENS;
        for (int o : instancesOf(live, SPECIMEN)) {
            assertThat(g.shallowSize(o)).isEqualTo(specimenBytes);
            int numbers = ((ObjectRef) g.fieldValue(o, "numbers")).object();
            assertThat(g.shallowSize(numbers)).isEqualTo((16 + 4L * g.arrayLength(numbers) + 7) / 8 * 8);
        }
        assertThat(g.findClass(Population.HoleyChild.class.getName()).instanceSize())
                .isEqualTo(jvm.rows().get(Population.HoleyChild.class.getName()).bytes() / 2);
    }

    @Test
    void shallowSizesOfEveryClassAreTheJvmsOwn() {
        Map<String, String> mismatches = new TreeMap<>();
        int compared = SharedDumpsTest.compare(live, new JvmHistogram(liveHistogram), mismatches);
        assertThat(compared).isGreaterThan(300);
        assertThat(mismatches).isEmpty();
    }

    /**
     * The JDK classes HotSpot pads for {@code @Contended}, and application classes that extend one: the JVM
     * counts the padding (on JDK 17: ForkJoinPool 336 bytes, its WorkQueue 304, Striped64$Cell 280, where the
     * fields alone take 80, 48 and 24), and so does the reader, with compressed references and without.
     */
    @Test
    void classesPaddedForContentionAreAsLargeAsTheJvmCountsThem() {
        List<String> padded = List.of("java.util.concurrent.ForkJoinPool",
                "java.util.concurrent.ForkJoinPool$WorkQueue",
                "java.util.concurrent.atomic.Striped64$Cell", "java.util.concurrent.ConcurrentHashMap$CounterCell",
                "java.util.concurrent.SubmissionPublisher$BufferedSubscription",
                Population.CustomPool.class.getName(), Population.QuietPool.class.getName());
        for (HeapDump dump : new HeapDump[] {live, uncompressed}) {
            JvmHistogram jvm = new JvmHistogram(dump == live ? liveHistogram : uncompressedHistogram);
            for (String name : padded) {
                JvmHistogram.Row row = jvm.rows().get(name);
                assertThat(row).as("%s in the JVM's histogram", name).isNotNull();
                assertThat(dump.graph().findClass(name).instanceSize()).as("%s (%s)", name, dump.info().vmLayout())
                        .isEqualTo(row.bytes() / row.instances());
            }
        }
    }

    /**
     * A hidden class is named as {@code Class.getName()} and the JVM's histogram name it
     * ({@code Population$$Lambda$14/0x0000000800c01234} on JDK 17, {@code Population$$Lambda/0x…} from JDK 21),
     * not as the VM spells it in the dump ({@code +0x…}), and is found by either spelling.
     */
    @Test
    void hiddenClassesHaveTheirJavaNames() {
        HeapGraph g = live.graph();
        HeapClass lambda = g.classOf(staticReference(live, "lambda"));
        assertThat(lambda.name()).isEqualTo(lambdaClassName).matches(".*\\$\\$Lambda(\\$\\d+)?/0x[0-9a-f]+");
        assertThat(new JvmHistogram(liveHistogram).rows()).containsKey(lambda.name());
        assertThat(g.findClass(lambdaClassName)).isSameAs(lambda);
        assertThat(g.findClass(lambdaClassName.replace("/0x", "+0x"))).isSameAs(lambda);
        assertThat(live.histogram().entry(lambdaClassName.replace("/0x", "+0x")).instances()).isEqualTo(1);
    }

    @Test
    void uncompressedReferencesAreInferredAndSizedAsTheJvmDoes() {
        assertThat(live.info().compressedReferences()).isTrue();
        assertThat(uncompressed.info().compressedReferences()).isFalse();
        Map<String, String> mismatches = new TreeMap<>();
        int compared = SharedDumpsTest.compare(uncompressed, new JvmHistogram(uncompressedHistogram), mismatches);
        assertThat(compared).isGreaterThan(300);
        assertThat(mismatches).isEmpty();
    }

    /**
     * Instance counts per class equal the live histogram the child printed right after dumping, for every
     * class of the population. JDK classes may differ by a few instances: between the dump's collection and
     * the histogram's, the JVM runs code of its own (the management call that prints the histogram
     * allocates Strings, arrays and ObjectNames; the reference handler clears phantom-reachable
     * {@code CleanerImpl$PhantomCleanableRef} and {@code MethodHandleNatives$CallSiteContext}).
     */
    @Test
    void instanceCountsAreTheJvmsLiveHistogram() {
        JvmHistogram jvm = new JvmHistogram(liveHistogram);
        Map<String, String> differing = new TreeMap<>();
        int classes = 0;
        for (JvmHistogram.Row row : jvm.rows().values()) {
            classes++;
            Histogram.Entry ours = live.histogram().entry(row.className());
            long count = ours == null ? 0 : ours.instances();
            if (count != row.instances()) {
                differing.put(row.className(), "JVM " + row.instances() + ", dump " + count);
            }
        }
        for (Histogram.Entry e : live.histogram().entries()) {
            if (!jvm.rows().containsKey(e.className())) {
                differing.put(e.className(), "JVM 0, dump " + e.instances());
            }
        }
        assertThat(differing.keySet()).as("classes whose counts differ: %s", differing)
                .noneMatch(name -> name.startsWith(Population.class.getName()))
                .allMatch(name -> name.replace("[]", "")
                        .matches("(java|javax|jdk|sun|com\\.sun)\\..*|boolean|char|float|double|byte|short|int|long"));
        assertThat(differing.size()).as("classes whose counts differ: %s", differing).isLessThan(classes / 20);
    }

    @Test
    void referentsOfSoftWeakAndPhantomReferencesHaveTheirKinds() {
        HeapGraph g = live.graph();
        Map<String, ReferenceKind> expected = Map.of("soft", ReferenceKind.SOFT_REFERENT,
                "weak", ReferenceKind.WEAK_REFERENT, "phantom", ReferenceKind.PHANTOM_REFERENT);
        for (Map.Entry<String, ReferenceKind> e : expected.entrySet()) {
            int reference = staticReference(live, e.getKey());
            int referent = -1;
            for (long r = g.firstReference(reference); r < g.firstReference(reference + 1); r++) {
                if (g.referenceName(r).equals("referent")) {
                    assertThat(g.referenceKind(r)).isEqualTo(e.getValue());
                    assertThat(g.referenceKind(r).isStrong()).isFalse();
                    referent = g.referenceTarget(r);
                }
            }
            assertThat(referent).isNotNegative();
            int name = ((ObjectRef) g.fieldValue(referent, "name")).object();
            assertThat(g.stringValue(name)).isEqualTo(e.getKey());
        }
    }

    @Test
    void staticFieldsAreReferencesOfTheClassObject() {
        HeapGraph g = live.graph();
        HeapClass population = g.findClass(Population.class.getName());
        int classObject = population.objectIndex();
        assertThat(g.asClass(classObject)).isSameAs(population);
        assertThat(g.classOf(classObject).name()).isEqualTo("java.lang.Class");
        int specimens = staticReference(live, "specimens");
        boolean found = false;
        for (long r = g.firstReference(classObject); r < g.firstReference(classObject + 1); r++) {
            if (g.referenceName(r).equals("static specimens")) {
                found = true;
                assertThat(g.referenceKind(r)).isEqualTo(ReferenceKind.STATIC_FIELD);
                assertThat(g.referenceTarget(r)).isEqualTo(specimens);
            }
        }
        assertThat(found).isTrue();
        assertThat(g.arrayLength(specimens)).isEqualTo(Population.SPECIMENS);
        assertThat(g.classOf(specimens).name()).isEqualTo(SPECIMEN + "[]");
    }

    @Test
    void theMainThreadsFrameRootsNameTheMethod() {
        HeapGraph g = live.graph();
        boolean found = false;
        for (int i = 0; i < g.gcRootCount(); i++) {
            GcRoot root = g.gcRoot(i);
            if (root.kind() == GcRootKind.JAVA_FRAME && root.frame() != null
                    && root.frame().className().equals(Population.class.getName())
                    && root.frame().methodName().equals("main")) {
                found = true;
                assertThat(root.thread()).isNotNegative();
                assertThat(g.classOf(root.thread()).isSubclassOf("java.lang.Thread")).isTrue();
                assertThat(root.frame().sourceFile()).isEqualTo("Population.java");
                assertThat(root.frame().line()).isPositive();
            }
        }
        assertThat(found).isTrue();
    }

    @Test
    void theFieldLayoutOfThisJdkIsInferred() {
        String expected = Runtime.version().feature() >= 15 ? "JDK 15+" : "JDK 8-14";
        assertThat(live.info().vmLayout()).contains(expected);
        assertThat(uncompressed.info().vmLayout()).contains(expected).contains("compressed class pointers only");
    }

    @Test
    void indexTakesAtMostTwelveBytesPerObject() {
        assertThat(live.info().indexBytesPerObject()).isLessThanOrEqualTo(12.0);
    }
}

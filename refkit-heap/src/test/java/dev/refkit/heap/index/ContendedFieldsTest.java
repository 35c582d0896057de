package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.hprof.BasicType;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The table of JDK classes padded for {@code @Contended} is the JDK's own: read again from the class files of
 * the JDK the tests run on (17 and 25 in the build), and, for the JDKs not at hand, from their sources.
 */
class ContendedFieldsTest {

    private static final String ANNOTATION = "Ljdk/internal/vm/annotation/Contended;";

    /** A class file's instance fields and its {@code @Contended} annotations. */
    private record ClassFile(String name, List<String> fields, boolean wholeClass, Map<String, List<String>> groups) {
        ContendedFields.Padding padding() {
            return new ContendedFields.Padding(wholeClass, List.copyOf(groups.values()));
        }

        List<ClassRecord.Field> declared() {
            return fields.stream().map(f -> new ClassRecord.Field(f, BasicType.INT)).toList();
        }
    }

    /** Every class of this JDK's runtime image that mentions the annotation. */
    private static List<ClassFile> annotatedClassesOfThisJdk() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        byte[] needle = ANNOTATION.substring(1, ANNOTATION.length() - 1).getBytes();
        List<ClassFile> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.toString().endsWith(".class")) {
                    byte[] bytes = Files.readAllBytes(p);
                    if (contains(bytes, needle)) {
                        ClassFile c = read(bytes);
                        if (c.wholeClass() || !c.groups().isEmpty()) {
                            found.add(c);
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Reads the parts of a class file this test needs (JVMS chapter 4). */
    private static ClassFile read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.skipNBytes(8);
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[] classNames = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                case 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        in.skipNBytes(2);
        String name = ((String) pool[classNames[in.readUnsignedShort()]]).replace('/', '.');
        in.skipNBytes(2);
        in.skipNBytes(2L * in.readUnsignedShort());
        List<String> fields = new ArrayList<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        int fieldCount = in.readUnsignedShort();
        for (int i = 0; i < fieldCount; i++) {
            boolean isStatic = (in.readUnsignedShort() & 0x0008) != 0;
            String field = (String) pool[in.readUnsignedShort()];
            in.skipNBytes(2);
            String group = contended(in, pool);
            if (!isStatic) {
                fields.add(field);
                if (group != null) {
                    groups.computeIfAbsent(group, g -> new ArrayList<>()).add(field);
                }
            }
        }
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            in.skipNBytes(6);
            contended(in, pool);
        }
        return new ClassFile(name, fields, contended(in, pool) != null, groups);
    }

    /** Reads an attribute table; the value of its {@code @Contended}, "" for none, or null when not annotated. */
    private static String contended(DataInputStream in, Object[] pool) throws IOException {
        String group = null;
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            String name = (String) pool[in.readUnsignedShort()];
            byte[] body = in.readNBytes(in.readInt());
            if (name.equals("RuntimeVisibleAnnotations") || name.equals("RuntimeInvisibleAnnotations")) {
                DataInputStream a = new DataInputStream(new ByteArrayInputStream(body));
                for (int k = a.readUnsignedShort(); k > 0; k--) {
                    String value = annotation(a, pool);
                    group = value != null ? value : group;
                }
            }
        }
        return group;
    }

    private static String annotation(DataInputStream a, Object[] pool) throws IOException {
        String type = (String) pool[a.readUnsignedShort()];
        String value = "";
        for (int pairs = a.readUnsignedShort(); pairs > 0; pairs--) {
            String element = (String) pool[a.readUnsignedShort()];
            Object v = elementValue(a, pool);
            if (element.equals("value")) {
                value = (String) v;
            }
        }
        return type.equals(ANNOTATION) ? value : null;
    }

    private static Object elementValue(DataInputStream a, Object[] pool) throws IOException {
        int tag = a.readUnsignedByte();
        switch (tag) {
            case 's':
                return pool[a.readUnsignedShort()];
            case 'e':
                a.skipNBytes(4);
                return null;
            case '@':
                annotation(a, pool);
                return null;
            case '[':
                for (int n = a.readUnsignedShort(); n > 0; n--) {
                    elementValue(a, pool);
                }
                return null;
            default:
                a.skipNBytes(2);
                return null;
        }
    }

    private static Set<Set<String>> groupsOf(ContendedFields.Padding padding) {
        Set<Set<String>> groups = new HashSet<>();
        for (List<String> g : padding.groups()) {
            groups.add(Set.copyOf(g));
        }
        return groups;
    }

    @Test
    void everyClassThisJdkPadsIsPaddedAsItsClassFileSays() throws IOException {
        List<ClassFile> annotated = annotatedClassesOfThisJdk();
        assertThat(annotated).extracting(ClassFile::name).contains("java.util.concurrent.ForkJoinPool",
                "java.util.concurrent.atomic.Striped64$Cell");
        for (ClassFile c : annotated) {
            ContendedFields.Padding table = ContendedFields.of(c.name(), c.declared());
            assertThat(table.wholeClass()).as("%s is annotated", c.name()).isEqualTo(c.wholeClass());
            assertThat(groupsOf(table)).as("the groups of %s", c.name()).isEqualTo(groupsOf(c.padding()));
        }
    }

    @Test
    void theTableDoesNotPadThisJdksVersionOfAClassThatItDoesNotAnnotate() throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Set<String> annotated = new HashSet<>();
        annotatedClassesOfThisJdk().forEach(c -> annotated.add(c.name()));
        for (String name : ContendedFields.classNames()) {
            Path file = jrt.getPath("/modules/java.base", name.replace('.', '/') + ".class");
            if (!annotated.contains(name) && Files.exists(file)) {
                ClassFile c = read(Files.readAllBytes(file));
                assertThat(ContendedFields.of(name, c.declared()).any()).as("%s padded", name).isFalse();
            }
        }
    }

    private static List<ClassRecord.Field> fields(String... names) {
        return Stream.of(names).map(n -> new ClassRecord.Field(n, BasicType.INT)).toList();
    }

    /**
     * The versions of the classes whose padding changed, with their instance fields as the sources of each JDK
     * declare them: each gets its own padding.
     */
    @Test
    void eachJdksVersionOfAClassGetsItsOwnPadding() {
        String pool = "java.util.concurrent.ForkJoinPool";
        String queue = "java.util.concurrent.ForkJoinPool$WorkQueue";
        ContendedFields.Padding jdk8Pool = ContendedFields.of(pool, fields("ctl", "runState", "config",
                "indexSeed", "workQueues", "factory", "ueh", "workerNamePrefix", "stealCounter"));
        ContendedFields.Padding jdk11Pool = ContendedFields.of(pool, fields("stealCount", "keepAlive", "indexSeed",
                "bounds", "mode", "workQueues", "workerNamePrefix", "factory", "ueh", "saturate", "ctl"));
        ContendedFields.Padding jdk17Pool = ContendedFields.of(pool, fields("keepAlive", "stealCount", "scanRover",
                "threadIds", "bounds", "mode", "queues", "registrationLock", "termination", "workerNamePrefix",
                "factory", "ueh", "saturate", "ctl"));
        ContendedFields.Padding jdk21Pool = ContendedFields.of(pool, fields("stealCount", "threadIds", "keepAlive",
                "bounds", "config", "runState", "queues", "registrationLock", "termination", "workerNamePrefix",
                "factory", "ueh", "saturate", "container", "ctl", "parallelism"));
        assertThat(jdk8Pool.wholeClass()).isTrue();
        assertThat(jdk8Pool.groups()).isEmpty();
        assertThat(jdk11Pool.groups()).containsExactly(List.of("ctl"));
        assertThat(jdk17Pool.groups()).containsExactly(List.of("ctl"));
        assertThat(jdk21Pool.groups()).containsExactly(List.of("ctl", "parallelism"));

        ContendedFields.Padding jdk8Queue = ContendedFields.of(queue, fields("scanState", "stackPred", "nsteals",
                "hint", "config", "qlock", "base", "top", "array", "pool", "owner", "parker", "currentJoin",
                "currentSteal"));
        ContendedFields.Padding jdk11Queue = ContendedFields.of(queue, fields("source", "id", "base", "top", "phase",
                "stackPred", "nsteals", "array", "pool", "owner"));
        ContendedFields.Padding jdk17Queue = ContendedFields.of(queue, fields("phase", "stackPred", "config", "base",
                "array", "owner", "top", "source", "nsteals"));
        ContendedFields.Padding jdk21Queue = ContendedFields.of(queue, fields("stackPred", "config", "base", "array",
                "owner", "top", "access", "phase", "source", "nsteals"));
        assertThat(jdk8Queue.wholeClass()).isTrue();
        assertThat(jdk11Queue.wholeClass()).isTrue();
        assertThat(jdk17Queue.groups()).containsExactly(List.of("top", "source", "nsteals"));
        assertThat(jdk21Queue.groups()).containsExactly(List.of("top", "access", "phase", "source", "nsteals"));

        String thread = "java.lang.Thread";
        assertThat(ContendedFields.of(thread, fields("name", "priority", "threadLocalRandomSeed",
                "threadLocalRandomProbe", "threadLocalRandomSecondarySeed")).groups()).hasSize(1);
        assertThat(ContendedFields.of(thread, fields("holder", "threadLocalRandomSeed", "threadLocalRandomProbe",
                "threadLocalRandomSecondarySeed")).any()).isFalse();
        String node = "java.util.concurrent.Exchanger$Node";
        assertThat(ContendedFields.of(node, fields("index", "bound", "collides", "hash", "item", "match", "parked"))
                .wholeClass()).isTrue();
        assertThat(ContendedFields.of(node, fields("seed", "index", "item", "match", "parked")).any()).isFalse();
    }

    /** An application class is never padded, whatever it declares. */
    @Test
    void onlyJdkClassesArePadded() {
        assertThat(ContendedFields.of("app.ForkJoinPool", fields("ctl", "parallelism")).any()).isFalse();
        assertThat(ContendedFields.of("app.Cell", fields("value")).any()).isFalse();
    }
}

package dev.refkit.heap.leaks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every growth program runs under every launcher and leaves three dumps whose histograms show what it is
 * meant to show: the leak's element class gains at least its count per round between consecutive dumps, and
 * {@code byte[]} at least the elements' payload bytes, while the larger cache and the churning LRU hold as many
 * values at every dump, and in the healthy program no class of the program gains instances at every step. A
 * program broken under one launcher fails here, before any comparison of its dumps.
 */
class GrowthProgramsTest {

    /** The instances and shallow bytes per class name, and the loader of the program's main class, of one dump. */
    private record Census(Map<String, Long> instances, Map<String, Long> shallowBytes, String programLoader) {
        long count(String className) {
            return instances.getOrDefault(className, 0L);
        }

        long bytes(String className) {
            return shallowBytes.getOrDefault(className, 0L);
        }
    }

    /** The dumps are read once for all the tests of a program and launcher. */
    private static final Map<String, List<Census>> CENSUSES = new ConcurrentHashMap<>();

    static Stream<Arguments> everyProgramUnderEveryLauncher() {
        return underEveryLauncher(GrowthPrograms.all());
    }

    static Stream<Arguments> leaksUnderEveryLauncher() {
        return underEveryLauncher(GrowthPrograms.LEAKS);
    }

    static Stream<Arguments> healthyUnderEveryLauncher() {
        return underEveryLauncher(GrowthPrograms.HEALTHY);
    }

    private static Stream<Arguments> underEveryLauncher(List<GrowthPrograms.Program> programs) {
        return programs.stream()
                .flatMap(program -> Arrays.stream(Launcher.values()).map(launcher -> Arguments.of(program, launcher)));
    }

    private static List<Census> censuses(GrowthPrograms.Program program, Launcher launcher) {
        return CENSUSES.computeIfAbsent(program + "-" + launcher, key -> {
            List<Census> censuses = new ArrayList<>();
            for (Path path : GrowthPrograms.dumps(program.name(), launcher)) {
                censuses.add(census(program, path));
            }
            return censuses;
        });
    }

    private static Census census(GrowthPrograms.Program program, Path path) {
        try (HeapDump dump = HeapDump.open(path)) {
            Map<String, Long> instances = new HashMap<>();
            Map<String, Long> shallowBytes = new HashMap<>();
            for (Histogram.Entry entry : dump.histogram().entries()) {
                instances.merge(entry.className(), entry.instances(), Long::sum);
                shallowBytes.merge(entry.className(), entry.shallowBytes(), Long::sum);
            }
            HeapGraph graph = dump.graph();
            HeapClass main = graph.findClass(program.mainClass());
            return new Census(instances, shallowBytes, main == null ? null : graph.classOf(main.classLoader()).name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyProgramUnderEveryLauncher")
    void everyRoundLeavesADumpOfTheProgramUnderTheLaunchersLoader(GrowthPrograms.Program program, Launcher launcher) {
        List<Path> dumps = GrowthPrograms.dumps(program.name(), launcher);
        assertThat(dumps).hasSize(GrowthPrograms.DUMPS).allSatisfy(dump -> assertThat(dump).isRegularFile());

        for (Census census : censuses(program, launcher)) {
            assertThat(census.programLoader()).as("the loader of %s", program.mainClass())
                    .isNotNull()
                    .matches(launcher::isProgramLoader, "is " + launcher + "'s loader");
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("leaksUnderEveryLauncher")
    void whatLeaksGainsItsCountAndPayloadAtEveryDump(GrowthPrograms.Program program, Launcher launcher) {
        List<Census> censuses = censuses(program, launcher);
        for (GrowthPrograms.Growth growth : program.growing()) {
            String element = growth.elementClass();
            assertThat(censuses.get(0).count(element)).as("instances of %s in the first dump", element)
                    .isGreaterThanOrEqualTo(growth.perRound());
            for (int i = 1; i < censuses.size(); i++) {
                assertThat(censuses.get(i).count(element) - censuses.get(i - 1).count(element))
                        .as("instances of %s gained from dump %d to dump %d", element, i, i + 1)
                        .isGreaterThanOrEqualTo(growth.perRound());
                assertThat(censuses.get(i).bytes("byte[]") - censuses.get(i - 1).bytes("byte[]"))
                        .as("bytes of byte[] gained from dump %d to dump %d, with the elements' payloads", i, i + 1)
                        .isGreaterThanOrEqualTo(growth.payloadBytes());
            }
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyProgramUnderEveryLauncher")
    void theCacheAndTheLruHoldAsManyValuesAtEveryDump(GrowthPrograms.Program program, Launcher launcher) {
        List<Census> censuses = censuses(program, launcher);
        for (GrowthPrograms.Flat flat : program.flat()) {
            for (int i = 0; i < censuses.size(); i++) {
                assertThat(censuses.get(i).count(flat.elementClass()))
                        .as("instances of %s, the values of %s, in dump %d", flat.elementClass(), flat.owner(), i + 1)
                        .isCloseTo(flat.count(), within(flat.count() / 100));
            }
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("healthyUnderEveryLauncher")
    void noClassOfAHealthyProgramGainsInstancesAtEveryDump(GrowthPrograms.Program program, Launcher launcher) {
        List<Census> censuses = censuses(program, launcher);

        assertThat(censuses.get(0).instances().keySet()).as("the classes of the first dump")
                .anyMatch(program::isProgramClass);
        assertThat(programClassesGainingAtEveryDump(program, censuses))
                .as("classes of %s that gain instances at every dump", program).isEmpty();
    }

    /** The check that a healthy program passes is not blind: in a leaking one, it finds what leaks. */
    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("leaksUnderEveryLauncher")
    void theSameCheckFindsTheElementClassOfALeak(GrowthPrograms.Program program, Launcher launcher) {
        List<Census> censuses = censuses(program, launcher);

        assertThat(programClassesGainingAtEveryDump(program, censuses))
                .as("classes of %s that gain instances at every dump", program)
                .containsAll(program.growing().stream().map(GrowthPrograms.Growth::elementClass).toList());
    }

    private static List<String> programClassesGainingAtEveryDump(GrowthPrograms.Program program,
                                                                 List<Census> censuses) {
        return censuses.get(censuses.size() - 1).instances().keySet().stream()
                .filter(program::isProgramClass)
                .filter(className -> {
                    for (int i = 1; i < censuses.size(); i++) {
                        if (censuses.get(i).count(className) <= censuses.get(i - 1).count(className)) {
                            return false;
                        }
                    }
                    return true;
                })
                .sorted().toList();
    }
}

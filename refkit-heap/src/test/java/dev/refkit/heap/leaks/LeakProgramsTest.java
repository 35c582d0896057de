package dev.refkit.heap.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HeapClass;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.Histogram;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every program of the corpus runs under every launcher and leaves a dump that holds what it built, with
 * its classes defined by the launcher's loader: a program broken under one launcher fails here, before any
 * analysis of its dump.
 */
class LeakProgramsTest {

    static Stream<Arguments> everyProgramUnderEveryLauncher() {
        return LeakPrograms.all().stream()
                .flatMap(program -> Arrays.stream(Launcher.values()).map(launcher -> Arguments.of(program, launcher)));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyProgramUnderEveryLauncher")
    void programLeavesADumpOfWhatItBuiltUnderTheLaunchersLoader(LeakPrograms.Program program, Launcher launcher)
            throws IOException {
        Path path = LeakPrograms.dump(program.name(), launcher);

        try (HeapDump dump = HeapDump.open(path)) {
            HeapGraph graph = dump.graph();
            HeapClass main = graph.findClass(program.mainClass());
            assertThat(main).as("the program's main class in %s", path).isNotNull();
            assertThat(graph.classOf(main.classLoader()).name())
                    .as("the loader of %s", program.mainClass())
                    .matches(launcher::isProgramLoader, "is " + launcher + "'s loader");
            assertThat(graph.findClass(program.keyClass())).as("the class %s in %s", program.keyClass(), path)
                    .isNotNull();
            Histogram.Entry key = dump.histogram().entry(program.keyClass());
            assertThat(key == null ? 0 : key.instances()).as("instances of %s", program.keyClass())
                    .isGreaterThanOrEqualTo(program.keyInstances());
        }
    }
}

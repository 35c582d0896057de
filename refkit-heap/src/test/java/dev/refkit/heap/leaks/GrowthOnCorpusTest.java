package dev.refkit.heap.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.PathProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Growth across three dumps of each growth program, under every launcher: the growing path is the leak (its owner,
 * its container, what accumulates, by how much at every step), never the larger cache filled once nor the LRU
 * that replaces its entries; a program that does not leak has no growing path at all.
 */
class GrowthOnCorpusTest {

    static Stream<Arguments> everyProgramUnderEveryLauncher() {
        return GrowthPrograms.all().stream()
                .flatMap(program -> Arrays.stream(Launcher.values()).map(launcher -> Arguments.of(program, launcher)));
    }

    private static List<PathProfile> profiles(GrowthPrograms.Program program, Launcher launcher) throws IOException {
        List<PathProfile> profiles = new ArrayList<>();
        for (Path file : GrowthPrograms.dumps(program.name(), launcher)) {
            try (HeapDump dump = HeapDump.open(file)) {
                profiles.add(HeapAnalysis.of(dump).pathProfile());
            }
        }
        return profiles;
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyProgramUnderEveryLauncher")
    void theLeakIsTheGrowingPathAndNothingElse(GrowthPrograms.Program program, Launcher launcher) throws IOException {
        HeapGrowth growth = HeapGrowth.of(profiles(program, launcher));

        assertThat(growth.growing()).as("growing paths of %s under %s", program.name(), launcher)
                .hasSize(program.growing().size());
        for (int i = 0; i < program.growing().size(); i++) {
            GrowthPrograms.Growth expected = program.growing().get(i);
            HeapGrowth.GrowingPath path = growth.growing().get(i);
            assertThat(path.owner()).as("%s", path).endsWith(expected.owner());
            assertThat(path.container()).as("%s", path).isEqualTo(expected.container());
            assertThat(path.elementClass()).as("%s", path).isEqualTo(expected.elementClass());
            assertThat(path.objectsPerStep()).as("%s", path).isGreaterThanOrEqualTo(expected.perRound());
            assertThat(path.bytesPerStep()).as("%s", path).isGreaterThanOrEqualTo(expected.payloadBytes());
        }
        for (GrowthPrograms.Flat flat : program.flat()) {
            assertThat(growth.growing()).extracting(HeapGrowth.GrowingPath::elementClass)
                    .doesNotContain(flat.elementClass());
        }
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyProgramUnderEveryLauncher")
    void aGrowingPathHasTheFingerprintOfItsLeakSuspectInTheLastDump(GrowthPrograms.Program program, Launcher launcher)
            throws IOException {
        if (program.growing().isEmpty()) {
            return;
        }
        HeapGrowth growth = HeapGrowth.of(profiles(program, launcher));
        List<Path> dumps = GrowthPrograms.dumps(program.name(), launcher);
        List<String> suspects;
        try (HeapDump dump = HeapDump.open(dumps.get(dumps.size() - 1))) {
            suspects = HeapAnalysis.of(dump).leakSuspects().stream().map(LeakSuspect::fingerprint).toList();
        }

        assertThat(suspects).as("the last dump's suspects of %s", program.name())
                .contains(growth.growing().get(0).fingerprint());
    }
}

package dev.refkit.heap.leaks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.Reachability;
import dev.refkit.heap.analysis.ReachabilityCensus;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A live dump (written after a full collection) has no garbage: the objects no GC root of the dump reaches are
 * those HotSpot keeps without writing a root for them (interned strings, hidden classes, reflection data), and
 * the census says so instead of calling them garbage. (A dump with real garbage, written with live=false, is
 * MarkerHeapDumpTest's.)
 */
class LiveDumpCensusTest {

    @ParameterizedTest
    @EnumSource(Launcher.class)
    void unreachableObjectsOfALiveDumpAreTheJvmsOwn(Launcher launcher) throws IOException {
        try (HeapDump dump = HeapDump.open(LeakPrograms.dump("IdleProgram", launcher))) {
            ReachabilityCensus census = HeapAnalysis.of(dump).reachability();

            assertThat(census.count(Reachability.UNREACHABLE)).isPositive();
            assertThat(census.unreachableHeldByJvm()).isTrue();
            assertThat(census.summary()).contains("held by the JVM without a GC root in the dump")
                    .doesNotContain("garbage");
        }
    }
}

package dev.refkit.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.heap.analysis.HeapAnalysis;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyses' long phases tell a listener how far they have come, as the open does: each phase from its
 * first report to its whole, never backwards, never past its total, in the order the analyses run.
 */
class AnalysisProgressTest {

    private record Report(String phase, long done, long total) {
    }

    @Test
    void everyLongPhaseReportsItsWayToTheEnd(@TempDir Path dir) throws IOException {
        // 300,000 nodes: about 430,000 objects, several reports per pass
        Path file = SyntheticHeap.write(dir.resolve("list.hprof"), 300_000);
        List<Report> reports = new ArrayList<>();
        try (HeapDump dump = HeapDump.open(file)) {
            HeapAnalysis analysis = HeapAnalysis.of(dump, (phase, done, total) -> reports.add(new Report(phase, done, total)));
            analysis.reachability();
            analysis.dominators();
            analysis.leakSuspects();
        }

        Map<String, List<Report>> byPhase = new LinkedHashMap<>();
        for (Report r : reports) {
            byPhase.computeIfAbsent(r.phase(), p -> new ArrayList<>()).add(r);
        }
        assertThat(byPhase.keySet()).containsExactly("reachability", "dominators", "shortest paths", "leak suspects");
        byPhase.forEach((phase, list) -> {
            assertThat(list).as(phase).hasSizeGreaterThan(phase.equals("leak suspects") ? 1 : 3);
            long total = list.get(0).total();
            assertThat(total).as(phase).isPositive();
            for (int i = 0; i < list.size(); i++) {
                Report r = list.get(i);
                assertThat(r.total()).as(phase).isEqualTo(total);
                assertThat(r.done()).as(phase).isBetween(0L, total);
                if (i > 0) {
                    assertThat(r.done()).as(phase).isGreaterThanOrEqualTo(list.get(i - 1).done());
                }
            }
            assertThat(list.get(list.size() - 1).done()).as(phase).isEqualTo(total);
        });
    }
}

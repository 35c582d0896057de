package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.cli.explorer.Explorer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer started with three dumps of one program serves what grew across them, as {@code refkit diff}
 * tells it; started with one, it says there is nothing to compare.
 */
class ExplorerDiffTest {

    @TempDir
    static Path dir;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static String diff(HeapDump dump, HeapAnalysis analysis, HeapGrowth growth) throws Exception {
        try (Explorer explorer = Explorer.start(dump, analysis, growth, InetAddress.getLoopbackAddress(), 0)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(explorer.url().resolve("/api/diff"))
                    .header("X-Refkit-Token", explorer.token()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }
    }

    @Test
    void threeDumpsOfAGrowingLogServeItsGrowingPathWithCountsPerDump() throws Exception {
        ChildDump.run(GrowingApp.class, "256m", dir.resolve("leak").toString(), "leak");
        List<PathProfile> profiles = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            try (HeapDump dump = HeapDump.open(dir.resolve("leak-" + i + ".hprof"))) {
                profiles.add(HeapAnalysis.of(dump).pathProfile());
            }
        }
        try (HeapDump last = HeapDump.open(dir.resolve("leak-3.hprof"))) {
            HeapAnalysis analysis = HeapAnalysis.of(last);
            profiles.add(analysis.pathProfile());

            String json = diff(last, analysis, HeapGrowth.of(profiles));

            assertThat(json).contains("\"owner\":\"static field " + GrowingApp.class.getName() + ".EVENTS\"")
                    .contains("\"counts\":[1000,2000,3000]")
                    .contains("\"elementClass\":\"" + GrowingApp.AuditEvent.class.getName() + "\"")
                    .doesNotContain("CATALOG").doesNotContain("RECENT");
            assertThat(diff(last, analysis, null)).isEqualTo("{\"growing\":null}");
        }
    }
}

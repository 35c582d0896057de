package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReachabilityCensusTest {

    private static ReachabilityCensus census() {
        TestGraph.Builder b = TestGraph.builder();
        int root = b.object("App", 100);
        int soft = b.object("java.lang.ref.SoftReference", 50);
        int cached = b.object("Image", 1000);
        int cached2 = b.object("Image", 1000);
        int garbage = b.object("Image", 400);
        int orphan = b.object(30);
        b.root(root).ref(root, soft).ref(soft, cached, Reachability.SOFT, "referent").ref(cached, cached2);
        assertThat(garbage).isNotEqualTo(orphan);
        return ReachabilityCensus.of(b.build());
    }

    @Test
    void countsAndBytesPerReachability() {
        ReachabilityCensus census = census();

        assertThat(census.count(Reachability.STRONG)).isEqualTo(2);
        assertThat(census.shallowBytes(Reachability.STRONG)).isEqualTo(150);
        assertThat(census.count(Reachability.SOFT)).isEqualTo(2);
        assertThat(census.shallowBytes(Reachability.SOFT)).isEqualTo(2000);
        assertThat(census.count(Reachability.UNREACHABLE)).isEqualTo(2);
        assertThat(census.shallowBytes(Reachability.UNREACHABLE)).isEqualTo(430);
        assertThat(census.totalShallowBytes()).isEqualTo(2580);
    }

    @Test
    void perClassRowsSplitAClassByReachabilityAndKeepObjectsWithoutClass() {
        ReachabilityCensus census = census();

        assertThat(census.classCounts()).contains(
                new ReachabilityCensus.ClassCount("Image", Reachability.SOFT, 2, 2000),
                new ReachabilityCensus.ClassCount("Image", Reachability.UNREACHABLE, 1, 400),
                new ReachabilityCensus.ClassCount("<no class>", Reachability.UNREACHABLE, 1, 30));
        assertThat(census.classCounts().get(0).shallowBytes()).isEqualTo(2000);
    }

    @Test
    void summaryStatesSoftAndGarbageShares() {
        String summary = census().summary();

        assertThat(summary).contains("6 objects").contains("only softly reachable 2.0 KB (77.5%)")
                .contains("unreachable garbage 430 B (16.7%)");
    }
}

package dev.refkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    @Test
    void lowRanksAreDrawnInProportionToOneOverRank() {
        ZipfSampler zipf = new ZipfSampler(1_000, 1.0, 7);
        int[] counts = new int[1_000];
        for (int i = 0; i < 200_000; i++) {
            counts[zipf.next()]++;
        }
        // P(rank 0) / P(rank 1) = 2 and P(rank 0) / P(rank 9) = 10 for s = 1.
        assertThat((double) counts[0] / counts[1]).isBetween(1.8, 2.2);
        assertThat((double) counts[0] / counts[9]).isBetween(8.5, 11.5);
    }

    @Test
    void everyDrawIsARank() {
        ZipfSampler zipf = new ZipfSampler(3, 0.8, 1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(zipf.next()).isBetween(0, 2);
        }
    }

    @Test
    void theSameSeedRepeatsTheSameWorkload() {
        ZipfSampler a = new ZipfSampler(100, 1.1, 99);
        ZipfSampler b = new ZipfSampler(100, 1.1, 99);
        for (int i = 0; i < 1_000; i++) {
            assertThat(a.next()).isEqualTo(b.next());
        }
    }

    @Test
    void anEmptyRangeIsRejectedWithTheReason() {
        assertThatThrownBy(() -> new ZipfSampler(0, 1, 1)).hasMessageContaining("at least one rank");
    }
}

package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteEstimateTest {

    @Test
    void theEstimateIsTheHeapInUsePerEntryHeld() {
        ByteEstimate estimate = new ByteEstimate();
        estimate.observe(100 * 1_000, 100);

        assertThat(estimate.bytesPerEntry()).isEqualTo(1_000);
    }

    @Test
    void theSmallestReadingOfTheWindowWinsOverReadingsInflatedByGarbageOrTheRestOfTheProgram() {
        ByteEstimate estimate = new ByteEstimate();
        estimate.observe(200 * 1_000, 200);
        estimate.observe(500 * 1_000, 200);    // old garbage counted by a young collection
        estimate.observe(2_000 * 1_000, 200);  // another part of the program took the heap for a while

        assertThat(estimate.bytesPerEntry()).isEqualTo(1_000);
    }

    @Test
    void readingsFallOutOfTheWindow() {
        ByteEstimate estimate = new ByteEstimate();
        estimate.observe(100 * 1_000, 100);
        for (int i = 0; i < ByteEstimate.WINDOW; i++) {
            estimate.observe(100 * 4_000, 100); // the values grew
        }

        assertThat(estimate.bytesPerEntry()).isEqualTo(4_000);
    }

    @Test
    void readingsWithTooFewEntriesTeachNothing() {
        ByteEstimate estimate = new ByteEstimate();
        estimate.observe(50_000_000, ByteEstimate.MIN_HELD - 1);

        assertThat(estimate.bytesPerEntry()).isEqualTo(1);
    }
}

package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrequencySketchTest {

    @Test
    void aKeyNeverSeenHasFrequencyZero() {
        assertThat(new FrequencySketch().frequency(42)).isZero();
    }

    @Test
    void eachEventOfAKeyCountsOnce() {
        FrequencySketch sketch = new FrequencySketch();
        for (int i = 0; i < 5; i++) {
            sketch.increment(7);
        }

        assertThat(sketch.frequency(7)).isEqualTo(5);
    }

    @Test
    void countsStopAtFifteen() {
        FrequencySketch sketch = new FrequencySketch();
        for (int i = 0; i < 40; i++) {
            sketch.increment(7);
        }

        assertThat(sketch.frequency(7)).isEqualTo(FrequencySketch.MAX_COUNT);
    }

    @Test
    void aFrequentKeyDoesNotMakeTheOthersLookFrequent() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.ensureCapacity(1_000);
        for (int i = 0; i < 15; i++) {
            sketch.increment(1);
        }
        int inflated = 0;
        for (int key = 2; key < 1_000; key++) {
            sketch.increment(key);
            if (sketch.frequency(key) > 1) {
                inflated++;
            }
        }

        assertThat(inflated).as("keys seen once that the sketch counts more than once").isLessThan(20);
    }

    @Test
    void countsHalveAfterASampleOfEvents() {
        FrequencySketch sketch = new FrequencySketch(); // 64 words: a sample of 640 events
        for (int i = 0; i < 12; i++) {
            sketch.increment(3);
        }
        for (int key = 1_000; key < 1_700; key++) {
            sketch.increment(key);
        }

        assertThat(sketch.frequency(3)).isEqualTo(6);
    }

    @Test
    void growingStartsAfresh() {
        FrequencySketch sketch = new FrequencySketch();
        sketch.increment(9);
        sketch.ensureCapacity(100_000);

        assertThat(sketch.frequency(9)).isZero();
    }
}

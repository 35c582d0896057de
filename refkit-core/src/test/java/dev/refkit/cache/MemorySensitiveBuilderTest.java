package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code memorySensitive(...)} and {@code weigher(...)}: the marks' validation and the options they exclude. */
class MemorySensitiveBuilderTest {

    @ParameterizedTest
    @CsvSource({"1.0, 0.5", "0.9, 0.0", "1.2, 0.7", "-0.1, -0.5", "NaN, 0.5", "0.8, NaN"})
    void waterMarksOutsideZeroToOneAreRejectedWithAnExample(double high, double low) {
        assertThatThrownBy(() -> ReferenceCache.builder().memorySensitive(high, low))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes fractions of the heap, above 0 and below 1")
                .hasMessageContaining("got highWater " + high + ", lowWater " + low)
                .hasMessageContaining("for example memorySensitive(0.8, 0.65)");
    }

    @ParameterizedTest
    @CsvSource({"0.6, 0.7", "0.7, 0.7"})
    void aLowWaterMarkNotBelowTheHighOneIsRejectedExplainingBoth(double high, double low) {
        assertThatThrownBy(() -> ReferenceCache.builder().memorySensitive(high, low))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs lowWater below highWater (got highWater " + high + ", lowWater " + low)
                .hasMessageContaining("starts releasing entries when a collection leaves the heap fuller than "
                        + "highWater, and stops when it would be at lowWater");
    }

    @Test
    void memorySensitiveSetTwiceIsRejectedNamingTheFirstMarks() {
        assertThatThrownBy(() -> ReferenceCache.builder().memorySensitive(0.9, 0.8).memorySensitive())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memorySensitive was already set (highWater 0.9, lowWater 0.8)");
        assertThatThrownBy(() -> ReferenceCache.builder().memorySensitive().memorySensitive(0.9, 0.8))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memorySensitive was already set (the collector's default marks)");
    }

    @Test
    void aValueStrengthBesideMemorySensitiveIsRejectedAtBuild() {
        ReferenceCache.Builder<Object, Object> builder = ReferenceCache.builder().softValues().memorySensitive();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("memorySensitive() decides how values are held")
                .hasMessageContaining("remove values(SOFT)");
    }

    @Test
    void keepRecentBesideMemorySensitiveIsRejectedAtBuild() {
        ReferenceCache.Builder<Object, Object> builder = ReferenceCache.builder().memorySensitive().keepRecent(100);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keepRecent(100) has no effect with memorySensitive()");
    }

    @Test
    void weakKeysBesideMemorySensitiveAreRejectedAtBuild() {
        ReferenceCache.Builder<Object, Object> builder = ReferenceCache.builder().weakKeys().memorySensitive();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("remove weakKeys()");
    }

    @Test
    void aWeigherWithoutMemorySensitiveIsRejectedAtBuild() {
        ReferenceCache.Builder<String, byte[]> builder =
                ReferenceCache.builder().weigher((String key, byte[] value) -> value.length);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("weigher(...) sizes the entries of a memorySensitive() cache")
                .hasMessageContaining("add memorySensitive(), or remove the weigher");
    }

    @Test
    void aMemorySensitiveCacheLoadsAndAnswersLikeAnyOther() {
        ReferenceCache<String, Integer> cache = ReferenceCache.builder().memorySensitive().recordStats()
                .weigher((String key, Integer value) -> 16).build(String::length);

        assertThat(cache.get("four")).isEqualTo(4);
        assertThat(cache.get("four")).isEqualTo(4);

        assertThat(cache.stats().loadCount()).isEqualTo(1);
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.strongTier()).isInstanceOf(PressureTier.class);
        assertThat(cache.toString()).contains("resident=1");
    }
}

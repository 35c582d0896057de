package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.refkit.Strength;
import org.junit.jupiter.api.Test;

class ReferenceCacheBuilderTest {

    @Test
    void keepRecentOnACacheThatHoldsEverythingStronglyIsRejectedAtBuild() {
        ReferenceCache.Builder<Object, Object> builder = ReferenceCache.builder().strongValues().keepRecent(10);

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keepRecent(10) has no effect").hasMessageContaining("remove keepRecent");
    }

    @Test
    void theBuilderCanBeTypedUpFrontLikeAReferenceMapBuilder() {
        ReferenceCache.Builder<String, Integer> builder = ReferenceCache.<String, Integer>builder().recordStats();
        ReferenceCache<String, Integer> cache = builder.build(String::length);

        assertThat(cache.get("four")).isEqualTo(4);
        assertThat(cache.stats().loadCount()).isEqualTo(1);
    }

    @Test
    void anUntypedChainStillInfersItsTypesFromBuild() {
        ReferenceCache.Builder<Object, Object> untyped = ReferenceCache.builder().softValues();
        ReferenceCache<String, Integer> cache = untyped.build((String key) -> key.length());

        assertThat(cache.get("three")).isEqualTo(5);
    }

    @Test
    void keepRecentNeedsAPositiveCount() {
        assertThatThrownBy(() -> ReferenceCache.builder().keepRecent(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n > 0");
    }

    @Test
    void anOptionSetTwiceIsRejectedNamingTheFirstSetting() {
        assertThatThrownBy(() -> ReferenceCache.builder().keepRecent(5).keepRecent(6))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to 5");
        assertThatThrownBy(() -> ReferenceCache.builder().weakValues().softValues())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to WEAK");
        assertThatThrownBy(() -> ReferenceCache.builder().weakKeys().keys(Strength.STRONG))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set to WEAK");
    }

    @Test
    void softKeysAreRejectedWithTheAlternatives() {
        assertThatThrownBy(() -> ReferenceCache.builder().keys(Strength.SOFT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weakKeys()");
    }

    @Test
    void aSecondRemovalListenerIsRejected() {
        assertThatThrownBy(() -> ReferenceCache.builder()
                .removalListener((k, v, c) -> { })
                .removalListener((k, v, c) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    }

    @Test
    void aNullLoaderIsRejected() {
        assertThatThrownBy(() -> ReferenceCache.builder().build(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("loader");
    }
}

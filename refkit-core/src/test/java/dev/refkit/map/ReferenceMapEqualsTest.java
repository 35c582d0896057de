package dev.refkit.map;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code equals} and {@code hashCode} follow the one rule the class documentation states: two maps are equal
 * when they are the same size and each finds every entry of the other, keys looked up as that map looks them
 * up and values compared with {@code equals}. The answer is the same in both directions against a
 * {@link HashMap}, and {@code entrySet().equals} agrees with {@code equals}.
 */
class ReferenceMapEqualsTest {

    @Test
    void anIdentityKeyedMapAndAHashMapWithAnEqualCopyOfItsKeyAreUnequalBothWays() {
        ReferenceMap<String, String> weak = ReferenceMap.<String, String>builder().weakKeys().build();
        String key = new String("key");
        weak.put(key, "v");
        Map<String, String> copy = new HashMap<>(Map.of(new String("key"), "v"));

        assertThat(copy.equals(weak)).as("HashMap.equals(weak-keyed map)").isFalse();
        assertThat(weak.equals(copy)).as("weak-keyed map.equals(HashMap)").isFalse();
        assertThat(weak.entrySet().equals(copy.entrySet())).as("entrySet().equals").isFalse();
    }

    @Test
    void anIdentityKeyedMapEqualsAHashMapHoldingTheVeryKeysWithEqualValuesBothWays() {
        ReferenceMap<String, String> weak = ReferenceMap.<String, String>builder().weakKeys().weakValues().build();
        String key = new String("key");
        String value = new String("v");
        weak.put(key, value);
        Map<String, String> copy = new HashMap<>(Map.of(key, new String("v")));

        assertThat(copy.equals(weak)).as("HashMap.equals(weak map)").isTrue();
        assertThat(weak.equals(copy)).as("weak map.equals(HashMap)").isTrue();
        assertThat(weak.entrySet().equals(copy.entrySet())).as("entrySet().equals").isTrue();
        assertThat(weak.hashCode()).isEqualTo(copy.hashCode());
        assertThat(weak.entrySet().hashCode()).isEqualTo(copy.hashCode());
    }

    @Test
    void mapsWithDifferentKeyEquivalencesAgreeBothWays() {
        ReferenceMap<String, String> byIdentity = ReferenceMap.<String, String>builder().weakKeys().build();
        ReferenceMap<String, String> byEquals = ReferenceMap.<String, String>builder().build();
        String first = new String("k");
        String second = new String("k");
        byIdentity.put(first, "v");
        byIdentity.put(second, "v");
        byEquals.put("k", "v");
        byEquals.put("other", "v");

        assertThat(byIdentity.equals(byEquals)).isFalse();
        assertThat(byEquals.equals(byIdentity)).isFalse();
        assertThat(byIdentity.entrySet().equals(byEquals.entrySet())).isFalse();
        assertThat(byEquals.entrySet().equals(byIdentity.entrySet())).isFalse();
    }

    @Test
    void entriesClearedButNotExpungedCountUntilCleanUpInBothDirections() {
        ReferenceMap<Object, String> weak = ReferenceMap.<Object, String>builder().weakKeys().build();
        List<WeakReference<Object>> dropped = new ArrayList<>();
        Map<Object, String> liveCopy = putKeepingEveryOther(weak, 20, dropped);
        dropped.forEach(GcFinalization::awaitClear);

        // size() may still count the cleared entries, and HashMap.equals compares sizes first: both agree.
        assertThat(weak.equals(liveCopy)).isEqualTo(liveCopy.equals(weak));
        assertThat(weak.entrySet().equals(liveCopy.entrySet())).isEqualTo(weak.equals(liveCopy));

        weak.cleanUp();

        assertThat(weak.equals(liveCopy)).isTrue();
        assertThat(liveCopy.equals(weak)).isTrue();
        assertThat(weak.entrySet().equals(liveCopy.entrySet())).isTrue();
        assertThat(weak.hashCode()).isEqualTo(liveCopy.hashCode());
    }

    /** In a method of its own, so that no dead local of the test's frame refers to a dropped key. */
    private static Map<Object, String> putKeepingEveryOther(ReferenceMap<Object, String> map, int n,
                                                            List<WeakReference<Object>> dropped) {
        Map<Object, String> kept = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Object key = new Object();
            map.put(key, "v" + i);
            if (i % 2 == 0) {
                kept.put(key, "v" + i);
            } else {
                dropped.add(new WeakReference<>(key));
            }
        }
        return kept;
    }
}

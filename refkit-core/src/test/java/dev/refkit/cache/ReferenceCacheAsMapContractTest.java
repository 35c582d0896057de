package dev.refkit.cache;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.Map;
import java.util.function.Supplier;
import junit.framework.Test;
import junit.framework.TestSuite;

/**
 * The {@link java.util.concurrent.ConcurrentMap} contract of {@link ReferenceCache#asMap()}, checked by
 * guava-testlib's generated suite for soft and strong values, with and without the recent tier (the suite's sample values stay strongly
 * reachable while it runs, so nothing is collected under it).
 */
public final class ReferenceCacheAsMapContractTest {

    private ReferenceCacheAsMapContractTest() {
    }

    public static Test suite() {
        TestSuite suite = new TestSuite("ReferenceCache.asMap()");
        suite.addTest(contract("soft values", () -> ReferenceCache.builder().build()));
        suite.addTest(contract("strong values", () -> ReferenceCache.builder().strongValues().build()));
        suite.addTest(contract("soft values, recent tier and listener", () -> ReferenceCache.builder()
                .keepRecent(3).recordStats().removalListener((k, v, c) -> { }).build()));
        return suite;
    }

    private static Test contract(String name, Supplier<ReferenceCache<String, String>> caches) {
        return ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        Map<String, String> map = caches.get().asMap();
                        for (Map.Entry<String, String> e : entries) {
                            map.put(e.getKey(), e.getValue());
                        }
                        return map;
                    }
                })
                .named(name)
                .withFeatures(MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionSize.ANY)
                .createTestSuite();
    }
}

package dev.refkit.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.MapMaker;
import dev.refkit.map.ReferenceMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.collections4.map.AbstractReferenceMap.ReferenceStrength;
import org.apache.commons.collections4.map.ReferenceIdentityMap;
import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * The maps measured side by side: refkit's {@link ReferenceMap} and its peers, each in the strength
 * configurations it supports. Referenced keys use identity where the peer allows it (refkit, Caffeine,
 * Guava, commons' ReferenceIdentityMap); WeakHashMap compares keys with {@code equals}.
 *
 * <p>Spring's ConcurrentReferenceHashMap references whole entries (key and value together), so its SOFT
 * mode stands in for {@code softValues}; its WEAK mode drops entries at the next collection even while
 * key and value are in use, which matches none of the weak configurations, so it is not measured there.
 */
final class MapPeers {

    static final List<String> IMPLS = List.of("refkit", "caffeine", "guava", "spring", "commons", "weakhashmap", "chm");
    static final List<String> CONFIGS = List.of("weakKeys", "softValues", "weakKeys+weakValues");

    private MapPeers() {
    }

    /** Whether {@code impl} can be configured as {@code config}. */
    static boolean supports(String impl, String config) {
        return switch (impl) {
            case "spring" -> config.equals("softValues");
            case "weakhashmap" -> config.equals("weakKeys");
            default -> IMPLS.contains(impl) && CONFIGS.contains(config);
        };
    }

    /** A new, empty map of {@code impl} in {@code config}, sized for {@code capacity} entries. */
    static Map<Object, Object> create(String impl, String config, int capacity) {
        if (!supports(impl, config)) {
            throw new IllegalArgumentException("skipped: " + impl + " has no " + config
                    + " configuration; supported: " + supportedList());
        }
        boolean weakKeys = config.startsWith("weakKeys");
        boolean weakValues = config.endsWith("weakValues");
        return switch (impl) {
            case "refkit" -> {
                ReferenceMap.Builder<Object, Object> b = ReferenceMap.builder().initialCapacity(capacity);
                if (weakKeys) {
                    b.weakKeys();
                }
                if (weakValues) {
                    b.weakValues();
                } else if (!weakKeys) {
                    b.softValues();
                }
                yield b.build();
            }
            case "caffeine" -> {
                Caffeine<Object, Object> b = Caffeine.newBuilder().initialCapacity(capacity).executor(Runnable::run);
                if (weakKeys) {
                    b.weakKeys();
                }
                if (weakValues) {
                    b.weakValues();
                } else if (!weakKeys) {
                    b.softValues();
                }
                yield b.build().asMap();
            }
            case "guava" -> {
                if (config.equals("softValues")) {
                    yield CacheBuilder.newBuilder().initialCapacity(capacity).softValues().build().asMap();
                }
                MapMaker m = new MapMaker().initialCapacity(capacity).weakKeys();
                yield weakValues ? m.weakValues().makeMap() : m.makeMap();
            }
            case "spring" -> new ConcurrentReferenceHashMap<>(capacity, ConcurrentReferenceHashMap.ReferenceType.SOFT);
            case "commons" -> Collections.synchronizedMap(new ReferenceIdentityMap<>(
                    weakKeys ? ReferenceStrength.WEAK : ReferenceStrength.HARD,
                    weakValues ? ReferenceStrength.WEAK : weakKeys ? ReferenceStrength.HARD : ReferenceStrength.SOFT,
                    capacity, 0.75f, false));
            case "weakhashmap" -> Collections.synchronizedMap(new WeakHashMap<>(capacity));
            case "chm" -> new ConcurrentHashMap<>(capacity);
            default -> throw new AssertionError(impl);
        };
    }

    static String supportedList() {
        StringBuilder out = new StringBuilder();
        for (String impl : IMPLS) {
            for (String config : CONFIGS) {
                if (supports(impl, config)) {
                    out.append(out.length() == 0 ? "" : ", ").append(impl).append('/').append(config);
                }
            }
        }
        return out.toString();
    }
}

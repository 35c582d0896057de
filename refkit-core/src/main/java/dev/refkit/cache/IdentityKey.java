package dev.refkit.cache;

/**
 * A key compared by identity, for the cache's own bookkeeping (loads in flight, the recent tier) when the
 * cache's keys are weak and therefore compared by identity.
 */
final class IdentityKey {
    private final Object key;

    IdentityKey(Object key) {
        this.key = key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey other && other.key == key;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(key);
    }

    @Override
    public String toString() {
        return String.valueOf(key);
    }
}

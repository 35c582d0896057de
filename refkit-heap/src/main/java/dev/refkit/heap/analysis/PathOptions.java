package dev.refkit.heap.analysis;

/**
 * Which references a search for paths from GC roots may follow, and how many paths to return per object.
 *
 * <p>By default only strong references are followed: a path through a {@code SoftReference}'s or
 * {@code WeakReference}'s {@code referent} does not explain why an object stays alive, because the
 * collector may clear it. The other fields of a {@code Reference} ({@code queue}, {@code next},
 * {@code discovered}) are strong and always followed.
 *
 * @param includeNonStrong whether soft, weak, finalizer and phantom {@code referent} references may be on a path
 * @param maxPaths         how many paths to return for one object, at least 1; the shortest comes first and
 *                         further ones differ in the last reference (they arrive through different holders).
 *                         More than one path costs a scan of all references, to find the other holders.
 */
public record PathOptions(boolean includeNonStrong, int maxPaths) {

    /**
     * Checks that at least one path is asked for.
     *
     * @param includeNonStrong whether soft, weak, finalizer and phantom {@code referent} references may be on a path
     * @param maxPaths         how many paths to return for one object, at least 1; the shortest comes first and
     *     further ones differ in the last reference (they arrive through different holders).
     *     More than one path costs a scan of all references, to find the other holders.
     */
    public PathOptions {
        if (maxPaths < 1) {
            throw new IllegalArgumentException("maxPaths is " + maxPaths + "; ask for at least one path");
        }
    }

    /** {@return options for strong references only, one (shortest) path: what keeps an object from being collected} */
    public static PathOptions excludingNonStrong() {
        return new PathOptions(false, 1);
    }

    /** {@return options for every reference, including soft, weak, finalizer and phantom referents; one (shortest) path} */
    public static PathOptions includingNonStrong() {
        return new PathOptions(true, 1);
    }

    /**
     * The same references, up to {@code maxPaths} paths per object.
     *
     * @param maxPaths at least 1
     * @return the options with that many paths
     */
    public PathOptions withMaxPaths(int maxPaths) {
        return new PathOptions(includeNonStrong, maxPaths);
    }
}

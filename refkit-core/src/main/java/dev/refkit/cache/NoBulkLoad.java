package dev.refkit.cache;

/** Thrown by the default {@link CacheLoader#loadAll}; tells the cache to fall back to single loads. */
final class NoBulkLoad extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    NoBulkLoad() {
        super("this CacheLoader has no bulk form (loadAll is not overridden); "
                + "ReferenceCache.getAll loads the keys one by one instead");
    }
}

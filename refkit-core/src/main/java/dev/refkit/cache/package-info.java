/**
 * A memory-sensitive loading cache: {@link dev.refkit.cache.ReferenceCache}, built by its
 * {@link dev.refkit.cache.ReferenceCache.Builder}, loads through a {@link dev.refkit.cache.CacheLoader} one
 * load per key at a time, reports every removal to a {@link dev.refkit.cache.RemovalListener} with a
 * {@link dev.refkit.cache.RemovalCause}, counts its work in {@link dev.refkit.cache.CacheStats}, and can hold
 * its most recently used entries strongly so that they survive a collection storm, or (memory-sensitive) hold
 * every entry strongly while the heap has room and give the coldest back first when it has not. A failed load reaches
 * its callers as a {@link dev.refkit.cache.CacheLoadException}.
 */
package dev.refkit.cache;

/**
 * A memory-sensitive loading cache ({@code ReferenceCache}): single-flight loads, statistics, removal
 * causes, and a strong tier for the most recently used entries.
 */
package dev.refkit.cache;

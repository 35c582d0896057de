/**
 * Heap dumps as a compact graph: {@link dev.refkit.heap.HeapDump} opens an HPROF file (plain or gzip),
 * {@link dev.refkit.heap.HeapGraph} numbers its objects densely and keeps their references in primitive
 * arrays, {@link dev.refkit.heap.Histogram} counts instances and shallow bytes per class.
 *
 * <p>Memory: about 10 bytes per object for the index (ids as 4-byte offsets, 4-byte file positions,
 * a 2-byte class index; one more byte for files over 4 GB) and 5 bytes per reference, plus 4 bytes per
 * object for the reference offsets. Names, field values and array lengths stay in the memory-mapped file.
 */
package dev.refkit.heap;

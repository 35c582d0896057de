/**
 * Heap dumps as a compact graph, the public model: {@link dev.refkit.heap.HeapDump} opens an HPROF file (plain or
 * gzip), {@link dev.refkit.heap.HeapGraph} numbers its objects densely and gives their classes, references, roots
 * and field values, {@link dev.refkit.heap.Histogram} counts instances and shallow bytes per class. They are the
 * face of the index layer in {@link dev.refkit.heap.index}, which reads the dump and keeps its arrays; the model
 * adds names and types and nothing that grows with the objects.
 *
 * <p>Memory: about 10 bytes per object for the index (ids and file positions packed in 8 bytes, a 2-byte class
 * index; one more byte for files over 4 GB), 8 bytes per object for the reference offsets and 5 bytes per
 * reference; where they live, and why, is in {@link dev.refkit.heap.index}. Names, field values and array lengths
 * stay in the memory-mapped file.
 */
package dev.refkit.heap;

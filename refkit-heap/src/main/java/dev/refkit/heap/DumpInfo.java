package dev.refkit.heap;

import java.nio.file.Path;

/**
 * Facts about a dump and its index.
 *
 * @param file the dump as opened
 * @param formatVersion the HPROF version from the header: {@code 1.0.1}, {@code 1.0.2} or {@code 1.0.3}
 * @param idSize width of identifiers, 4 or 8 bytes
 * @param timestamp when the dump was written, milliseconds since the epoch
 * @param bytes bytes of HPROF content (after decompression)
 * @param gzipped whether the file was gzip-compressed
 * @param vmLayout the object layout inferred for the JVM that wrote the dump, e.g.
 *                 {@code "64-bit, compressed references"}
 * @param compressedReferences whether that JVM used 32-bit references on a 64-bit heap
 * @param objectCount objects of all kinds: instances, arrays and class objects
 * @param classCount classes, array classes included
 * @param instanceCount ordinary instances
 * @param objectArrayCount object arrays
 * @param primitiveArrayCount primitive arrays
 * @param referenceCount edges of the graph
 * @param danglingReferences non-null references to ids that no object of the dump has; not edges
 * @param gcRootCount GC roots whose object is in the dump
 * @param danglingGcRoots GC roots whose id no object of the dump has; dropped
 * @param duplicateObjects objects written twice with the same id; the first is kept
 * @param indexBytes bytes of the per-object index (ids, file positions, classes), references excluded
 * @param referenceBytes bytes of the reference arrays (CSR offsets, targets, kinds)
 */
public record DumpInfo(Path file, String formatVersion, int idSize, long timestamp, long bytes, boolean gzipped,
                       String vmLayout, boolean compressedReferences, int objectCount, int classCount,
                       int instanceCount, int objectArrayCount, int primitiveArrayCount, long referenceCount,
                       long danglingReferences, int gcRootCount, int danglingGcRoots, int duplicateObjects,
                       long indexBytes, long referenceBytes) {

    /** {@return bytes of index per object, references excluded: the figure to compare with other heap readers} */
    public double indexBytesPerObject() {
        return objectCount == 0 ? 0 : (double) indexBytes / objectCount;
    }
}

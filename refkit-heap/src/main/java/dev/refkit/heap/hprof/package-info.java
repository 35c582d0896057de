/**
 * The HPROF format's vocabulary, as the rest of the API names it: {@link dev.refkit.heap.hprof.BasicType} names
 * the value types of fields and arrays; {@link dev.refkit.heap.hprof.HprofFormatException} reports a file that
 * breaks the format, with the offset and record where it does. The reader itself (mapping the file, reading
 * its records) is machinery of {@code dev.refkit.heap}, not API.
 */
package dev.refkit.heap.hprof;

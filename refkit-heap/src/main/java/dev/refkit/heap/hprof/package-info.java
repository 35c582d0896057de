/**
 * The HPROF format at the byte level: {@link dev.refkit.heap.hprof.HprofFile} maps a dump (decompressing a
 * {@code .hprof.gz} first) and checks its header; {@link dev.refkit.heap.hprof.BasicType} names the value
 * types; {@link dev.refkit.heap.hprof.HprofFormatException} reports a file that breaks the format, with the
 * offset and record where it does.
 */
package dev.refkit.heap.hprof;

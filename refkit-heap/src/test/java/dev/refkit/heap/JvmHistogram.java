package dev.refkit.heap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A class histogram as the JVM prints it ({@code jmap -histo}, {@code jcmd GC.class_histogram}, with or
 * without row numbers and module names), with class names converted to the Java form the reader uses
 * ({@code [Ljava.lang.Object;} becomes {@code java.lang.Object[]}; hidden classes keep their {@code /0x…}).
 */
final class JvmHistogram {

    record Row(String className, long instances, long bytes) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    JvmHistogram(String text) {
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            int at = parts.length > 0 && parts[0].endsWith(":") ? 1 : 0;
            if (parts.length < at + 3 || !parts[at].matches("\\d+") || !parts[at + 1].matches("\\d+")) {
                continue;
            }
            String name = HeapClass.javaName(parts[at + 2]);
            Row row = new Row(name, Long.parseLong(parts[at]), Long.parseLong(parts[at + 1]));
            rows.merge(name, row, (a, b) -> new Row(name, a.instances + b.instances, a.bytes + b.bytes));
        }
    }

    Map<String, Row> rows() {
        return rows;
    }
}

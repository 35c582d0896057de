package dev.refkit.heap.analysis;

import java.util.Locale;

/**
 * Byte counts for people, as the analysis writes them in its summaries and leak descriptions (and the
 * command line in its reports, so that both read the same): binary units, one decimal.
 */
public final class Bytes {

    private Bytes() {
    }

    /**
     * {@code 1536 -> "1.5 KB"}, {@code 0 -> "0 B"}.
     *
     * @param bytes a size in bytes, zero or more
     * @return the size in binary units, one decimal
     */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}

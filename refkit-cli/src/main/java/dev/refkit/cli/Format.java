package dev.refkit.cli;

import dev.refkit.heap.analysis.Bytes;
import java.util.Locale;

/** How the command writes figures: bytes in binary units, counts with grouping, shares in percent. */
final class Format {

    private Format() {
    }

    /** {@code 1536 -> "1.5 KB"}, {@code 0 -> "0 B"}; binary units, one decimal, as the analysis writes them. */
    static String bytes(long bytes) {
        return Bytes.format(bytes);
    }

    /** {@code 1234567 -> "1,234,567"}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part / whole} as {@code "12.5%"}; {@code "-"} when the whole is zero. */
    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** {@code text} cut to {@code width} characters, with an ellipsis where it was cut. */
    static String fit(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** {@code "512KB" -> 524288}, {@code "2MB"}, {@code "1GB"}, {@code "1000"} (binary units, case ignored); -1 when unreadable. */
    static long parseBytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
        long unit = 1;
        for (String[] suffix : new String[][] {{"GIB", "30"}, {"MIB", "20"}, {"KIB", "10"}, {"GB", "30"}, {"MB", "20"},
            {"KB", "10"}, {"G", "30"}, {"M", "20"}, {"K", "10"}, {"B", "0"}}) {
            if (t.endsWith(suffix[0])) {
                unit = 1L << Integer.parseInt(suffix[1]);
                t = t.substring(0, t.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            double value = Double.parseDouble(t);
            if (!(value >= 0) || value * unit > Long.MAX_VALUE / 2.0 || t.isEmpty() || !t.matches("[0-9.]+")) {
                return -1;
            }
            return (long) (value * unit);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

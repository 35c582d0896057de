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
}

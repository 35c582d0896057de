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

    /** An object's id as the dump writes it and {@code paths --object} takes it: {@code 0x7f3a10}. */
    static String id(long id) {
        return "0x" + Long.toHexString(id);
    }

    /** {@code 1234567 -> "1,234,567"}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part / whole} as {@code "12.5%"}; {@code "-"} when the whole is zero. */
    static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** {@code text} cut to {@code width} characters, with an ellipsis where it was cut, never between a surrogate pair. */
    static String fit(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        int cut = Math.max(0, width - 1);
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }

    /**
     * The text with every control character escaped ({@code \n}, {@code \x1b}, {@code \u202e}): a name read from
     * a dump, shown on one line of a terminal as what it is.
     */
    static String safe(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) || c == '\n' || c == '\t') {
                if (escaped == null) {
                    escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                escaped.append(escape(c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** C0 and C1 controls, DEL, and the bidirectional controls that reorder what a terminal shows. */
    static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    /** A control character as visible text. */
    static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x100 ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.format(Locale.ROOT, "\\u%04x", (int) c);
        };
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

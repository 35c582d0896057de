package dev.refkit.cli;

/**
 * JSON text as refkit writes it: a small writer that places commas itself, and the one escaping of strings (controls
 * and a surrogate cut from its pair as {@code \\uXXXX}, so that the text stays valid UTF-8 JSON whatever a dump held).
 */
public final class Json {

    /** An empty writer. */
    public Json() {
    }

    private final StringBuilder out = new StringBuilder(1024);
    /** Per open object or array: whether it has a member yet. */
    private boolean[] started = new boolean[16];
    private int depth;
    private boolean afterKey;

    /**
     * Opens an object.
     *
     * @return this writer
     */
    public Json object() {
        return open('{');
    }

    /**
     * Opens an array.
     *
     * @return this writer
     */
    public Json array() {
        return open('[');
    }

    /**
     * Closes the innermost open object or array.
     *
     * @return this writer
     */
    public Json end() {
        char close = out.charAt(openAt(depth)) == '{' ? '}' : ']';
        depth--;
        out.append(close);
        return this;
    }

    /**
     * A member's name, in an object; its value comes next.
     *
     * @param name the name
     * @return this writer
     */
    public Json key(String name) {
        separate();
        quote(out, name);
        out.append(':');
        afterKey = true;
        return this;
    }

    /**
     * A string, or {@code null}.
     *
     * @param text the string, or null
     * @return this writer
     */
    public Json value(String text) {
        separate();
        if (text == null) {
            out.append("null");
        } else {
            quote(out, text);
        }
        return this;
    }

    /**
     * An integer.
     *
     * @param number the number
     * @return this writer
     */
    public Json value(long number) {
        separate();
        out.append(number);
        return this;
    }

    /**
     * A number with four decimals, or {@code null} when it is not finite.
     *
     * @param number the number
     * @return this writer
     */
    public Json value(double number) {
        separate();
        out.append(Double.isFinite(number) ? String.format(java.util.Locale.ROOT, "%.4f", number) : "null");
        return this;
    }

    /**
     * {@code true} or {@code false}.
     *
     * @param flag the value
     * @return this writer
     */
    public Json value(boolean flag) {
        separate();
        out.append(flag);
        return this;
    }

    /**
     * A value written as it is: JSON text made by another {@code Json}.
     *
     * @param json the text
     * @return this writer
     */
    public Json raw(String json) {
        separate();
        out.append(json);
        return this;
    }

    /**
     * A key and a string value.
     *
     * @param name the key
     * @param text the string, or null
     * @return this writer
     */
    public Json field(String name, String text) {
        return key(name).value(text);
    }

    /**
     * A key and a number.
     *
     * @param name   the key
     * @param number the number
     * @return this writer
     */
    public Json field(String name, long number) {
        return key(name).value(number);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private final java.util.ArrayDeque<Integer> opened = new java.util.ArrayDeque<>();

    private Json open(char bracket) {
        separate();
        opened.push(out.length());
        out.append(bracket);
        depth++;
        if (depth >= started.length) {
            started = java.util.Arrays.copyOf(started, depth * 2);
        }
        started[depth] = false;
        return this;
    }

    private int openAt(int level) {
        return opened.pop();
    }

    private void separate() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth > 0) {
            if (started[depth]) {
                out.append(',');
            }
            started[depth] = true;
        }
    }

    /**
     * Appends the string as a JSON string literal.
     *
     * @param json where to append
     * @param s    the string
     */
    public static void quote(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '<' -> json.append("\\u003c"); // so that JSON inside a page can never close its script
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))
                            || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || Character.isSurrogate(c) && !paired) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}

package dev.refkit.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What a terminal receives from the command: every control character a dump could carry in a name (the escape
 * that starts a terminal sequence, bell, backspace, the C1 controls, bidirectional overrides) is written as a
 * visible escape ({@code \x1b}), so that a stranger's dump cannot clear the screen, set the window title or write
 * the clipboard. Line feeds and tabs pass: the report's own layout. Names that may hold a line break are escaped
 * before they reach this writer ({@link Format#safe}).
 */
final class TerminalSafeWriter extends FilterWriter {

    TerminalSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        if (c == '\n' || c == '\t' || !Format.isControl((char) c)) {
            out.write(c);
        } else {
            out.write(Format.escape((char) c));
        }
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        int start = offset;
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = chars[i];
            if (c != '\n' && c != '\t' && Format.isControl(c)) {
                out.write(chars, start, i - start);
                out.write(Format.escape(c));
                start = i + 1;
            }
        }
        out.write(chars, start, offset + length - start);
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        write(text.toCharArray(), offset, length);
    }
}

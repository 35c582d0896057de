package dev.refkit.heap.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The characters of a JDK 9+ {@code String} whose coder is UTF-16, as the JVM keeps them: in the byte order of the
 * machine that wrote the dump, which the dump does not record.
 */
class Utf16StringTest {

    private static byte[] bytes(String text, boolean littleEndian) {
        byte[] bytes = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes[2 * i] = (byte) (littleEndian ? c : c >> 8);
            bytes[2 * i + 1] = (byte) (littleEndian ? c >> 8 : c);
        }
        return bytes;
    }

    @Test
    void littleEndianCharactersOfAnX86DumpReadAsWritten() {
        String name = "worker-\u00e9t\u00e9 \ud83d\ude00 #3";

        assertThat(ObjectText.utf16(bytes(name, true))).isEqualTo(name);
    }

    @Test
    void bigEndianCharactersReadAsWrittenToo() {
        String name = "worker-\u00e9t\u00e9 \ud83d\ude00 #3";

        assertThat(ObjectText.utf16(bytes(name, false))).isEqualTo(name);
    }

    @Test
    void aSurrogateWithoutItsPairIsKeptNotReplaced() {
        String cut = "evil \ud83d";

        assertThat(ObjectText.utf16(bytes(cut, true))).isEqualTo(cut);
    }
}

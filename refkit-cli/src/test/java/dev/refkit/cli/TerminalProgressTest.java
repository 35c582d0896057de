package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    @Test
    void aPhaseThatHasRunLongEnoughSaysHowLongItHasLeftAtItsPace() {
        // a quarter done in 30 s: three quarters to go at the same pace is 90 s
        assertThat(TerminalProgress.line("reading references", 250, 1000, seconds(30)))
                .startsWith("reading references     [########")
                .endsWith(" 25%  1m 30s left");
        // 90% in an hour: 400 s to go
        assertThat(TerminalProgress.line("indexing objects", 9, 10, seconds(3600))).endsWith(" 90%  6m 40s left");
        assertThat(TerminalProgress.line("indexing objects", 1, 1000, seconds(3600))).endsWith("  0%  999h 00m left");
    }

    @Test
    void noEstimateInTheFirstSecondsNorWithoutATotalNorAtTheEnd() {
        assertThat(TerminalProgress.line("indexing objects", 500, 1000, seconds(1))).endsWith(" 50%");
        assertThat(TerminalProgress.line("decompressing", 500, -1, seconds(60))).endsWith("  0%");
        assertThat(TerminalProgress.line("indexing objects", 0, 1000, seconds(60))).endsWith("  0%");
        assertThat(TerminalProgress.line("indexing objects", 1000, 1000, seconds(60))).endsWith("100%");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(TerminalProgress.duration(0)).isEqualTo("0s");
        assertThat(TerminalProgress.duration(59)).isEqualTo("59s");
        assertThat(TerminalProgress.duration(60)).isEqualTo("1m 00s");
        assertThat(TerminalProgress.duration(187)).isEqualTo("3m 07s");
        assertThat(TerminalProgress.duration(7500)).isEqualTo("2h 05m");
    }
}

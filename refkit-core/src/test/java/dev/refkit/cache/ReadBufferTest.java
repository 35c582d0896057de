package dev.refkit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBufferTest {

    @Test
    void oneThreadsEventsAreDrainedInOrderWhenDrainedWheneverFull() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        List<Integer> drained = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            if (!buffer.offer(i)) {
                buffer.drainTo(drained::add);
                assertThat(buffer.offer(i)).isTrue();
            }
        }
        buffer.drainTo(drained::add);

        assertThat(drained).hasSize(1_000).isSorted();
    }

    @Test
    void aFullStripeRefusesUntilDrained() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        for (int i = 0; i < ReadBuffer.STRIPE_CAPACITY; i++) {
            assertThat(buffer.offer(i)).isTrue();
        }

        assertThat(buffer.offer(-1)).isFalse();
        buffer.drainTo(e -> { });
        assertThat(buffer.offer(-1)).isTrue();
    }

    @Test
    void aThrowingSinkLosesOnlyTheEventItWasHandling() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        buffer.offer(1);
        buffer.offer(2);
        List<Integer> drained = new ArrayList<>();
        try {
            buffer.drainTo(e -> {
                throw new IllegalStateException("sink failed on " + e);
            });
        } catch (IllegalStateException expected) {
            // the first event is lost
        }

        buffer.drainTo(drained::add);

        assertThat(drained).containsExactly(2);
    }
}

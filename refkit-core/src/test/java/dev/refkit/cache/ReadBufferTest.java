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
            if (buffer.offer(i) != ReadBuffer.RECORDED) {
                buffer.drainTo(drained::add);
                assertThat(buffer.offer(i)).isEqualTo(ReadBuffer.RECORDED);
            }
        }
        buffer.drainTo(drained::add);

        assertThat(drained).hasSize(1_000).isSorted();
    }

    @Test
    void aFullStripeRefusesUntilDrained() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        for (int i = 0; i < ReadBuffer.STRIPE_CAPACITY; i++) {
            assertThat(buffer.offer(i)).isEqualTo(ReadBuffer.RECORDED);
        }

        assertThat(buffer.offer(-1)).isNotEqualTo(ReadBuffer.RECORDED);
        buffer.drainTo(e -> { });
        assertThat(buffer.offer(-1)).isEqualTo(ReadBuffer.RECORDED);
    }

    @Test
    void aFullStripeAsksForADrainOnceInAPeriodAndDropsTheOtherEvents() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        for (int i = 0; i < ReadBuffer.STRIPE_CAPACITY; i++) {
            buffer.offer(i);
        }
        List<Integer> answers = new ArrayList<>();
        for (int i = 0; i < 3 * ReadBuffer.DRAIN_PERIOD; i++) {
            answers.add(buffer.offer(-1));
        }
        List<Integer> drained = new ArrayList<>();
        buffer.drainTo(drained::add);

        assertThat(answers).filteredOn(a -> a == ReadBuffer.DRAIN).hasSize(3);
        assertThat(answers.get(0)).as("the first refusal drains").isEqualTo(ReadBuffer.DRAIN);
        assertThat(answers.get(ReadBuffer.DRAIN_PERIOD)).isEqualTo(ReadBuffer.DRAIN);
        assertThat(answers).filteredOn(a -> a == ReadBuffer.DROPPED).hasSize(3 * ReadBuffer.DRAIN_PERIOD - 3);
        assertThat(drained).as("only what fitted").hasSize(ReadBuffer.STRIPE_CAPACITY).doesNotContain(-1);
    }

    @Test
    void aReaderThatCouldNotDrainGivesItsTurnToTheNextRefusal() {
        ReadBuffer<Integer> buffer = new ReadBuffer<>();
        for (int i = 0; i < ReadBuffer.STRIPE_CAPACITY; i++) {
            buffer.offer(i);
        }
        assertThat(buffer.offer(-1)).isEqualTo(ReadBuffer.DRAIN);
        assertThat(buffer.offer(-1)).isEqualTo(ReadBuffer.DROPPED);

        buffer.drainRefused();

        assertThat(buffer.offer(-1)).isEqualTo(ReadBuffer.DRAIN);
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

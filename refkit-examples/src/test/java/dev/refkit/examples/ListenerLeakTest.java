package dev.refkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.GcFinalization;
import dev.refkit.examples.ListenerLeak.Feed;
import dev.refkit.examples.ListenerLeak.Price;
import dev.refkit.examples.ListenerLeak.PriceView;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerLeakTest {

    /** Opens {@code n} views on {@code feed}, publishes once, closes (drops) them, and returns weak handles. */
    private static List<WeakReference<PriceView>> openAndClose(Feed feed, int n) {
        List<WeakReference<PriceView>> closed = new ArrayList<>();
        List<PriceView> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PriceView view = new PriceView("view-" + i, feed, 1_024);
            open.add(view);
            closed.add(new WeakReference<>(view));
        }
        feed.publish(new Price("ACME", 4_200));
        assertThat(open).allSatisfy(view -> assertThat(view.updates()).isEqualTo(3));
        return closed;
    }

    private static long retained(List<WeakReference<PriceView>> views) {
        return views.stream().filter(view -> view.get() != null).count();
    }

    /** The Python original: an object that appends its own bound method to its own list, three times. */
    static final class SelfRegistering {
        final List<Runnable> callbacks = new ArrayList<>();

        SelfRegistering() {
            for (int i = 0; i < 3; i++) {
                callbacks.add(this::ping);
            }
        }

        void ping() {
        }
    }

    @Test
    void anObjectHoldingItsOwnBoundMethodsIsCollectedWithoutHelp() {
        SelfRegistering cycle = new SelfRegistering();   // cycle -> list -> bound methods -> cycle
        WeakReference<SelfRegistering> handle = new WeakReference<>(cycle);
        WeakReference<List<Runnable>> list = new WeakReference<>(cycle.callbacks);
        cycle = null;

        GcFinalization.awaitClear(handle);
        GcFinalization.awaitClear(list);
    }

    @Test
    void aStrongFeedRetainsEveryClosedView() {
        Feed feed = new ListenerLeak.StrongFeed();
        List<WeakReference<PriceView>> closed = openAndClose(feed, 50);

        GcFinalization.awaitFullGc();
        GcFinalization.awaitFullGc();

        assertThat(retained(closed)).isEqualTo(50);
        assertThat(feed.registrations()).isEqualTo(150);
    }

    @Test
    void aWeakFeedLetsEveryClosedViewGoAndShrinksBack() {
        Feed feed = new ListenerLeak.WeakFeed();
        List<WeakReference<PriceView>> closed = openAndClose(feed, 50);
        assertThat(feed.registrations()).isEqualTo(150);

        for (WeakReference<PriceView> view : closed) {
            GcFinalization.awaitClear(view);
        }

        assertThat(retained(closed)).isZero();
        GcFinalization.awaitDone(() -> feed.registrations() == 0);
    }

    @Test
    void aWeakFeedStillDeliversToTheViewsThatAreOpen() {
        Feed feed = new ListenerLeak.WeakFeed();
        PriceView open = new PriceView("open", feed, 16);
        openAndClose(feed, 10);

        feed.publish(new Price("ACME", 1));

        assertThat(open.updates()).isEqualTo(6);
    }
}

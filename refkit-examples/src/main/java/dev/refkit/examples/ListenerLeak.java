package dev.refkit.examples;

import dev.refkit.event.Listeners;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The lapsed-listener leak, and its cure.
 *
 * <p>A {@link PriceView} registers one of its own methods with a price feed that lives longer than it does,
 * three times, as the Python original appended its bound method to a list three times. With a
 * {@link StrongFeed} (a list of {@code Consumer}s, the usual way) each registration is a lambda that
 * captures the view, so every view ever opened stays reachable from the feed: a screen closed by the user
 * is never collected. With a {@link WeakFeed} (a {@link Listeners} registry) the feed holds each view weakly,
 * and a closed view is collected with its subscriptions.
 *
 * <p>Within one object the cycle "view → its list → its own bound method → view" is no leak in Java: a
 * tracing collector reclaims the whole cycle once nothing outside reaches it (CPython's reference counting
 * needs its cycle collector for that). The leak is the path from a longer-lived object.
 */
public final class ListenerLeak {

    private ListenerLeak() {
    }

    /** A price update for one symbol. */
    public record Price(String symbol, long cents) {
    }

    /** Something that publishes prices to its subscribers. */
    public interface Feed {
        /**
         * Registers {@code view}'s handler (how depends on the feed).
         *
         * @param view the view to call with each price
         */
        void register(PriceView view);

        /**
         * Delivers {@code price} to every current subscriber.
         *
         * @param price the new price
         */
        void publish(Price price);

        /** {@return how many registrations the feed holds now} */
        int registrations();
    }

    /** The usual feed: a list of callbacks, each of which holds its subscriber strongly. */
    public static final class StrongFeed implements Feed {
        private final List<Consumer<Price>> callbacks = new CopyOnWriteArrayList<>();

        @Override
        public void register(PriceView view) {
            callbacks.add(view::onPrice);          // a bound method reference: captures the view
        }

        @Override
        public void publish(Price price) {
            for (Consumer<Price> callback : callbacks) {
                callback.accept(price);
            }
        }

        @Override
        public int registrations() {
            return callbacks.size();
        }
    }

    /** The feed on {@link Listeners}: each view is held weakly; its handler does not capture it. */
    public static final class WeakFeed implements Feed {
        private final Listeners<Price> listeners = Listeners.create();

        @Override
        public void register(PriceView view) {
            listeners.subscribe(view, PriceView::onPrice);   // unbound: the view is passed in at delivery
        }

        @Override
        public void publish(Price price) {
            listeners.publish(price);
        }

        @Override
        public int registrations() {
            return listeners.size();
        }
    }

    /** A screen showing prices; it subscribes its own method three times, and holds some pixels. */
    public static final class PriceView {
        private final String name;
        private final byte[] pixels;
        private long updates;

        /**
         * Opens the view and subscribes it to {@code feed} three times.
         *
         * @param pixelBytes how much memory the view's pixels take (what a leaked view costs)
         * @param name the view's name
         * @param feed the feed it listens to
         */
        public PriceView(String name, Feed feed, int pixelBytes) {
            this.name = name;
            this.pixels = new byte[pixelBytes];
            for (int i = 0; i < 3; i++) {
                feed.register(this);
            }
        }

        void onPrice(Price price) {
            updates++;
            if (pixels.length > 0) {
                pixels[(int) (updates % pixels.length)] = (byte) price.cents();
            }
        }

        /** {@return how many updates this view has received} */
        public long updates() {
            return updates;
        }

        @Override
        public String toString() {
            return "PriceView[" + name + "]";
        }
    }
}

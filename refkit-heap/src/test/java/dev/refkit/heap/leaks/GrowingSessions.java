package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Growth: sessions kept after logout. {@code SessionStore.SESSIONS}, a static {@code ConcurrentHashMap}, gains
 * every session and loses none, because logout only marks it ended: +500 sessions of about 5 KB (3,000 and
 * 2,000 bytes of attributes), 2.5 MB, per round. Beside it, a larger static cache that stops growing after the
 * first round ({@code Catalog.ITEMS}, 6,000 items, 12 MB) and a bounded LRU ({@code RecentlyViewed.PAGES}, 500
 * pages) whose entries are all replaced every round.
 *
 * <p>Run: {@code java GrowingSessions.java DUMP_PREFIX [STEPS]}; runs STEPS rounds (3 by default), prints
 * {@code ROUND n} as round n starts, dumps the live heap after it to {@code DUMP_PREFIX-n.hprof} and prints
 * {@code DUMPED n}.
 */
public class GrowingSessions {

    static final int LOGINS_PER_ROUND = 500;

    public static void main(String[] args) throws IOException {
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 1; round <= steps; round++) {
            System.out.println("ROUND " + round); // before the first dump too, so that it holds what printing keeps
            serve(round);
            dumpHeap(args[0], round);
        }
        System.exit(0);
    }

    /** One round of requests; what it leaves behind is only what the static fields keep. */
    private static void serve(int round) {
        Catalog.warm();
        for (int i = 0; i < LOGINS_PER_ROUND; i++) {
            Session session = SessionStore.login("user-" + round + "-" + i);
            session.attributes.put("cart", new byte[3_000]);
            session.attributes.put("recentlyViewed", new byte[2_000]);
            session.attributes.put("firstItem", Catalog.ITEMS.get(Catalog.sku(i)).sku());
            SessionStore.logout(session);
        }
        RecentlyViewed.browse(round);
    }

    static final class SessionStore {
        static final Map<String, Session> SESSIONS = new ConcurrentHashMap<>();
        private static long issued;

        static Session login(String user) {
            Session session = new Session("session-" + ++issued, user);
            SESSIONS.put(session.id, session);
            return session;
        }

        /** The bug: ends the session but never removes it from {@code SESSIONS}. */
        static void logout(Session session) {
            session.loggedOut = true;
        }
    }

    static final class Session {
        final String id;
        final String user;
        final Map<String, Object> attributes = new HashMap<>();
        boolean loggedOut;

        Session(String id, String user) {
            this.id = id;
            this.user = user;
        }
    }

    /** A product catalogue loaded once: larger than the leak at every dump, and never growing. */
    static final class Catalog {
        static final int ITEMS_COUNT = 6_000;
        static final int ITEM_BYTES = 2_000;
        static final Map<String, Item> ITEMS = new HashMap<>();

        static void warm() {
            for (int i = 0; i < ITEMS_COUNT; i++) {
                ITEMS.computeIfAbsent(sku(i), sku -> new Item(sku, new byte[ITEM_BYTES]));
            }
        }

        static String sku(int i) {
            return "SKU-" + i;
        }
    }

    record Item(String sku, byte[] picture) {
    }

    /** The pages viewed last: a bounded LRU that replaces all its entries every round and never grows. */
    static final class RecentlyViewed {
        static final int CAPACITY = 500;
        static final int VIEWS_PER_ROUND = 2_000;
        static final Map<String, Page> PAGES = new Lru<>(CAPACITY);

        static void browse(int round) {
            for (int i = 0; i < VIEWS_PER_ROUND; i++) {
                String url = "/page/" + round + "/" + i;
                PAGES.put(url, new Page(url, new byte[1_000]));
            }
        }
    }

    record Page(String url, byte[] preview) {
    }

    /** A {@code LinkedHashMap} in access order that evicts its eldest entry beyond its capacity. */
    static final class Lru<K, V> extends LinkedHashMap<K, V> {
        private final int capacity;

        Lru(int capacity) {
            super(capacity * 4 / 3 + 1, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
        }
    }

    /**
     * Dumps the live heap. Both strings are made before the dump, so that under the source launcher (whose string
     * concatenation is linked at first use) no dump after the first holds more of the JDK than the one before.
     */
    private static void dumpHeap(String prefix, int round) throws IOException {
        String file = prefix + "-" + round + ".hprof";
        String dumped = "DUMPED " + round;
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
        System.out.println(dumped);
    }
}

package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leak: a registry of sessions that keeps them after logout. The singleton {@code Server.INSTANCE} holds
 * its sessions in the instance field {@code sessions}; logout marks a session ended but leaves it in the
 * map. 1,000 sessions with 20 KB of attributes each, 20 MB. Beside it, 36 MB of thumbnails held softly.
 *
 * <p>Run: {@code java SessionRegistry.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class SessionRegistry {

    static final int USERS = 1_000;

    public static void main(String[] args) throws IOException {
        for (int i = 0; i < USERS; i++) {
            Session session = Server.INSTANCE.login("user-" + i);
            session.attributes.put("cart", new byte[8_000]);
            session.attributes.put("recentlyViewed", new byte[8_000]);
            session.attributes.put("preferences", new byte[4_000]);
            Server.INSTANCE.logout(session);
        }
        SoftCache.fill(36 << 20);
        dumpHeap(args[0]);
    }

    static final class Server {
        static final Server INSTANCE = new Server();

        private final Map<String, Session> sessions = new ConcurrentHashMap<>();
        private int issued;

        Session login(String user) {
            Session session = new Session("session-" + ++issued, user);
            sessions.put(session.id, session);
            return session;
        }

        /** The bug: ends the session but never removes it from {@code sessions}. */
        void logout(Session session) {
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

    /**
     * Thumbnails held softly: more bytes than the leak, but the collector clears them before it would ever
     * run out of memory, so they must never be blamed for one.
     */
    static final class SoftCache {
        static final int THUMBNAIL_BYTES = 64 << 10;
        static final Map<String, SoftReference<byte[]>> ENTRIES = new HashMap<>();

        static void fill(int bytes) {
            for (int i = 0; i < bytes / THUMBNAIL_BYTES; i++) {
                ENTRIES.put("thumbnail-" + i, new SoftReference<>(new byte[THUMBNAIL_BYTES]));
            }
        }
    }

    private static void dumpHeap(String file) throws IOException {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file, true);
        System.out.println("DUMPED");
        System.exit(0);
    }
}

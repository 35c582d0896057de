package dev.refkit.heap.leaks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leak: values that two structures share, as an in-memory database keeps them. {@code Store.ROWS} maps each
 * id to its {@code Row}, and the secondary index {@code Store.BY_EMAIL} maps each row's {@code Email} back to
 * its id, so each of the 40,000 emails (1,000 bytes of verification key each, 40 MB) is held by both maps and
 * dominated by neither: the emails are held apart. The last insert's parameters ({@code Store.lastInsert})
 * also hold the last email, the one with the longest address, and the path through them is the shortest to
 * it: a suspect must name the table, where every email is, and not the one statement that held the last.
 * Beside it, 32 MB of thumbnails held softly.
 *
 * <p>Run: {@code java SharedRowValues.java DUMP.hprof}; prints {@code DUMPED} once the heap is dumped.
 */
public class SharedRowValues {

    static final int ROWS = 40_000;
    static final int KEY_BYTES = 1_000;

    public static void main(String[] args) throws IOException {
        for (int id = 0; id < ROWS; id++) {
            String address = (id == ROWS - 1 ? "the.last.and.longest.address." : "user") + id + "@example.com";
            Store.insert(new Row(id, new Email(address)));
        }
        SoftCache.fill(32 << 20);
        dumpHeap(args[0]);
    }

    /** A table and its secondary index, which share each row's email. */
    static final class Store {
        static final Map<Long, Row> ROWS = new HashMap<>();
        static final Map<Email, Long> BY_EMAIL = new TreeMap<>();
        static Insert lastInsert;

        static void insert(Row row) {
            lastInsert = new Insert(new Object[] {row.id, row.email});
            ROWS.put(row.id, row);
            BY_EMAIL.put(row.email, row.id);
        }
    }

    record Insert(Object[] parameters) {
    }

    record Row(long id, Email email) {
    }

    static final class Email implements Comparable<Email> {
        final String address;
        final byte[] verificationKey = new byte[KEY_BYTES];

        Email(String address) {
            this.address = address;
            verificationKey[0] = (byte) address.length();
        }

        @Override
        public int compareTo(Email other) {
            return address.compareTo(other.address);
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

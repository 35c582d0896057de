package dev.refkit.heap.index;

import dev.refkit.heap.hprof.HprofFormatException;
import java.util.Arrays;

/**
 * The id table from pass 1's logs ({@link ObjectIds}): the shared array taken as it stands when every group
 * stayed in its region, else the entries converted (in place, or into a new array) and sorted, or ids and
 * positions apart when the ids are too far apart for an entry. Duplicates are dropped as the table's bucket
 * directory is built; their positions are kept for taking them out of the counts.
 */
final class IdTableBuilder {

    private final Storage storage;
    private final SegmentScan[] scans;
    /** The array that pass 1's logs share, or null; it becomes the id table. */
    private LongArray sharedLog;
    /** The id from which the entries in {@link #sharedLog} count. */
    private final long logBase;
    /** How the id table was made. */
    HeapIndexer.IdTable idTable = HeapIndexer.IdTable.WIDE;

    IdTableBuilder(Storage storage, SegmentScan[] scans, LongArray sharedLog, long logBase) {
        this.storage = storage;
        this.scans = scans;
        this.sharedLog = sharedLog;
        this.logBase = logBase;
    }

    /** The table of the {@code n} objects logged; {@code wide} for a file over 4 GB. */
    ObjectIds build(int n, boolean wide) {
        ObjectIds ids = wide ? null : tableInPlace(n);
        if (ids != null) {
            idTable = HeapIndexer.IdTable.IN_PLACE;
            return ids;
        }
        ObjectIds.Range range = idRange();
        return range.fitsInt() ? packedIds(n, range, wide) : wideIds(n, wide);
    }

    /**
     * Objects whose id quotients fit 32 bits: one entry per object ({@link ObjectIds#entry}), sorted. In a
     * file under 4 GB the entry holds the whole position, so sorting the entries carries the positions
     * along; positions break ties, so of duplicate ids the first written is kept. In a larger file the
     * entries first hold the file order, to move bits 32..39 of the positions with them.
     */
    private ObjectIds packedIds(int n, ObjectIds.Range range, boolean wide) {
        int logged = 0;
        for (SegmentScan scan : scans) {
            logged += scan.objects.size();
        }
        int shift = Long.numberOfTrailingZeros(range.alignment());
        ByteArray high = wide ? storage.bytes(n) : null;
        // the logged objects first, each group after the one before, then the class objects merged in
        LongArray entries = loggedEntries(n, range.min(), shift, high);
        long[] classEntries = new long[n - logged];
        int c = 0;
        for (SegmentScan scan : scans) {
            for (int i = 0; i < scan.classObjectIds.size; i++, c++) {
                long position = scan.classObjectPositions.get(i);
                classEntries[c] = ObjectIds.entry((scan.classObjectIds.get(i) - range.min()) >>> shift, position);
                if (high != null) {
                    high.set(logged + c, (byte) (position >>> 32));
                }
            }
        }
        IntArray low = wide ? byIndex(entries, logged, classEntries) : null;
        if (wide || !ascending(entries)) {
            RunSort.sort(entries, logged, storage);
        }
        Arrays.sort(classEntries);
        RunSort.mergeFromBack(entries, logged, classEntries);
        return wide ? wideFileIds(n, range, entries, low, high) : fileIds(n, range, entries);
    }

    /**
     * The id table made of the shared array as it stands, when every group's log stayed in its region: there
     * the objects are already table entries, counted from {@link #logBase} in steps of 8, and ascending. The
     * regions close up, the strays and the class objects are merged in; if an id was written twice, the later
     * are dropped as the table's bucket directory is built, otherwise the table starts with a coarse
     * directory ({@link ObjectIds#ofDistinctEntries}): no pass reads or converts every entry, the entries
     * only move, in blocks, as the regions close up and the extras go in. Null, with
     * nothing changed, when there is no shared array, a log left its region, or a stray or class object does
     * not fit the base; then the entries are converted ({@link #loggedEntries}).
     */
    private ObjectIds tableInPlace(int n) {
        if (sharedLog == null) {
            return null;
        }
        LongList extra = new LongList(1 << 10);
        for (SegmentScan scan : scans) {
            ObjectLog log = scan.objects;
            if (!log.inRegion()) {
                return null;
            }
            for (int i = 0; i < log.strays(); i++) {
                if (!addEntry(extra, log.strayId(i), log.strayPosition(i))) {
                    return null;
                }
            }
            for (int i = 0; i < scan.classObjectIds.size; i++) {
                if (!addEntry(extra, scan.classObjectIds.get(i), scan.classObjectPositions.get(i))) {
                    return null;
                }
            }
        }
        LongArray entries = sharedLog;
        if (n > sharedLog.length()) {
            entries = storage.longs(n);
            LongArray.copy(sharedLog, 0, entries, 0, sharedLog.length());
            Storage.free(sharedLog);
        }
        sharedLog = null;
        int end = 0;
        boolean ascending = true;
        for (SegmentScan scan : scans) {
            ObjectLog log = scan.objects;
            int from = log.offset(0);
            int fill = log.fill(0);
            if (from != end) {
                LongArray.copy(entries, from, entries, end, fill);
            }
            // each region's ids ascend strictly; so must the last of one and the first of the next
            ascending &= end == 0 || fill == 0 || (entries.get(end - 1) | 0xffff_ffffL) < entries.get(end);
            end += fill;
            scan.objects = null;
        }
        if (!ascending) {
            RunSort.sort(entries, end, storage);
        }
        long[] extras = extra.toArray();
        Arrays.sort(extras);
        boolean distinct = ascending && distinctFrom(entries, end, extras);
        RunSort.mergeFromBack(entries, end, extras);
        ObjectIds.Range range = new ObjectIds.Range(logBase, 8, true);
        if (!distinct) {
            return fileIds(n, range, entries);
        }
        return ObjectIds.ofDistinctEntries(storage, n, range, trimmed(entries, n));
    }

    /**
     * Whether the sorted extra entries have quotients (ids) distinct from each other and from those of the
     * sorted {@code entries[0 .. end)}, whose quotients are distinct (the logs keep an id written again apart).
     */
    private static boolean distinctFrom(LongArray entries, int end, long[] extras) {
        for (int i = 0; i < extras.length; i++) {
            long quotient = extras[i] >>> 32;
            if (i > 0 && extras[i - 1] >>> 32 == quotient) {
                return false;
            }
            int at = ObjectIds.binarySearch(entries, 0, end, extras[i] & 0xffff_ffff_0000_0000L);
            at = at >= 0 ? at : -at - 1;
            if (at < end && entries.get(at) >>> 32 == quotient) {
                return false;
            }
        }
        return true;
    }

    /** Adds the entry of an id counted from {@link #logBase}; false when the id does not fit. */
    private boolean addEntry(LongList entries, long id, long position) {
        long delta = id - logBase;
        if (!ObjectLog.fits(delta)) {
            return false;
        }
        entries.add(ObjectIds.entry(delta >>> 3, position));
        return true;
    }

    /**
     * The logged objects' entries, from index 0, each group after the one before: converted in place in the
     * shared array when every group stayed in its region (a group's entries move down as they are converted,
     * so they never overtake what is still to be read), else copied into a new array of {@code n}.
     */
    private LongArray loggedEntries(int n, long min, int shift, ByteArray high) {
        boolean inPlace = sharedLog != null && n <= sharedLog.length();
        for (SegmentScan scan : scans) {
            inPlace &= scan.objects.inRegion();
        }
        // group t's entries go to [at(t), at(t) + size(t)): on threads of their own unless they would land
        // where another group's log still is; in group order unless even that would
        boolean apart = true;
        int at = 0;
        for (int t = 0; inPlace && t < scans.length; t++) {
            for (int u = 0; u < scans.length; u++) {
                int from = scans[u].objects.offset(0);
                boolean overlap = at < from + scans[u].objects.size() && from < at + scans[t].objects.size();
                apart &= u == t || !overlap;
                inPlace &= u <= t || !overlap;
            }
            at += scans[t].objects.size();
        }
        // when not in place, the logs read the shared array as they append: freed once they have
        LongArray leftover = inPlace ? null : sharedLog;
        LongArray entries = inPlace ? sharedLog : storage.longs(n);
        idTable = inPlace ? HeapIndexer.IdTable.CONVERTED : HeapIndexer.IdTable.COPIED;
        sharedLog = null;
        HeapIndexer.Task[] appends = new HeapIndexer.Task[scans.length];
        int k = 0;
        for (int t = 0; t < scans.length; t++) {
            SegmentScan scan = scans[t];
            int start = k;
            appends[t] = () -> scan.appendEntries(entries, start, min, shift, high);
            k += scan.objects.size();
        }
        try {
            if (apart) {
                HeapIndexer.runAll("refkit-heap ids", appends);
            } else {
                for (HeapIndexer.Task append : appends) {
                    append.run();
                }
            }
        } catch (HprofFormatException e) {
            throw new IllegalStateException(e);
        }
        Storage.free(leftover);
        return entries;
    }

    /** Whether the groups' entries, as appended, are one ascending run: HotSpot writes in address order. */
    private boolean ascending(LongArray entries) {
        boolean ascending = true;
        int end = 0;
        for (SegmentScan scan : scans) {
            ascending &= scan.ascending
                    && (end == 0 || scan.appended == 0 || entries.get(end - 1) <= entries.get(end));
            end += scan.appended;
        }
        return ascending;
    }

    /**
     * For a file over 4 GB, whose entries hold only the low 32 bits of the positions: replaces those bits
     * by the entry's index (so that sorting carries the index along) and returns the low bits by index.
     */
    private IntArray byIndex(LongArray entries, int logged, long[] classEntries) {
        IntArray low = storage.ints((long) logged + classEntries.length);
        for (int i = 0; i < logged; i++) {
            long entry = entries.get(i);
            low.set(i, (int) entry);
            entries.set(i, entry & 0xffff_ffff_0000_0000L | i);
        }
        for (int j = 0; j < classEntries.length; j++) {
            low.set(logged + j, (int) classEntries[j]);
            classEntries[j] = classEntries[j] & 0xffff_ffff_0000_0000L | (logged + j);
        }
        return low;
    }

    /** The table of a file under 4 GB from its sorted entries; duplicates dropped as its buckets are built. */
    private ObjectIds fileIds(int n, ObjectIds.Range range, LongArray entries) {
        LongList dropped = new LongList(0);
        ObjectIds ids = ObjectIds.ofSortedEntries(storage, n, range, entries, null, dropped);
        for (int i = 0; i < dropped.size; i++) {
            droppedPositions.add(dropped.get(i) & 0xffff_ffffL);
        }
        // the shared array keeps its few percent of slack: trimming would be a copy of every entry
        int unique = ids.count();
        return entries.length() - unique > unique / 8
                ? ObjectIds.ofEntries(storage, unique, range, trimmed(entries, unique), null) : ids;
    }

    /** The table of a file over 4 GB from entries sorted by (quotient, index) ({@link #byIndex}). */
    private ObjectIds wideFileIds(int n, ObjectIds.Range range, LongArray entries, IntArray low, ByteArray high) {
        LongList dropped = new LongList(0);
        int unique = dropDuplicates(entries, n, dropped);
        for (int i = 0; i < dropped.size; i++) {
            int index = (int) dropped.get(i);
            droppedPositions.add((low.get(index) & 0xffff_ffffL) | (high.get(index) & 0xffL) << 32);
        }
        ByteArray sortedHigh = storage.bytes(unique);
        for (int i = 0; i < unique; i++) {
            long entry = entries.get(i);
            int from = (int) entry;
            sortedHigh.set(i, high.get(from));
            entries.set(i, entry & 0xffff_ffff_0000_0000L | (low.get(from) & 0xffff_ffffL));
        }
        Storage.free(low);
        Storage.free(high);
        return ObjectIds.ofEntries(storage, unique, range, trimmed(entries, unique), sortedHigh);
    }

    /**
     * Keeps the first of each run of entries with the same quotient; returns how many are left and adds the
     * others to {@code dropped}.
     */
    private static int dropDuplicates(LongArray entries, int n, LongList dropped) {
        int unique = 0;
        long last = 0;
        for (int i = 0; i < n; i++) {
            long entry = entries.get(i);
            if (unique == 0 || last >>> 32 != entry >>> 32) {
                entries.set(unique++, entry);
                last = entry;
            } else {
                dropped.add(entry);
            }
        }
        return unique;
    }

    /**
     * The first {@code n} entries: the array itself when at most an eighth of it would be left over, else a copy
     * (on the heap; in files, where pages never written take no room, only for a copy of a third or less).
     */
    private LongArray trimmed(LongArray entries, int n) {
        long slack = entries.length() - n;
        if (slack <= n / 8 || entries.mapped() && slack <= 2L * n) {
            return entries;
        }
        LongArray copy = storage.longs(n);
        LongArray.copy(entries, 0, copy, 0, n);
        Storage.free(entries);
        return copy;
    }

    /** Record positions of the objects dropped as duplicates of an id written before. */
    final LongList droppedPositions = new LongList(0);

    /** Objects whose ids span more than 2^32 alignments: ids and positions in their own arrays. */
    private ObjectIds wideIds(int n, boolean wide) {
        LongArray idsArray = storage.longs(n);
        IntArray low = storage.ints(n);
        ByteArray high = wide ? storage.bytes(n) : null;
        int base = 0;
        for (SegmentScan scan : scans) {
            base = scan.appendObjects(idsArray, low, high, base);
        }
        Storage.free(sharedLog); // the logs were in it, and are copied
        sharedLog = null;
        if (!isSorted(idsArray, n)) {
            // ids that are not addresses (not HotSpot's): sorted apart from their positions, in the storage
            LongArray sorted = storage.longs(n);
            LongArray.copy(idsArray, 0, sorted, 0, n);
            sorted.sort(0, n, storage);
            IntArray sortedLow = storage.ints(n);
            ByteArray sortedHigh = wide ? storage.bytes(n) : null;
            placeBySortedIds(idsArray, low, high, sorted, sortedLow, sortedHigh, n);
            Storage.free(idsArray);
            Storage.free(low);
            Storage.free(high);
            idsArray = sorted;
            low = sortedLow;
            high = sortedHigh;
        }
        int unique = 0;
        for (int i = 0; i < n; i++) {
            long id = idsArray.get(i);
            if (unique > 0 && idsArray.get(unique - 1) == id) {
                long position = (low.get(i) & 0xffff_ffffL) | (high != null ? (high.get(i) & 0xffL) << 32 : 0);
                if (position != 0) { // 0: a place left empty by placeBySortedIds, which noted the drop
                    droppedPositions.add(position);
                }
                continue;
            }
            idsArray.set(unique, id);
            low.set(unique, low.get(i));
            if (high != null) {
                high.set(unique, high.get(i));
            }
            unique++;
        }
        return ObjectIds.ofWide(storage, unique, idsArray, low, high);
    }

    /**
     * Puts each object's position at its id's place among the sorted ids, in file order, so that of an id written
     * twice the first is kept and the later ones are dropped (their positions noted); then closes up the sorted ids
     * and positions over the duplicates' places. A position is never 0 (the file's header comes first), so 0 marks
     * a place still empty. One binary search per object: O(n log n), with no array on the Java heap.
     */
    private void placeBySortedIds(LongArray ids, IntArray low, ByteArray high, LongArray sorted, IntArray sortedLow,
                                  ByteArray sortedHigh, int n) {
        for (int i = 0; i < n; i++) {
            long id = ids.get(i);
            int lo = 0;
            int hi = n - 1;
            while (lo < hi) { // the first place of the id
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid) < id) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (sortedLow.get(lo) != 0 || (sortedHigh != null && sortedHigh.get(lo) != 0)) {
                droppedPositions.add((low.get(i) & 0xffff_ffffL) | (high != null ? (high.get(i) & 0xffL) << 32 : 0));
                continue;
            }
            sortedLow.set(lo, low.get(i));
            if (sortedHigh != null) {
                sortedHigh.set(lo, high.get(i));
            }
        }
    }

    private static boolean isSorted(LongArray ids, int n) {
        for (int i = 1; i < n; i++) {
            if (ids.get(i - 1) > ids.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The smallest id, the alignment of all ids relative to it, and whether the quotients fit 32 bits. */
    private ObjectIds.Range idRange() {
        IdSpan span = new IdSpan();
        for (SegmentScan scan : scans) {
            span.add(scan.objects.span());
            span.add(scan.classIds);
        }
        if (!span.any) {
            return new ObjectIds.Range(0, 1, true);
        }
        long alignment = span.differences == 0 ? 1 : Long.lowestOneBit(span.differences);
        boolean fits = span.max - span.min >= 0 && (span.max - span.min) / alignment <= 0xffff_ffffL;
        return new ObjectIds.Range(span.min, alignment, fits);
    }

    long highestPositionBits() {
        long highest = 0;
        for (SegmentScan scan : scans) {
            if (scan.highValues.size > 0) {
                highest = Math.max(highest, scan.highValues.get(scan.highValues.size - 1) & 0xffff_ffffL);
            }
        }
        return highest;
    }
}

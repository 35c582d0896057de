package dev.refkit.bench;

import static dev.refkit.bench.DumpClass.B;
import static dev.refkit.bench.DumpClass.F;
import static dev.refkit.bench.DumpClass.I;
import static dev.refkit.bench.DumpClass.J;
import static dev.refkit.bench.DumpClass.L;
import static dev.refkit.bench.DumpClass.Z;

import dev.refkit.heap.analysis.Reachability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A heap as a running application leaves it, generated to any size in a few MB of memory: the heap of
 * {@link LargeDumpWriter}.
 *
 * <p>The application, {@code com.acme.store}, keeps a {@code Store} (held by the main thread's frame) whose
 * {@code ledgers} are the tails of 64 chains of {@code Ledger}s; each ledger holds a doubly linked run of
 * {@code Ledger$Entry} nodes (a few hundred, now and then up to a million: the long chains), each entry an
 * item, a {@code Customer} with its name and email Strings, or one met before; and the ledger's {@code extras}
 * array holds the other structures made since the previous ledger:
 * <ul>
 * <li>{@code java.util.HashMap}s with their tables of {@code HashMap$Node} chains, String keys and Integer or
 * Customer values;
 * <li>{@code java.util.ArrayList}s of {@code Session}s, each with a {@code SoftReference} to a {@code Page}
 * (title and body bytes: only softly reachable) and a {@code WeakReference} to a {@code Subscriber} (only
 * weakly reachable) or to an object that is alive elsewhere;
 * <li>{@code java.util.ArrayList}s indexing objects made before (a few of them over a million elements), which
 * with the entries' {@code related} links and the customers' {@code manager}, {@code referrer} and
 * {@code lastSeen} make the graph far from a tree, mostly toward recent objects and one reference in sixteen
 * toward anywhere in the heap.
 * </ul>
 * The kinds keep fixed shares of the objects (half in ledger runs, 28% in maps, 22% in sessions), 8% of the
 * objects are garbage (structures made and dropped: no reference from anything reachable), and index arrays
 * are added whenever the references fall below 7.6 per object. Class objects
 * come first, then the JDK's objects that statics hold (reference queues, empty arrays, the
 * {@code Region} enum, the main thread), all held by sticky-class roots and the thread root.
 *
 * <p>Implementation notes. The generator never looks back at what it wrote: a reference to an earlier object
 * comes from rings of recent strongly reachable ids (and a sample of older ones), and a reference to a later
 * object is to one whose address was allocated before the referrer was written. Only strongly reachable objects
 * enter the rings, so a soft referent, a weak referent and garbage are never referred to from elsewhere, and
 * every object's reachability is the one it is counted under. Numbers are drawn from one
 * {@link SplittableRandom}, so a seed gives the same file.
 */
final class SyntheticJvmHeap extends HeapGenerator {

    /** Chains of ledgers: the store's roots of the application's data. */
    static final int CHAINS = 64;
    private static final int RECENT = 1 << 16;
    private static final int OLD = 1 << 12;
    private static final int MAX_PENDING = 256;
    private static final int MAX_TABLE = 1 << 16;
    private static final int MAX_SESSIONS = 128;
    private static final int REGIONS = 32;
    /** Bytes of file per object, for sizing structures against a --bytes target. */
    private static final int BYTES_PER_OBJECT = 100;
    /** Shares of the objects: ledger runs (entries, customers), maps, sessions (with their referents). */
    private static final double[] SHARES = {0.50, 0.28, 0.22};
    /** Garbage: this share of the objects. */
    private static final double GARBAGE_SHARE = 0.08;
    /** Index arrays are added while the references per object are fewer. */
    private static final double REFERENCES_PER_OBJECT = 7.6;

    private static final byte[] NONE = {};
    private static final byte[] CUSTOMER = ascii("customer-");
    private static final byte[] EMAIL = ascii("c");
    private static final byte[] EMAIL_DOMAIN = ascii("@store.acme.example");
    private static final byte[] KEY = ascii("sku:");
    private static final byte[] PAGE = ascii("/catalog/item/");
    private static final byte[] SUBSCRIBER = ascii("subscriber#");
    private static final byte[] REGION = ascii("REGION_");
    private static final byte[] BODY = body();

    // the JDK's classes, as a JDK 17 dump has them (a selection of their fields)
    private final DumpClass string;
    private final DumpClass integer;
    private final DumpClass reference;
    private final DumpClass softReference;
    private final DumpClass weakReference;
    private final DumpClass referenceQueue;
    private final DumpClass queueLock;
    private final DumpClass finalizer;
    private final DumpClass thread;
    private final DumpClass objectArray;
    private final DumpClass hashMap;
    private final DumpClass hashMapNode;
    private final DumpClass hashMapNodeArray;
    private final DumpClass arrayList;
    // the application's
    private final DumpClass store;
    private final DumpClass region;
    private final DumpClass regionArray;
    private final DumpClass ledger;
    private final DumpClass entry;
    private final DumpClass customer;
    private final DumpClass session;
    private final DumpClass page;
    private final DumpClass subscriber;

    private final SplittableRandom random;
    private final long objectTarget;
    private final long byteTarget;

    // objects of the start of the heap, which statics hold
    private long nullQueue;
    private long nullQueueLock;
    private long enqueuedQueue;
    private long enqueuedQueueLock;
    private long appQueue;
    private long appQueueLock;
    private long finalizerQueue;
    private long finalizerQueueLock;
    private long finalizerLock;
    private long emptyElements;
    private long defaultEmptyElements;
    private final long[] regions = new long[REGIONS];
    private final long[] regionNames = new long[REGIONS];
    private final long[] regionNameBytes = new long[REGIONS];
    private long regionValues;
    private long mainThread;
    private long mainThreadName;
    private long mainThreadNameBytes;

    /** Recent strongly reachable objects, any and customers only, and a sample of older ones. */
    private final long[] recent = new long[RECENT];
    private int recentCount;
    private int recentNext;
    private final long[] recentCustomers = new long[RECENT];
    private int customerCount;
    private int customerNext;
    private final long[] old = new long[OLD];
    private int oldCount;
    private long remembered;

    private final long[] tails = new long[CHAINS];
    private final long[] pending = new long[MAX_PENDING];
    private int pendingCount;
    private final long[] bucketHeads = new long[MAX_TABLE];
    private final long[] sessions = new long[MAX_SESSIONS];
    private final long[] chunk = new long[4096];
    private final byte[] text = new byte[64];

    /** Objects made by each kind of structure (see {@link #SHARES}). */
    private final long[] made = new long[SHARES.length];
    private long sequence;
    private long customers;
    private long keys;
    private long pages;
    private long subscribers;

    /**
     * @param objectTarget stop at this many objects (0: no such target)
     * @param byteTarget stop at this many bytes of file (0: no such target)
     */
    SyntheticJvmHeap(HprofStream out, long seed, long objectTarget, long byteTarget) {
        super(out, false);
        this.random = new SplittableRandom(seed);
        this.objectTarget = objectTarget;
        this.byteTarget = byteTarget;
        DumpClass object = javaLangObject;
        string = define("java/lang/String", object, field("value", L), field("coder", B), field("hash", I),
                field("hashIsZero", Z))
                .staticField("serialVersionUID", J, -6849794470754667710L).staticField("COMPACT_STRINGS", Z, 1);
        DumpClass number = define("java/lang/Number", object);
        integer = define("java/lang/Integer", number, field("value", I))
                .staticField("MIN_VALUE", I, Integer.MIN_VALUE).staticField("MAX_VALUE", I, Integer.MAX_VALUE);
        reference = define("java/lang/ref/Reference", object, field("referent", L), field("queue", L),
                field("next", L), field("discovered", L));
        softReference = define("java/lang/ref/SoftReference", reference, field("timestamp", J))
                .staticField("clock", J, 0);
        weakReference = define("java/lang/ref/WeakReference", reference);
        // every JVM has these, and readers look for them (the NetBeans library refuses a dump without them)
        define("java/lang/ref/PhantomReference", reference);
        DumpClass finalReference = define("java/lang/ref/FinalReference", reference);
        finalizer = define("java/lang/ref/Finalizer", finalReference, field("next", L), field("prev", L))
                .staticField("queue", L, 0).staticField("unfinalized", L, 0).staticField("lock", L, 0);
        referenceQueue = define("java/lang/ref/ReferenceQueue", object, field("head", L),
                field("queueLength", J), field("lock", L))
                .staticField("NULL", L, 0).staticField("ENQUEUED", L, 0);
        queueLock = define("java/lang/ref/ReferenceQueue$Lock", object);
        thread = define("java/lang/Thread", object, field("name", L), field("priority", I), field("daemon", Z),
                field("tid", J), field("threadStatus", I), field("contextClassLoader", L));
        for (String primitive : new String[] {"[Z", "[C", "[F", "[D", "[B", "[S", "[I", "[J"}) {
            define(primitive, object);
        }
        objectArray = define("[Ljava/lang/Object;", object);
        DumpClass abstractMap = define("java/util/AbstractMap", object, field("keySet", L), field("values", L));
        hashMap = define("java/util/HashMap", abstractMap, field("table", L), field("entrySet", L),
                field("size", I), field("modCount", I), field("threshold", I), field("loadFactor", F))
                .staticField("serialVersionUID", J, 362498820763181265L);
        hashMapNode = define("java/util/HashMap$Node", object, field("hash", I), field("key", L),
                field("value", L), field("next", L));
        hashMapNodeArray = define("[Ljava/util/HashMap$Node;", object);
        DumpClass abstractCollection = define("java/util/AbstractCollection", object);
        DumpClass abstractList = define("java/util/AbstractList", abstractCollection, field("modCount", I));
        arrayList = define("java/util/ArrayList", abstractList, field("elementData", L), field("size", I))
                .staticField("EMPTY_ELEMENTDATA", L, 0).staticField("DEFAULTCAPACITY_EMPTY_ELEMENTDATA", L, 0);
        store = define("com/acme/store/Store", object, field("ledgers", L), field("name", L), field("started", J));
        region = define("com/acme/store/Region", object, field("name", L), field("ordinal", I))
                .staticField("$VALUES", L, 0);
        regionArray = define("[Lcom/acme/store/Region;", object);
        ledger = define("com/acme/store/Ledger", object, field("first", L), field("last", L), field("older", L),
                field("extras", L), field("count", I));
        entry = define("com/acme/store/Ledger$Entry", object, field("seq", J), field("next", L), field("prev", L),
                field("item", L), field("related", L));
        // a super class with a long only: its 4-byte hole after the header is filled by the subclass in the JDK 15+
        // layout alone, so that the reader can tell that layout from the older ones by the customers' sizes
        DumpClass entity = define("com/acme/store/Entity", object, field("version", J));
        customer = define("com/acme/store/Customer", entity, field("id", J), field("name", L), field("email", L),
                field("region", L), field("manager", L), field("referrer", L), field("lastSeen", L),
                field("tags", L));
        session = define("com/acme/store/Session", object, field("user", L), field("cache", L),
                field("listener", L), field("created", J))
                .staticField("QUEUE", L, 0);
        page = define("com/acme/store/Page", object, field("title", L), field("body", L), field("hits", I));
        subscriber = define("com/acme/store/Subscriber", object, field("name", L), field("owner", L));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] body() {
        byte[] words = ascii("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                + "incididunt ut labore et dolore magna aliqua. ");
        byte[] body = new byte[4096];
        for (int i = 0; i < body.length; i++) {
            body[i] = words[i % words.length];
        }
        return body;
    }

    /** Writes the whole dump; the stream is left open. */
    DumpTally generate() throws IOException {
        allocateClassObjects();
        allocateStart();
        writePrologue();
        writeStart();
        while (!full()) {
            if (tally.objects(Reachability.UNREACHABLE) < GARBAGE_SHARE * tally.objects()) {
                structure(Reachability.UNREACHABLE);
            } else if (tally.references < REFERENCES_PER_OBJECT * tally.objects()) {
                index(Reachability.STRONG);
            } else {
                structure(Reachability.STRONG);
            }
            if (pendingCount == MAX_PENDING) {
                ledgerRun(Reachability.STRONG, runLength());
            }
        }
        if (pendingCount > 0) {
            ledgerRun(Reachability.STRONG, 1);
        }
        writeEnd();
        return tally;
    }

    /**
     * A ledger run, a map or sessions: the kind furthest below its share of the objects made so far, so that the
     * mix is the same in a dump of a million objects and in one of a billion.
     */
    private void structure(Reachability reachability) throws IOException {
        int kind = 0;
        for (int k = 1; k < SHARES.length; k++) {
            if (made[k] * SHARES[kind] < made[kind] * SHARES[k]) {
                kind = k;
            }
        }
        long before = tally.objects();
        switch (kind) {
            case 0 -> ledgerRun(reachability, runLength());
            case 1 -> hashMap(reachability);
            default -> sessions(reachability);
        }
        made[kind] += tally.objects() - before;
    }

    private boolean full() {
        return objectTarget > 0 && tally.objects() >= objectTarget || byteTarget > 0 && out.position() >= byteTarget;
    }

    /** About how many objects may still be made. */
    private long budget() {
        long objects = objectTarget > 0 ? objectTarget - tally.objects() : Long.MAX_VALUE;
        long bytes = byteTarget > 0 ? (byteTarget - out.position()) / BYTES_PER_OBJECT : Long.MAX_VALUE;
        return Math.max(1, Math.min(objects, bytes));
    }

    /** {@code wanted} structures of about {@code objectsEach} objects, fewer near the end. */
    private int trim(int wanted, int objectsEach) {
        return (int) Math.max(1, Math.min(wanted, budget() / objectsEach));
    }

    // ---- the start of the heap: objects that statics and the thread root hold ----

    private void allocateStart() {
        nullQueue = allocate(instanceSize(referenceQueue));
        nullQueueLock = allocate(instanceSize(queueLock));
        enqueuedQueue = allocate(instanceSize(referenceQueue));
        enqueuedQueueLock = allocate(instanceSize(queueLock));
        appQueue = allocate(instanceSize(referenceQueue));
        appQueueLock = allocate(instanceSize(queueLock));
        finalizerQueue = allocate(instanceSize(referenceQueue));
        finalizerQueueLock = allocate(instanceSize(queueLock));
        finalizerLock = allocate(instanceSize(javaLangObject));
        emptyElements = allocate(objectArraySize(0));
        defaultEmptyElements = allocate(objectArraySize(0));
        for (int i = 0; i < REGIONS; i++) {
            regions[i] = allocate(instanceSize(region));
            regionNames[i] = allocate(instanceSize(string));
            regionNameBytes[i] = allocate(byteArraySize(textLength(REGION, i, NONE)));
        }
        regionValues = allocate(objectArraySize(REGIONS));
        mainThread = allocate(instanceSize(thread));
        mainThreadName = allocate(instanceSize(string));
        mainThreadNameBytes = allocate(byteArraySize(4));
        referenceQueue.setStatic("NULL", nullQueue);
        referenceQueue.setStatic("ENQUEUED", enqueuedQueue);
        arrayList.setStatic("EMPTY_ELEMENTDATA", emptyElements);
        arrayList.setStatic("DEFAULTCAPACITY_EMPTY_ELEMENTDATA", defaultEmptyElements);
        region.setStatic("$VALUES", regionValues);
        session.setStatic("QUEUE", appQueue);
        finalizer.setStatic("queue", finalizerQueue);
        finalizer.setStatic("lock", finalizerLock);
    }

    @Override
    void writeStackTraces() throws IOException {
        long main = out.symbol("main");
        long serve = out.symbol("serve");
        long source = out.symbol("Store.java");
        out.stackFrame(frameId(1), main, out.symbol("([Ljava/lang/String;)V"), source, store.serial, 42);
        out.stackFrame(frameId(2), serve, out.symbol("()V"), source, store.serial, 117);
        out.stackTrace(1, 1, frameId(2), frameId(1));
    }

    private long frameId(int n) {
        return idSize == 8 ? 0x7f3a_5000_0000L + 0x40L * n : 0x40L * n;
    }

    private void writeStart() throws IOException {
        Reachability strong = Reachability.STRONG;
        queue(nullQueue, nullQueueLock);
        queue(enqueuedQueue, enqueuedQueueLock);
        queue(appQueue, appQueueLock);
        queue(finalizerQueue, finalizerQueueLock);
        instance(finalizerLock, javaLangObject, strong);
        objectArray(emptyElements, objectArray, 0, strong);
        out.end();
        objectArray(defaultEmptyElements, objectArray, 0, strong);
        out.end();
        for (int i = 0; i < REGIONS; i++) {
            instance(regions[i], region, strong);
            ref(regionNames[i]);
            out.u4(i);
            string(regionNames[i], regionNameBytes[i], REGION, i, NONE, strong);
            remember(regions[i]);
        }
        objectArray(regionValues, regionArray, REGIONS, strong);
        for (long r : regions) {
            element(r);
        }
        out.end();
        instance(mainThread, thread, strong);
        ref(mainThreadName);
        out.u4(5);
        out.u1(0);
        out.u8(1);
        out.u4(5); // RUNNABLE
        ref(0);
        instance(mainThreadName, string, strong);
        ref(mainThreadNameBytes);
        out.u1(0);
        out.u4("main".hashCode());
        out.u1(0);
        byteArray(mainThreadNameBytes, 4, strong);
        out.bytes(ascii("main"), 0, 4);
        out.end();
    }

    private void queue(long id, long lock) throws IOException {
        instance(id, referenceQueue, Reachability.STRONG);
        ref(0);
        out.u8(0);
        ref(lock);
        instance(lock, queueLock, Reachability.STRONG);
    }

    // ---- the end: the store, its ledgers, the roots ----

    private void writeEnd() throws IOException {
        Reachability strong = Reachability.STRONG;
        long ledgers = allocate(objectArraySize(CHAINS));
        objectArray(ledgers, objectArray, CHAINS, strong);
        for (long tail : tails) {
            element(tail);
        }
        out.end();
        long name = allocate(instanceSize(string));
        byte[] storeName = ascii("acme-store");
        long nameBytes = allocate(byteArraySize(storeName.length));
        long storeId = allocate(instanceSize(store));
        string(name, nameBytes, storeName, 0, NONE, strong);
        instance(storeId, store, strong);
        ref(ledgers);
        ref(name);
        out.u8(TIMESTAMP);
        for (DumpClass c : classes) {
            rootStickyClass(c.id);
        }
        rootThreadObject(mainThread, 1, 1);
        rootJavaFrame(storeId, 1, 1);
        for (int i = 0, depth = 0; i < CHAINS && depth < 3; i++) {
            if (tails[i] != 0) {
                rootJavaFrame(tails[i], 1, depth++);
            }
        }
        rootJniGlobal(ledgers, idSize == 8 ? 0x7f3a_6000_0000L : 0x6000);
        rootJniGlobal(appQueue, idSize == 8 ? 0x7f3a_6000_0008L : 0x6008);
    }

    // ---- the structures ----

    private int runLength() {
        return random.nextInt(5000) == 0 ? 10_000 + random.nextInt(1_000_000) : 20 + random.nextInt(400);
    }

    /**
     * A ledger and its run of entries, each entry followed by its customer if it has a new one. Entries link
     * forward ({@code next}: the next entry's address is known once this entry's customer is allocated) and
     * back; the ledger comes after them, linked to the previous ledger of a chain, and takes the structures made
     * since the previous ledger in its {@code extras}.
     */
    private void ledgerRun(Reachability reachability, int wanted) throws IOException {
        int length = trim(wanted, 4);
        long first = 0;
        long previous = 0;
        for (int i = 0; i < length; i++) {
            previous = entry(reachability, previous, i == length - 1);
            if (i == 0) {
                first = previous;
            }
        }
        boolean attach = reachability == Reachability.STRONG;
        long extras = 0;
        if (attach && pendingCount > 0) {
            extras = allocate(objectArraySize(pendingCount));
            objectArray(extras, objectArray, pendingCount, reachability);
            for (int i = 0; i < pendingCount; i++) {
                element(pending[i]);
            }
            out.end();
            pendingCount = 0;
        }
        int chain = random.nextInt(CHAINS);
        long id = allocate(instanceSize(ledger));
        instance(id, ledger, reachability);
        ref(first);
        ref(previous);
        ref(tails[chain]);
        ref(extras);
        out.u4(length);
        if (attach) {
            tails[chain] = id;
        }
    }

    private long entry(Reachability reachability, long previous, boolean last) throws IOException {
        long id = allocate(instanceSize(entry));
        boolean fresh = random.nextInt(10) < 6;
        long item = fresh ? 0 : pickCustomer();
        long number = customers;
        long name = 0;
        long nameBytes = 0;
        long email = 0;
        long emailBytes = 0;
        long tags = 0;
        int tagCount = 0;
        if (fresh) {
            customers++;
            item = allocate(instanceSize(customer));
            name = allocate(instanceSize(string));
            nameBytes = allocate(byteArraySize(textLength(CUSTOMER, number, NONE)));
            if (random.nextBoolean()) {
                email = allocate(instanceSize(string));
                emailBytes = allocate(byteArraySize(textLength(EMAIL, number, EMAIL_DOMAIN)));
            }
            if (random.nextInt(5) == 0) {
                tagCount = 1 + random.nextInt(4);
                tags = allocate(objectArraySize(tagCount));
            }
        }
        instance(id, entry, reachability);
        out.u8(sequence++);
        ref(last ? 0 : top);
        ref(previous);
        ref(item);
        ref(random.nextInt(4) == 0 ? pickAny() : 0);
        if (fresh) {
            instance(item, customer, reachability);
            out.u8(number);
            ref(name);
            ref(email);
            ref(regions[random.nextInt(REGIONS)]);
            ref(random.nextInt(5) < 4 ? pickCustomer() : 0);
            ref(random.nextBoolean() ? pickCustomer() : 0);
            ref(random.nextInt(10) < 7 ? pickAny() : 0);
            ref(tags);
            out.u8(1); // Entity.version
            string(name, nameBytes, CUSTOMER, number, NONE, reachability);
            if (email != 0) {
                string(email, emailBytes, EMAIL, number, EMAIL_DOMAIN, reachability);
            }
            if (tags != 0) {
                objectArray(tags, objectArray, tagCount, reachability);
                for (int i = 0; i < tagCount; i++) {
                    element(pickAny());
                }
                out.end();
            }
        }
        if (reachability == Reachability.STRONG) {
            remember(id);
            if (fresh) {
                rememberCustomer(item);
                remember(name);
            }
        }
        return id;
    }

    /**
     * A HashMap: its nodes in insertion order, each followed by its key (and boxed value), each node's
     * {@code next} the node inserted before it in the same bucket; then the table, then the map.
     */
    private void hashMap(Reachability reachability) throws IOException {
        int wanted = random.nextInt(200) == 0 ? 1_000 + random.nextInt(40_000) : 4 + random.nextInt(200);
        int size = trim(wanted, 4);
        int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, size * 4 / 3)) << 1);
        capacity = Math.min(capacity, MAX_TABLE);
        Arrays.fill(bucketHeads, 0, capacity, 0);
        for (int i = 0; i < size; i++) {
            int bucket = random.nextInt(capacity);
            long node = allocate(instanceSize(hashMapNode));
            long keyNumber = keys++;
            long key = allocate(instanceSize(string));
            long keyBytes = allocate(byteArraySize(textLength(KEY, keyNumber, NONE)));
            boolean boxed = random.nextBoolean();
            long value = boxed ? allocate(instanceSize(integer)) : pickCustomer();
            instance(node, hashMapNode, reachability);
            out.u4(random.nextInt() & -capacity | bucket);
            ref(key);
            ref(value);
            ref(bucketHeads[bucket]);
            string(key, keyBytes, KEY, keyNumber, NONE, reachability);
            if (boxed) {
                instance(value, integer, reachability);
                out.u4((int) keyNumber);
            }
            bucketHeads[bucket] = node;
            if (reachability == Reachability.STRONG) {
                remember(node);
            }
        }
        long table = allocate(objectArraySize(capacity));
        objectArray(table, hashMapNodeArray, capacity, reachability);
        for (int b = 0; b < capacity; b++) {
            element(bucketHeads[b]);
        }
        out.end();
        long map = allocate(instanceSize(hashMap));
        instance(map, hashMap, reachability);
        ref(table);
        ref(0);
        out.u4(size);
        out.u4(size);
        out.u4(capacity / 4 * 3);
        out.f4(0.75f);
        ref(0);
        ref(0);
        attach(map, reachability);
    }

    /**
     * Sessions, each a soft reference to a page (cleared in one in ten) and a weak reference to a subscriber (in
     * one in four to an object alive elsewhere), referents first; then an ArrayList of them.
     */
    private void sessions(Reachability reachability) throws IOException {
        boolean live = reachability == Reachability.STRONG;
        Reachability soft = live ? Reachability.SOFT : reachability;
        Reachability weak = live ? Reachability.WEAK : reachability;
        int count = trim(8 + random.nextInt(MAX_SESSIONS - 8), 9);
        for (int s = 0; s < count; s++) {
            long pageId = 0;
            if (random.nextInt(10) != 0) {
                long pageNumber = pages++;
                pageId = allocate(instanceSize(page));
                long title = allocate(instanceSize(string));
                long titleBytes = allocate(byteArraySize(textLength(PAGE, pageNumber, NONE)));
                int bodyLength = 16 + random.nextInt(1000);
                long body = allocate(byteArraySize(bodyLength));
                instance(pageId, page, soft);
                ref(title);
                ref(body);
                out.u4(random.nextInt(1000));
                string(title, titleBytes, PAGE, pageNumber, NONE, soft);
                byteArray(body, bodyLength, soft);
                out.bytes(BODY, (int) (pageNumber & 63), bodyLength);
                out.end();
            }
            long softId = allocate(instanceSize(softReference));
            instance(softId, softReference, reachability);
            out.u8(sequence);
            ref(pageId);
            ref(nullQueue);
            ref(0);
            ref(0);
            long referent;
            if (random.nextInt(4) == 0) {
                referent = pickAny();
            } else {
                long number = subscribers++;
                referent = allocate(instanceSize(subscriber));
                long name = allocate(instanceSize(string));
                long nameBytes = allocate(byteArraySize(textLength(SUBSCRIBER, number, NONE)));
                instance(referent, subscriber, weak);
                ref(name);
                ref(pickCustomer());
                string(name, nameBytes, SUBSCRIBER, number, NONE, weak);
            }
            long weakId = allocate(instanceSize(weakReference));
            instance(weakId, weakReference, reachability);
            ref(referent);
            ref(appQueue);
            ref(0);
            ref(0);
            long sessionId = allocate(instanceSize(session));
            instance(sessionId, session, reachability);
            ref(pickCustomer());
            ref(softId);
            ref(weakId);
            out.u8(TIMESTAMP + sequence);
            sessions[s] = sessionId;
        }
        long elements = allocate(objectArraySize(count));
        objectArray(elements, objectArray, count, reachability);
        for (int s = 0; s < count; s++) {
            element(sessions[s]);
        }
        out.end();
        arrayList(elements, count, reachability);
    }

    /**
     * An ArrayList that indexes objects made before: up to 20,000 elements, one in 1,000 a big array of 0.1 to 2
     * million; its capacity up to half again its size, the rest null.
     */
    private void index(Reachability reachability) throws IOException {
        int size = random.nextInt(1000) == 0 ? 100_000 + random.nextInt(1_900_000) : 16 + random.nextInt(20_000);
        if (byteTarget > 0) {
            size = (int) Math.max(16, Math.min(size, (byteTarget - out.position()) / idSize));
        }
        int capacity = size + random.nextInt(size / 2 + 1);
        long elements = allocate(objectArraySize(capacity));
        objectArray(elements, objectArray, capacity, reachability);
        for (int i = 0; i < size; i += chunk.length) {
            int n = Math.min(chunk.length, size - i);
            for (int j = 0; j < n; j++) {
                chunk[j] = pickAny();
            }
            elements(chunk, n);
        }
        out.nulls(capacity - size);
        out.end();
        arrayList(elements, size, reachability);
    }

    private void arrayList(long elements, int size, Reachability reachability) throws IOException {
        long list = allocate(instanceSize(arrayList));
        instance(list, arrayList, reachability);
        ref(elements);
        out.u4(size);
        out.u4(size); // AbstractList.modCount
        attach(list, reachability);
    }

    /** A structure made since the last ledger: the next strongly reachable ledger will hold it. */
    private void attach(long head, Reachability reachability) {
        if (reachability == Reachability.STRONG) {
            pending[pendingCount++] = head;
        }
    }

    // ---- Strings ----

    /** A Latin-1 String and its byte[]: prefix, the decimal number, suffix. */
    private void string(long id, long valueId, byte[] prefix, long number, byte[] suffix, Reachability reachability)
            throws IOException {
        int length = textLength(prefix, number, suffix);
        instance(id, string, reachability);
        ref(valueId);
        out.u1(0); // LATIN1
        out.u4((int) (number * 31 + prefix.length));
        out.u1(0);
        byteArray(valueId, length, reachability);
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        long n = number;
        for (int d = length - suffix.length - 1; d >= prefix.length; d--) {
            text[d] = (byte) ('0' + n % 10);
            n /= 10;
        }
        System.arraycopy(suffix, 0, text, length - suffix.length, suffix.length);
        out.bytes(text, 0, length);
        out.end();
    }

    private static int textLength(byte[] prefix, long number, byte[] suffix) {
        int d = 1;
        for (long n = number; n >= 10; n /= 10) {
            d++;
        }
        return prefix.length + d + suffix.length;
    }

    // ---- references to earlier objects ----

    private void remember(long id) {
        recent[recentNext] = id;
        recentNext = (recentNext + 1) & (RECENT - 1);
        recentCount = Math.min(recentCount + 1, RECENT);
        if ((++remembered & 63) == 0) {
            if (oldCount < OLD) {
                old[oldCount++] = id;
            } else {
                old[random.nextInt(OLD)] = id;
            }
        }
    }

    private void rememberCustomer(long id) {
        recentCustomers[customerNext] = id;
        customerNext = (customerNext + 1) & (RECENT - 1);
        customerCount = Math.min(customerCount + 1, RECENT);
    }

    /** A strongly reachable object made before: a recent one, or one in sixteen from anywhere before. */
    private long pickAny() {
        long r = random.nextLong();
        if (oldCount > 0 && r >>> 60 == 0) {
            return old[bounded(r, oldCount)];
        }
        return recent[bounded(r, recentCount)];
    }

    private long pickCustomer() {
        return customerCount == 0 ? 0 : recentCustomers[bounded(random.nextLong(), customerCount)];
    }

    /** A number below {@code n} from the low 32 bits of {@code r}. */
    private static int bounded(long r, int n) {
        return (int) (((r & 0xffff_ffffL) * n) >>> 32);
    }
}

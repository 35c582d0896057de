package dev.refkit.heap.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leak-suspect search on hand-built heaps shaped like the JVM's: each test builds one classic leak beside the
 * structures a real heap has around it (the application class loader and its class list, threads) and checks
 * that the first suspect names the owner a person would change, the container and what accumulates.
 */
class LeakSuspectSearchTest {

    private static final SuspectThresholds ANY_SIZE = new SuspectThresholds(0.05, 0);

    private static List<LeakSuspect> suspects(TestGraph graph) {
        return new HeapAnalysis(graph).leakSuspects(ANY_SIZE);
    }

    /**
     * The application class loader, held by a static field of a JDK class that is a sticky root, with its classes
     * in an ArrayList: the structure that made the first suspect "one AppClassLoader retains 95%".
     */
    private static final class AppHeap {
        final TestGraph.Builder b = TestGraph.builder();
        final int loader = b.object("jdk.internal.loader.ClassLoaders$AppClassLoader", "java.lang.ClassLoader", 96);
        final int classesArray;
        int classSlots;

        AppHeap() {
            int holder = b.classObject("jdk.internal.loader.ClassLoaders", 64);
            int classes = b.object("java.util.ArrayList", 24);
            classesArray = b.object("java.lang.Object[]", 4096);
            b.root(holder).ref(holder, loader, "static APP_LOADER").ref(loader, classes, "classes")
                    .ref(classes, classesArray, "elementData");
        }

        /** An application class, loaded by the app loader and listed in its classes. */
        int appClass(String name) {
            int cls = b.classObject(name, 64);
            b.loader(name, loader).ref(classesArray, cls, "[" + classSlots++ + "]").ref(cls, loader, "<loader>");
            return cls;
        }

        /** An ArrayList held by {@code holder.field} whose array holds {@code count} objects of {@code size} bytes. */
        int list(int holder, String field, String elementClass, int count, long size) {
            int list = b.object("java.util.ArrayList", 24);
            int array = b.object("java.lang.Object[]", 16 + 4L * count);
            b.ref(holder, list, field).ref(list, array, "elementData");
            for (int i = 0; i < count; i++) {
                b.ref(array, b.object(elementClass, size), "[" + i + "]");
            }
            return list;
        }
    }

    @Test
    void staticMapUnderTheApplicationLoaderIsOwnedByItsStaticFieldNotByTheLoader() {
        AppHeap heap = new AppHeap();
        int cache = heap.appClass("app.ReportCache");
        int map = heap.b.object("java.util.HashMap", 48);
        int table = heap.b.object("java.util.HashMap$Node[]", 16 + 4 * 512);
        heap.b.ref(cache, map, "static RENDERED").ref(map, table, "table");
        for (int i = 0; i < 300; i++) {
            int node = heap.b.object("java.util.HashMap$Node", 32);
            heap.b.ref(table, node, "[" + i + "]").ref(node, heap.b.object("java.lang.String", 24), "key")
                    .ref(node, heap.b.object("byte[]", 10_000), "value");
        }

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.STATIC_COLLECTION);
        assertThat(first.owner().type()).isEqualTo(LeakSuspect.Owner.Type.STATIC_FIELD);
        assertThat(first.owner().description()).isEqualTo("static field app.ReportCache.RENDERED");
        assertThat(first.owner().context()).isEqualTo("ReportCache loaded by ClassLoaders$AppClassLoader");
        assertThat(first.container().type()).isEqualTo("java.util.HashMap");
        assertThat(first.container().description()).isEqualTo("a HashMap of 300 entries");
        assertThat(first.accumulated().get(0)).isEqualTo(new LeakSuspect.Accumulated("byte[]", 300, 300 * (32 + 24 + 10_000L),
                "HashMap$Node.value"));
        assertThat(first.stepsFromOwner()).extracting(GcRootPath.Step::referenceText).containsExactly(
                "app.ReportCache.RENDERED", "java.util.HashMap.table", "java.util.HashMap$Node[][0]",
                "java.util.HashMap$Node.value");
        assertThat(first.pathLines()).containsExactly(
                "static app.ReportCache.RENDERED → HashMap  ◀ container",
                "  .table → HashMap$Node[]",
                "  [*] → HashMap$Node",
                "  .value → byte[]  ◀ one of 300");
        assertThat(first.summary()).startsWith("static field app.ReportCache.RENDERED holds a HashMap of 300 entries:"
                + " 300 × byte[] via HashMap$Node.value");
    }

    @Test
    void listenersCapturingTheirOwnersNameTheFieldAndTheOwnersThroughTheLambda() {
        AppHeap heap = new AppHeap();
        int market = heap.appClass("app.Market");
        int feed = heap.b.object("app.PriceFeed", 24);
        heap.b.ref(market, feed, "static FEED");
        int list = heap.b.object("java.util.concurrent.CopyOnWriteArrayList", 24);
        int array = heap.b.object("java.lang.Object[]", 16 + 4 * 200);
        heap.b.ref(feed, list, "listeners").ref(list, array, "array");
        for (int i = 0; i < 200; i++) {
            int lambda = heap.b.object("app.ChartView$$Lambda$14/0x0000000801001234", 16);
            int view = heap.b.object("app.ChartView", 48);
            heap.b.ref(array, lambda, "[" + i + "]").ref(lambda, view, "arg$1")
                    .ref(view, heap.b.object("int[]", 5_000), "pixels");
        }

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.LISTENERS);
        assertThat(first.owner().type()).isEqualTo(LeakSuspect.Owner.Type.INSTANCE_FIELD);
        assertThat(first.owner().description()).isEqualTo("field app.PriceFeed.listeners");
        assertThat(first.owner().context()).isEqualTo("the PriceFeed in static field app.Market.FEED");
        assertThat(first.container().type()).isEqualTo("java.util.concurrent.CopyOnWriteArrayList");
        assertThat(first.accumulated()).hasSize(1);
        assertThat(first.accumulated().get(0).className()).isEqualTo("app.ChartView");
        assertThat(first.accumulated().get(0).count()).isEqualTo(200);
        assertThat(first.accumulated().get(0).via()).isEqualTo("ChartView$$Lambda.arg$1");
        assertThat(first.pathLines().get(0)).isEqualTo("static app.Market.FEED → PriceFeed");
        assertThat(first.pathLines()).last().asString().endsWith(".arg$1 → ChartView  ◀ one of 200");
        assertThat(first.hint()).contains("unsubscribe").contains("dev.refkit.event.Listeners");
    }

    @Test
    void aLinkedQueueIsOneStructureNamedByItsQueueNotItsTail() {
        AppHeap heap = new AppHeap();
        int scheduler = heap.appClass("app.Scheduler");
        int queue = heap.b.object("java.util.concurrent.LinkedBlockingQueue", 48);
        heap.b.ref(scheduler, queue, "static PENDING");
        int node = heap.b.object("java.util.concurrent.LinkedBlockingQueue$Node", 24);
        heap.b.ref(queue, node, "head");
        for (int i = 0; i < 3_000; i++) {
            int next = heap.b.object("java.util.concurrent.LinkedBlockingQueue$Node", 24);
            heap.b.ref(node, next, "next").ref(next, heap.b.object("app.Job", 2_000), "item");
            node = next;
        }
        heap.b.ref(queue, node, "last");

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.owner().description()).isEqualTo("static field app.Scheduler.PENDING");
        assertThat(first.container().type()).isEqualTo("java.util.concurrent.LinkedBlockingQueue");
        assertThat(first.accumulated().get(0).className()).isEqualTo("app.Job");
        assertThat(first.accumulated().get(0).count()).isGreaterThanOrEqualTo(2_999);
        assertThat(first.accumulated().get(0).via()).isEqualTo("LinkedBlockingQueue$Node.item");
        assertThat(first.path().steps()).hasSizeLessThan(10);
    }

    @Test
    void threadLocalValuesInTwoPooledThreadsAreOneSuspectNamingTheThreadLocalAndThePool() {
        AppHeap heap = new AppHeap();
        int context = heap.appClass("app.ReportContext");
        int threadLocal = heap.b.object("java.lang.ThreadLocal", 16);
        heap.b.ref(context, threadLocal, "static BUFFER");
        for (int t = 1; t <= 2; t++) {
            int thread = heap.b.object("java.lang.Thread", 120);
            heap.b.root(thread, "THREAD_OBJECT", null, null);
            heap.b.string(thread, "name", "pool-1-thread-" + t);
            int map = heap.b.object("java.lang.ThreadLocal$ThreadLocalMap", 24);
            int table = heap.b.object("java.lang.ThreadLocal$ThreadLocalMap$Entry[]", 80);
            int entry = heap.b.object("java.lang.ThreadLocal$ThreadLocalMap$Entry", "java.lang.ref.WeakReference", 32);
            heap.b.ref(thread, map, "threadLocals").ref(map, table, "table").ref(table, entry, "[3]")
                    .ref(entry, threadLocal, Reachability.WEAK, "referent");
            heap.list(entry, "value", "byte[]", 50, 20_000);
        }

        List<LeakSuspect> found = suspects(heap.b.build());

        assertThat(found).hasSize(1);
        LeakSuspect suspect = found.get(0);
        assertThat(suspect.kind()).isEqualTo(LeakSuspect.Kind.THREAD_LOCAL);
        assertThat(suspect.owner().description()).isEqualTo("ThreadLocal app.ReportContext.BUFFER");
        assertThat(suspect.owner().threads()).containsExactly("pool-1-thread-1", "pool-1-thread-2");
        assertThat(suspect.summary()).contains("2 threads of pool-1");
        assertThat(suspect.accumulated().get(0).count()).isEqualTo(100);
        assertThat(suspect.container().description()).isEqualTo("2 × ArrayList with 100 elements in all");
    }

    @Test
    void aBatchInARunningThreadsLocalVariableNamesTheThreadAndFrame() {
        AppHeap heap = new AppHeap();
        int thread = heap.b.object("java.lang.Thread", 120);
        heap.b.root(thread, "THREAD_OBJECT", null, null);
        int batch = heap.b.object("java.util.ArrayList", 24);
        heap.b.root(batch, "JAVA_FRAME", "ingest-worker", "app.Ingest.run(Ingest.java:42)", thread, 1);
        int array = heap.b.object("java.lang.Object[]", 416);
        heap.b.ref(batch, array, "elementData");
        for (int i = 0; i < 100; i++) {
            heap.b.ref(array, heap.b.object("byte[]", 100_000), "[" + i + "]");
        }

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.THREAD_STACK);
        assertThat(first.owner().description())
                .isEqualTo("thread \"ingest-worker\" at app.Ingest.run(Ingest.java:42), a local variable");
        assertThat(first.owner().frame()).isEqualTo("app.Ingest.run(Ingest.java:42)");
        assertThat(first.ownerStep()).isEqualTo(-1);
        assertThat(first.accumulated().get(0)).isEqualTo(new LeakSuspect.Accumulated("byte[]", 100, 10_000_000, ""));
    }

    @Test
    void aStaleLoaderIsBlamedOnTheOneReferenceFromTheParentSide() {
        AppHeap heap = new AppHeap();
        int registry = heap.appClass("app.HostRegistry");
        int handlers = heap.b.object("java.util.ArrayList", 24);
        int handlerArray = heap.b.object("java.lang.Object[]", 32);
        heap.b.ref(registry, handlers, "static HANDLERS").ref(handlers, handlerArray, "elementData");
        int stale = heap.b.object("app.PluginLoader", "java.lang.ClassLoader", 96);
        int handlerClass = heap.b.classObject("plugin.Handler", 64);
        int handler = heap.b.object("plugin.Handler", 16);
        heap.b.loader("plugin.Handler", stale).ref(handlerArray, handler, "[0]").ref(handler, handlerClass, "<class>")
                .ref(handlerClass, stale, "<loader>");
        int staleClasses = heap.b.object("java.util.ArrayList", 24);
        int staleArray = heap.b.object("java.lang.Object[]", 32);
        int plugin = heap.b.classObject("plugin.Plugin", 64);
        heap.b.loader("plugin.Plugin", stale).ref(stale, staleClasses, "classes").ref(staleClasses, staleArray, "elementData")
                .ref(staleArray, handlerClass, "[0]").ref(staleArray, plugin, "[1]").ref(plugin, stale, "<loader>");
        heap.list(plugin, "static CACHE", "byte[]", 40, 50_000);

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.STALE_CLASS_LOADER);
        assertThat(first.owner().type()).isEqualTo(LeakSuspect.Owner.Type.STALE_CLASS_LOADER);
        assertThat(first.owner().className()).isEqualTo("app.HostRegistry");
        assertThat(first.owner().field()).isEqualTo("HANDLERS");
        assertThat(first.owner().context()).isEqualTo("static field app.HostRegistry.HANDLERS → Handler");
        assertThat(first.accumulated().get(0).className()).isEqualTo("byte[]");
        assertThat(first.retainedBytes()).isGreaterThanOrEqualTo(40 * 50_000L);
    }

    @Test
    void aLiveApplicationLoaderHeldByALauncherIsContextNotAStaleLoader() {
        TestGraph.Builder b = TestGraph.builder();
        int loader = b.object("java.net.URLClassLoader", "java.lang.ClassLoader", 96);
        b.root(loader, "JAVA_FRAME", "main", "app.Launcher.main(Launcher.java:20)");
        b.string(loader, "name", "app-under-test");
        int classes = b.object("java.util.ArrayList", 24);
        int array = b.object("java.lang.Object[]", 64);
        int cache = b.classObject("app.ReportCache", 64);
        b.loader("app.ReportCache", loader).ref(loader, classes, "classes").ref(classes, array, "elementData")
                .ref(array, cache, "[0]").ref(cache, loader, "<loader>");
        int list = b.object("java.util.ArrayList", 24);
        int elements = b.object("java.lang.Object[]", 416);
        b.ref(cache, list, "static RENDERED").ref(list, elements, "elementData");
        for (int i = 0; i < 100; i++) {
            b.ref(elements, b.object("byte[]", 10_000), "[" + i + "]");
        }

        LeakSuspect first = suspects(b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.STATIC_COLLECTION);
        assertThat(first.owner().description()).isEqualTo("static field app.ReportCache.RENDERED");
        assertThat(first.owner().context()).isEqualTo("ReportCache loaded by app-under-test");
    }

    @Test
    void aQueueBehindAnExecutorNamesTheStaticFieldThroughItsDelegateAndTheBlockedWorker() {
        AppHeap heap = new AppHeap();
        int ingest = heap.appClass("app.Ingest");
        int delegate = heap.b.object("java.util.concurrent.Executors$FinalizableDelegatedExecutorService", 16);
        heap.b.declareClass("java.util.concurrent.ThreadPoolExecutor", null);
        int executor = heap.b.object("java.util.concurrent.ThreadPoolExecutor",
                "java.util.concurrent.AbstractExecutorService", 80);
        heap.b.ref(ingest, delegate, "static EXECUTOR").ref(delegate, executor, "e");
        int thread = heap.b.object("java.lang.Thread", 120);
        heap.b.string(thread, "name", "pool-1-thread-1");
        int worker = heap.b.object("java.util.concurrent.ThreadPoolExecutor$Worker", 32);
        heap.b.root(thread, "THREAD_OBJECT", null, null).ref(thread, worker, "target").ref(worker, executor, "this$0")
                .ref(worker, thread, "thread");
        heap.b.root(worker, "JAVA_FRAME", "pool-1-thread-1", "app.Ingest.lambda$main$0(Ingest.java:30)", thread, 3);
        int workers = heap.b.object("java.util.HashSet", 16);
        heap.b.ref(executor, workers, "workers").ref(workers, worker, "map");
        int queue = heap.b.object("java.util.concurrent.LinkedBlockingQueue", 48);
        heap.b.ref(executor, queue, "workQueue");
        int node = heap.b.object("java.util.concurrent.LinkedBlockingQueue$Node", 24);
        heap.b.ref(queue, node, "head");
        for (int i = 0; i < 500; i++) {
            int next = heap.b.object("java.util.concurrent.LinkedBlockingQueue$Node", 24);
            int task = heap.b.object("app.Ingest$$Lambda$7/0x00000008000c1234", 16);
            heap.b.ref(node, next, "next").ref(next, task, "item").ref(task, heap.b.object("byte[]", 5_000), "arg$1");
            node = next;
        }

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.STUCK_EXECUTOR);
        assertThat(first.owner().description()).isEqualTo("static field app.Ingest.EXECUTOR");
        assertThat(first.owner().context())
                .isEqualTo("its 1 worker is busy: thread \"pool-1-thread-1\" in app.Ingest.lambda$main$0(Ingest.java:30)");
        assertThat(first.stepsFromOwner()).extracting(GcRootPath.Step::referenceText).startsWith(
                "app.Ingest.EXECUTOR", "java.util.concurrent.Executors$FinalizableDelegatedExecutorService.e",
                "java.util.concurrent.ThreadPoolExecutor.workQueue");
        assertThat(first.accumulated().get(0).className()).isEqualTo("byte[]");
        assertThat(first.accumulated().get(0).via()).isEqualTo("LinkedBlockingQueue$Node.item → Ingest$$Lambda.arg$1");
    }

    @Test
    void objectsAwaitingFinalizationBehindABlockedFinalizerThreadAreABacklog() {
        AppHeap heap = new AppHeap();
        int finalizerClass = heap.b.classObject("java.lang.ref.Finalizer", 64);
        heap.b.root(finalizerClass);
        int finalizerThread = heap.b.object("java.lang.Thread", 120);
        heap.b.root(finalizerThread, "THREAD_OBJECT", null, null);
        int blocker = heap.b.object("app.Blocker", 16);
        heap.b.root(blocker, "JAVA_FRAME", "Finalizer", "app.Blocker.finalize(Blocker.java:9)", finalizerThread, 2);
        heap.b.root(blocker, "JAVA_FRAME", "Finalizer", "java.lang.ref.Finalizer.runFinalizer(Finalizer.java:82)",
                finalizerThread, 4);
        int previous = -1;
        for (int i = 0; i < 400; i++) {
            int ref = heap.b.object("java.lang.ref.Finalizer", "java.lang.ref.FinalReference", 40);
            int pending = heap.b.object("app.NativeBuffer", 24);
            heap.b.ref(ref, pending, Reachability.FINALIZER, "referent")
                    .ref(pending, heap.b.object("byte[]", 1_000), "bytes");
            heap.b.ref(previous < 0 ? finalizerClass : previous, ref, previous < 0 ? "static unfinalized" : "next");
            previous = ref;
        }

        List<LeakSuspect> found = suspects(heap.b.build());

        LeakSuspect backlog = found.stream().filter(s -> s.kind() == LeakSuspect.Kind.FINALIZER_BACKLOG).findFirst()
                .orElseThrow();
        assertThat(backlog.owner().type()).isEqualTo(LeakSuspect.Owner.Type.FINALIZER_QUEUE);
        assertThat(backlog.owner().frame()).isEqualTo("app.Blocker.finalize(Blocker.java:9)");
        assertThat(backlog.accumulated().get(0)).isEqualTo(new LeakSuspect.Accumulated("app.NativeBuffer", 400,
                400 * 1_024L, ""));
        assertThat(backlog.hint()).contains("app.Blocker.finalize(Blocker.java:9)").contains("Cleaner");
    }

    @Test
    void aWatchedObjectInsideALeakingContainerIsOneSuspectRankedFirst() {
        AppHeap heap = new AppHeap();
        int views = heap.appClass("app.Views");
        int list = heap.list(views, "static OPEN", "app.View", 100, 20_000);
        int watcher = heap.b.object("dev.refkit.leak.KeyedWeakReference", "java.lang.ref.WeakReference", 40);
        heap.b.root(watcher);
        TestGraph graph = heap.b.build();
        int aView = graph.edgeTarget(graph.firstEdge(graph.edgeTarget(graph.firstEdge(list))));
        TestGraph.Builder again = heap.b;
        again.ref(watcher, aView, Reachability.WEAK, "referent").string(watcher, "description", "closed view")
                .string(watcher, "key", "k-1");

        List<LeakSuspect> found = suspects(again.build());

        assertThat(found).hasSize(1);
        LeakSuspect first = found.get(0);
        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.WATCHED_OBJECT_ALIVE);
        assertThat(first.summary()).contains("\"closed view\" (key k-1)").contains("static field app.Views.OPEN");
        assertThat(first.accumulated().get(0).count()).isEqualTo(100);
    }

    @Test
    void weakMapValuesHoldingTheirKeysMarkTheirMapsSuspect() {
        AppHeap heap = new AppHeap();
        int registry = heap.appClass("app.WidgetRegistry");
        int map = heap.b.object("java.util.WeakHashMap", 48);
        int table = heap.b.object("java.util.WeakHashMap$Entry[]", 16 + 4 * 128);
        heap.b.ref(registry, map, "static STATE").ref(map, table, "table");
        for (int i = 0; i < 100; i++) {
            int entry = heap.b.object("java.util.WeakHashMap$Entry", "java.lang.ref.WeakReference", 40);
            int key = heap.b.object("app.Widget", 64);
            int value = heap.b.object("app.WidgetState", 10_000);
            heap.b.ref(table, entry, "[" + i + "]").ref(entry, key, Reachability.WEAK, "referent")
                    .ref(entry, value, "value").ref(value, key, "widget");
        }

        LeakSuspect first = suspects(heap.b.build()).get(0);

        assertThat(first.kind()).isEqualTo(LeakSuspect.Kind.VALUE_REACHES_WEAK_KEY);
        assertThat(first.owner().description()).isEqualTo("static field app.WidgetRegistry.STATE");
        assertThat(first.accumulated().get(0).className()).isEqualTo("app.WidgetState");
        assertThat(first.accumulated().get(0).via()).isEqualTo("WeakHashMap$Entry.value");
    }

    @Test
    void aSmallWeakKeyCycleIsNotASuspectAtTheDefaultThresholds() {
        AppHeap heap = new AppHeap();
        int registry = heap.appClass("app.Registry");
        int entry = heap.b.object("java.lang.ThreadLocal$ThreadLocalMap$Entry", "java.lang.ref.WeakReference", 32);
        int key = heap.b.object("app.Key", 16);
        int value = heap.b.object("app.Value", 88);
        heap.b.ref(registry, entry, "static ENTRY").ref(entry, key, Reachability.WEAK, "referent")
                .ref(entry, value, "value").ref(value, key, "key");

        assertThat(new HeapAnalysis(heap.b.build()).leakSuspects()).isEmpty();
    }

    @Test
    void twoStaticLeaksUnderOneLoaderAreTwoSuspects() {
        AppHeap heap = new AppHeap();
        heap.list(heap.appClass("app.A"), "static ITEMS", "app.Item", 100, 5_000);
        heap.list(heap.appClass("app.B"), "static EVENTS", "app.Event", 100, 4_000);

        List<LeakSuspect> found = suspects(heap.b.build());

        assertThat(found).extracting(s -> s.owner().description())
                .containsExactly("static field app.A.ITEMS", "static field app.B.EVENTS");
    }

    @Test
    void manySmallObjectsEachHeldApartAreOneSuspect() {
        TestGraph.Builder b = TestGraph.builder();
        for (int i = 0; i < 20; i++) {
            b.root(b.object("com.example.Session", 100), "JNI_GLOBAL", null, null);
        }
        b.root(b.object("com.example.Config", 50));

        List<LeakSuspect> found = suspects(b.build());

        assertThat(found).hasSize(1);
        assertThat(found.get(0).accumulated()).containsExactly(new LeakSuspect.Accumulated("com.example.Session", 20,
                2_000, ""));
        assertThat(found.get(0).container().description()).isEqualTo("20 Session, each held apart");
    }

    @Test
    void fingerprintDependsOnNamesNotOnObjectIndexes() {
        AppHeap one = new AppHeap();
        one.b.object("app.Padding", 8);
        one.list(one.appClass("app.A"), "static ITEMS", "app.Item", 100, 5_000);
        AppHeap two = new AppHeap();
        two.list(two.appClass("app.Other"), "static SMALL", "app.Item", 3, 10);
        two.list(two.appClass("app.A"), "static ITEMS", "app.Item", 150, 5_000);

        LeakSuspect first = suspects(one.b.build()).get(0);
        LeakSuspect second = suspects(two.b.build()).get(0);

        assertThat(first.fingerprint()).hasSize(16).isEqualTo(second.fingerprint());
        assertThat(first.container().object()).isNotEqualTo(second.container().object());
    }

    @Test
    void aClassOfTheDefaultPackageIsApplicationCodeNotTheJdks() {
        AppHeap heap = new AppHeap();
        heap.list(heap.appClass("Main"), "static EVENTS", "byte[]", 100, 10_000);

        assertThat(suspects(heap.b.build())).extracting(s -> s.owner().description())
                .containsExactly("static field Main.EVENTS");
    }

    @Test
    void emptyHeapHasNoSuspects() {
        assertThat(suspects(TestGraph.builder().build())).isEmpty();
    }
}

package dev.refkit.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.cache.ReferenceCache;
import dev.refkit.heap.HeapDump;
import dev.refkit.junit5.LeakCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each library module used from the module path by an application module of its own ({@link ConsumerModule}):
 * its module name, its exports and its {@code requires} are what a modular application needs. The class path of
 * this test is not the child's: its module path holds the refkit modules and, for refkit-junit5, the JUnit
 * Platform, nothing more.
 */
class ModulePathConsumersTest {

    @TempDir
    Path work;

    private static final Path CORE = ConsumerModule.home(ReferenceCache.class);
    private static final Path HEAP = ConsumerModule.home(HeapDump.class);
    private static final Path JUNIT5 = ConsumerModule.home(LeakCheck.class);

    @Test
    void anApplicationModuleThatRequiresDevRefkitCoreLoadsThroughTheCacheAndHearsItsListeners() throws Exception {
        ConsumerModule app = new ConsumerModule("app.core")
                .source("module-info.java", """
                        module app.core {
                            requires dev.refkit.core;
                        }
                        """)
                .source("app/core/Main.java", """
                        package app.core;

                        import dev.refkit.cache.ReferenceCache;
                        import dev.refkit.event.Listeners;
                        import dev.refkit.map.ReferenceMap;
                        import java.util.ArrayList;
                        import java.util.List;

                        public final class Main {
                            public static void main(String[] args) {
                                ReferenceCache<String, String> cache = ReferenceCache.<String, String>builder()
                                        .softValues().recordStats().build(id -> "employee " + id);
                                cache.get("E-1");
                                cache.get("E-1");
                                System.out.println("loads " + cache.stats().loadCount());

                                ReferenceMap<Object, String> map = ReferenceMap.<Object, String>builder().weakKeys().build();
                                Object key = new Object();
                                map.put(key, "value");
                                System.out.println("mapped " + map.get(key));

                                List<String> heard = new ArrayList<>();
                                Listeners<String> prices = Listeners.create();
                                prices.subscribe(heard, (list, event) -> list.add(event));
                                prices.publish("ACME 42");
                                System.out.println("heard " + heard);
                            }
                        }
                        """);

        ConsumerModule.Run run = app.run(work, List.of(CORE), "app.core.Main");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("loads 1").contains("mapped value").contains("heard [ACME 42]");
    }

    @Test
    void anApplicationModuleThatRequiresDevRefkitHeapFindsWhatItsOwnHeapDumpHolds() throws Exception {
        ConsumerModule app = new ConsumerModule("app.heap")
                .source("module-info.java", """
                        module app.heap {
                            requires dev.refkit.heap;
                            requires jdk.management;
                        }
                        """)
                .source("app/heap/Main.java", """
                        package app.heap;

                        import com.sun.management.HotSpotDiagnosticMXBean;
                        import dev.refkit.heap.HeapDump;
                        import dev.refkit.heap.ProgressListener;
                        import dev.refkit.heap.analysis.HeapAnalysis;
                        import dev.refkit.heap.analysis.PathOptions;
                        import dev.refkit.heap.analysis.PathTree;
                        import dev.refkit.heap.analysis.Reachability;
                        import java.lang.management.ManagementFactory;
                        import java.nio.file.Path;
                        import java.util.ArrayList;
                        import java.util.List;

                        public final class Main {
                            static final class Session {
                                final byte[] state = new byte[1024];
                            }

                            static final List<Session> SESSIONS = new ArrayList<>();

                            public static void main(String[] args) throws Exception {
                                for (int i = 0; i < 500; i++) {
                                    SESSIONS.add(new Session());
                                }
                                Path file = Path.of(args[0]);
                                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
                                try (HeapDump dump = HeapDump.open(file, ProgressListener.NONE)) {
                                    HeapAnalysis analysis = HeapAnalysis.of(dump);
                                    System.out.println("strong objects " + (analysis.reachability().count(Reachability.STRONG) > 0));
                                    PathTree paths = analysis.mergedPathsToGcRoots(Session.class.getName(),
                                            PathOptions.excludingNonStrong());
                                    System.out.println("sessions reached " + paths.reached());
                                }
                            }
                        }
                        """);

        ConsumerModule.Run run = app.run(work, List.of(HEAP), "app.heap.Main", work.resolve("app.hprof").toString());

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("strong objects true").contains("sessions reached 500");
    }

    @Test
    void aTestModuleThatRequiresDevRefkitJunit5FailsItsLeakingTestWithTheRetainingPath() throws Exception {
        ConsumerModule tests = new ConsumerModule("app.tests")
                .source("module-info.java", """
                        module app.tests {
                            requires dev.refkit.junit5;
                            requires dev.refkit.heap;
                            requires org.junit.platform.testkit;
                            opens app.tests to org.junit.platform.commons;
                        }
                        """)
                .source("app/tests/ViewTest.java", """
                        package app.tests;

                        import dev.refkit.junit5.LeakCheck;
                        import dev.refkit.junit5.LeakCheckExtension;
                        import java.util.ArrayList;
                        import java.util.List;
                        import org.junit.jupiter.api.Test;

                        @LeakCheck
                        class ViewTest {
                            static final List<Object> OPEN_VIEWS = new ArrayList<>();

                            @Test
                            void keepsAClosedView() {
                                Object view = new Object();
                                OPEN_VIEWS.add(view);
                                LeakCheckExtension.expectCollected(view, "a closed view");
                            }

                            @Test
                            void dropsAClosedView() {
                                LeakCheckExtension.expectCollected(new Object(), "a dropped view");
                            }
                        }
                        """)
                .source("app/tests/Main.java", """
                        package app.tests;

                        import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

                        import org.junit.platform.testkit.engine.EngineTestKit;
                        import org.junit.platform.testkit.engine.Events;

                        public final class Main {
                            public static void main(String[] args) {
                                Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ViewTest.class))
                                        .execute().testEvents();
                                System.out.println("succeeded " + tests.succeeded().count());
                                System.out.println("failed " + tests.failed().count());
                                tests.failed().stream().forEach(event -> System.out.println(
                                        event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                                                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                                                .map(Throwable::getMessage).orElse("(no message)")));
                            }
                        }
                        """);
        List<Path> modulePath = List.of(CORE, HEAP, JUNIT5,
                ConsumerModule.home(org.junit.jupiter.api.Test.class),
                ConsumerModule.home(org.junit.jupiter.engine.JupiterTestEngine.class),
                ConsumerModule.home(org.junit.platform.commons.JUnitException.class),
                ConsumerModule.home(org.junit.platform.engine.TestEngine.class),
                ConsumerModule.home(org.junit.platform.launcher.Launcher.class),
                ConsumerModule.home(org.junit.platform.testkit.engine.EngineTestKit.class),
                ConsumerModule.home(org.opentest4j.AssertionFailedError.class),
                ConsumerModule.home(org.apiguardian.api.API.class),
                ConsumerModule.home(org.assertj.core.api.Assertions.class));

        ConsumerModule.Run run = tests.run(work, modulePath, "app.tests.Main");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("succeeded 1").contains("failed 1").contains("a closed view")
                .contains("static app.tests.ViewTest.OPEN_VIEWS → ArrayList");
    }
}

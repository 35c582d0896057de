package dev.refkit.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture guard in a named module, for real: a small module that requires {@code dev.refkit.core} is
 * compiled with javac (in process) and run in a child JVM on the module path, with this build's classes as the module
 * {@code dev.refkit.core}. Package {@code demo.app} is not open to refkit (the guard cannot read the handler's
 * fields and decides by their declared types); package {@code demo.app.opened} is (the guard compares
 * identities). The child prints one line per check and exits with 1 if any check failed.
 */
class CaptureGuardNamedModuleTest {

    private static final String MODULE_INFO = """
            module demo.app {
                requires dev.refkit.core;
                opens demo.app.opened to dev.refkit.core;
            }
            """;

    private static final String OWNER = """
            package demo.app;

            import dev.refkit.event.Listeners;
            import dev.refkit.event.WeakMethod;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.function.BiConsumer;

            public final class Owner {
                final List<String> received = new ArrayList<>();

                void onEvent(String event) {
                    received.add(event);
                }

                void handle(Object source, String event) {
                    received.add(event);
                }

                void capturingLambda(Listeners<String> listeners) {
                    listeners.subscribe(this, (self, event) -> this.onEvent(event));
                }

                void boundReference(Listeners<String> listeners) {
                    listeners.subscribe(this, this::handle);
                }

                void anonymousClass(Listeners<String> listeners) {
                    listeners.subscribe(this, new BiConsumer<Owner, String>() {
                        @Override
                        public void accept(Owner self, String event) {
                            onEvent(event);
                        }
                    });
                }

                void capturingWeakMethod() {
                    WeakMethod.of(this, (Owner self, String event) -> onEvent(event));
                }

                void methodReference(Listeners<String> listeners) {
                    listeners.subscribe(this, Owner::onEvent);
                }

                void capturingAnotherType(Listeners<String> listeners, List<String> sink) {
                    listeners.subscribe(this, (self, event) -> sink.add(event));
                }

                void capturingAnotherOwner(Listeners<String> listeners, Owner other) {
                    listeners.subscribe(this, (self, event) -> other.onEvent(event));
                }
            }
            """;

    private static final String OPENED_OWNER = """
            package demo.app.opened;

            import dev.refkit.event.Listeners;

            public final class OpenedOwner {
                void onEvent(String event) {
                }

                public void capturingLambda(Listeners<String> listeners) {
                    listeners.subscribe(this, (self, event) -> this.onEvent(event));
                }

                public void capturingAnotherOwner(Listeners<String> listeners, OpenedOwner other) {
                    listeners.subscribe(this, (self, event) -> other.onEvent(event));
                }
            }
            """;

    private static final String MAIN = """
            package demo.app;

            import dev.refkit.event.Listeners;
            import demo.app.opened.OpenedOwner;
            import java.lang.ref.WeakReference;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.locks.LockSupport;

            public final class Main {
                private static final List<String> failures = new ArrayList<>();

                public static void main(String[] args) {
                    check("module-mode", Main.class.getModule().isNamed() && Listeners.class.getModule().isNamed());
                    Listeners<String> listeners = Listeners.create();
                    Owner owner = new Owner();
                    rejected("capturing-lambda", "is not open to dev.refkit.core", () -> owner.capturingLambda(listeners));
                    rejected("bound-reference", "is not open to dev.refkit.core", () -> owner.boundReference(listeners));
                    rejected("anonymous-class", "this$0", () -> owner.anonymousClass(listeners));
                    rejected("capturing-weak-method", "WeakMethod.of", owner::capturingWeakMethod);
                    rejected("closed-package-other-owner", "is not open to dev.refkit.core",
                            () -> owner.capturingAnotherOwner(listeners, new Owner()));
                    accepted("method-reference", () -> owner.methodReference(listeners));
                    accepted("capturing-another-type", () -> owner.capturingAnotherType(listeners, new ArrayList<>()));
                    OpenedOwner opened = new OpenedOwner();
                    rejected("opened-capturing-lambda", "refers to the owner", () -> opened.capturingLambda(listeners));
                    accepted("opened-other-owner", () -> opened.capturingAnotherOwner(listeners, new OpenedOwner()));
                    listeners.publish("hello");
                    check("delivered", owner.received.equals(List.of("hello")));
                    check("collected", ownerOfTemporarySubscriptionIsCollected());
                    if (!failures.isEmpty()) {
                        System.out.println("FAILED " + failures);
                        System.exit(1);
                    }
                }

                private static boolean ownerOfTemporarySubscriptionIsCollected() {
                    Listeners<String> registry = Listeners.create();
                    WeakReference<Owner> owner = subscribeTemporary(registry);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        System.gc();
                        if (owner.get() == null && registry.size() == 0) {
                            return true;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                    return false;
                }

                private static WeakReference<Owner> subscribeTemporary(Listeners<String> registry) {
                    Owner owner = new Owner();
                    owner.methodReference(registry);
                    return new WeakReference<>(owner);
                }

                private static void rejected(String name, String messagePart, Runnable action) {
                    try {
                        action.run();
                        failures.add(name + " was accepted");
                    } catch (IllegalArgumentException e) {
                        if (e.getMessage().contains(messagePart)) {
                            System.out.println("ok " + name);
                        } else {
                            failures.add(name + " rejected without '" + messagePart + "': " + e.getMessage());
                        }
                    }
                }

                private static void accepted(String name, Runnable action) {
                    try {
                        action.run();
                        System.out.println("ok " + name);
                    } catch (IllegalArgumentException e) {
                        failures.add(name + " was rejected: " + e.getMessage());
                    }
                }

                private static void check(String name, boolean passed) {
                    if (passed) {
                        System.out.println("ok " + name);
                    } else {
                        failures.add(name);
                    }
                }
            }
            """;

    private static final List<String> CHECKS = List.of("module-mode", "capturing-lambda", "bound-reference",
            "anonymous-class", "capturing-weak-method", "closed-package-other-owner", "method-reference",
            "capturing-another-type", "opened-capturing-lambda", "opened-other-owner", "delivered", "collected");

    @TempDir
    static Path work;

    private static Path coreModule;
    private static Path appModule;

    @BeforeAll
    static void compileTheModule() throws Exception {
        coreModule = Path.of(WeakMethod.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(coreModule)) {
            assertThat(coreModule.resolve("module-info.class")).as("refkit-core compiled as a module").exists();
        }
        Path sources = work.resolve("src");
        List<String> files = new ArrayList<>();
        files.add(write(sources.resolve("module-info.java"), MODULE_INFO));
        files.add(write(sources.resolve("demo/app/Owner.java"), OWNER));
        files.add(write(sources.resolve("demo/app/Main.java"), MAIN));
        files.add(write(sources.resolve("demo/app/opened/OpenedOwner.java"), OPENED_OWNER));
        appModule = work.resolve("demo.app");
        // javac through java.util.spi.ToolProvider (java.base), so the tests need not read java.compiler
        ToolProvider javac = ToolProvider.findFirst("javac")
                .orElseThrow(() -> new IllegalStateException("the tests need a JDK with javac, not a JRE"));
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "--module-path", coreModule.toString(),
                "-d", appModule.toString()));
        arguments.addAll(files);
        StringWriter diagnostics = new StringWriter();
        PrintWriter out = new PrintWriter(diagnostics, true);
        int status = javac.run(out, out, arguments.toArray(String[]::new));
        assertThat(status).as("javac of the demo module: %s", diagnostics).isZero();
    }

    @Test
    void everyCheckPassesInANamedModuleOnTheModulePath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "--module-path",
                coreModule + File.pathSeparator + appModule, "--module", "demo.app/demo.app.Main")
                .redirectErrorStream(true)
                .start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(child.getInputStream()));

        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String printed = output.get(60, TimeUnit.SECONDS);

        assertThat(exited).as("child JVM finished within 60 s; it printed:%n%s", printed).isTrue();
        assertThat(child.exitValue()).as("child exit status; it printed:%n%s", printed).isZero();
        assertThat(printed.lines().filter(line -> line.startsWith("ok ")).map(line -> line.substring(3)))
                .containsExactlyInAnyOrderElementsOf(CHECKS);
    }

    private static String write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, UTF_8);
        return file.toString();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}

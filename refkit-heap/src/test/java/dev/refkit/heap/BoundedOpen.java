package dev.refkit.heap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a dump and reads its references in a child JVM whose heap is bounded: whether a dump can be read in
 * memory proportional to its size, in bounded time. The child prints one line: {@code opened N objects, C
 * classes} (exit 0), the exception's message (exit 3), or {@code OutOfMemoryError: …} (exit 4). With
 * {@code --hold} after the file, it keeps the dump open and sleeps once it has printed, until killed.
 */
final class BoundedOpen {

    /** What the child did: its exit code, its output, and how long it ran. */
    record Result(int exitCode, String output, long millis) {
        String line() {
            return output.strip();
        }
    }

    private BoundedOpen() {
    }

    public static void main(String[] args) {
        try (HeapDump dump = HeapDump.open(Path.of(args[0]))) {
            HeapGraph g = dump.graph();
            g.firstReference(0);
            System.out.println("opened " + g.objectCount() + " objects, " + g.classes().size() + " classes");
            System.out.flush();
            if (args.length > 1 && args[1].equals("--hold")) {
                Thread.sleep(120_000);
            }
            System.exit(0);
        } catch (IOException e) {
            System.out.println(e.getMessage());
            System.exit(3);
        } catch (java.io.UncheckedIOException e) {
            System.out.println(e.getCause().getMessage());
            System.exit(3);
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError: " + e.getMessage());
            System.exit(4);
        } catch (InterruptedException e) {
            System.exit(5);
        }
    }

    /** Runs the child with {@code -Xmx<heapMegabytes>m} (and the options given); waits at most two minutes. */
    static Result open(Path dump, int heapMegabytes, String... options) throws IOException, InterruptedException {
        return run(start(heapMegabytes, List.of(options), dump.toString()));
    }

    /** Starts the child with {@code -Xmx<heapMegabytes>m}, the JVM options and the arguments given. */
    static Process start(int heapMegabytes, List<String> options, String... arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx" + heapMegabytes + "m"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BoundedOpen.class.getName()));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits at most two minutes for a child to end (killing it then), reading its output meanwhile. */
    static Result run(Process child) throws InterruptedException {
        long start = System.nanoTime();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = child.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the child ended; what was read is returned
            }
        });
        reader.start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Result(child.isAlive() ? -1 : child.exitValue(), output.toString(StandardCharsets.UTF_8), millis);
    }
}

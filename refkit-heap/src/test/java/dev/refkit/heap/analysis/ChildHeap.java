package dev.refkit.heap.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link MarkerHeap}, spoken to line by line with bounded waits. */
final class ChildHeap implements AutoCloseable {

    private static final long WAIT_SECONDS = 90;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    ChildHeap(Path dumpFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xms128m", "-Xmx256m", "-Xmn64m",
                "-cp", System.getProperty("java.class.path"), MarkerHeap.class.getName(), dumpFile.toString())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> pump(process.getInputStream()), "child-heap-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void pump(InputStream stream) {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ FAILED " + e);
        }
    }

    /** Waits (bounded) for a line starting with the prefix and returns it. */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the child JVM did not print '" + prefix + "' within " + WAIT_SECONDS
                        + " s; its output so far: " + transcript + (process.isAlive() ? "" : " (it exited with "
                        + process.exitValue() + ")"));
            }
            transcript.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    void send(String line) {
        try {
            OutputStream out = process.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the child JVM", e);
        }
    }

    @Override
    public void close() {
        try {
            if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

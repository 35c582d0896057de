package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes a heap dump of a running JVM: attaches to it, starts its local management agent, and asks its
 * HotSpotDiagnostic MXBean for the dump (the same mechanism as {@code jcmd PID GC.heap_dump}).
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Write a heap dump of a running JVM (same user, same machine), then analyze it with "
                + "'refkit analyze FILE'.")
final class DumpCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM (see 'jps -l')")
    long pid;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
            description = "where to write the dump (default: heap-PID.hprof in the current folder)")
    Path file;

    @Option(names = "--live", description = "dump only live objects (runs a full GC first)")
    boolean live;

    @Option(names = "--verbose", description = "show the cause of a failure in full")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path target = (file != null ? file : Path.of("heap-" + pid + ".hprof")).toAbsolutePath();
        if (Files.exists(target)) {
            spec.commandLine().getErr().println("refkit: " + target + " exists already; name another file");
            return RefkitCli.EXIT_USAGE;
        }
        if (!target.getFileName().toString().endsWith(".hprof")) {
            spec.commandLine().getErr().println("refkit: the dump file name must end in .hprof (the JVM insists): " + target);
            return RefkitCli.EXIT_USAGE;
        }
        dump(pid, target, live);
        long bytes;
        try {
            bytes = Files.size(target);
        } catch (IOException e) {
            throw new UnreadableInputException("the JVM " + pid + " reported a dump at " + target + " but it cannot be read: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("Wrote %s (%,d bytes, %s objects) from JVM %d.%nNext: refkit analyze %s%n",
                target, bytes, live ? "live" : "all", pid, target);
        return 0;
    }

    /**
     * Whether {@code pid} is a JVM this user can attach to, decided at once: attaching to any other process waits ten
     * seconds for an answer that never comes, and the signal it sends (SIGQUIT) ends a process that is not a JVM.
     * A JVM is listed by its performance data; one started with {@code -XX:-UsePerfData} is found, on Linux, by the
     * JVM's library in its memory map.
     */
    static boolean isJvm(long pid) {
        String id = Long.toString(pid);
        for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
            if (vm.id().equals(id)) {
                return true;
            }
        }
        try (Stream<String> maps = Files.lines(Path.of("/proc", id, "maps"))) {
            return maps.anyMatch(line -> line.endsWith("/libjvm.so"));
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return false; // no /proc (not Linux), or another user's process
        }
    }

    /** Dumps the heap of JVM {@code pid} to {@code target}; this JVM itself when the pid is ours. */
    static void dump(long pid, Path target, boolean live) {
        try {
            if (pid == ProcessHandle.current().pid()) {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(target.toString(), live);
                return;
            }
            if (ProcessHandle.of(pid).isEmpty()) {
                throw new UnreadableInputException("no process with id " + pid + " is running (see 'jps -l')", null);
            }
            if (!isJvm(pid)) {
                String command = ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> " (" + c + ")").orElse("");
                throw new UnreadableInputException("process " + pid + command + " is not a Java virtual machine of this user"
                        + " ('jps -l' lists those that are; a JVM started with -XX:-UsePerfData is not listed: dump it with"
                        + " jcmd " + pid + " GC.heap_dump FILE)", null);
            }
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                String address = vm.startLocalManagementAgent();
                try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                    MBeanServerConnection server = connector.getMBeanServerConnection();
                    HotSpotDiagnosticMXBean diagnostic = ManagementFactory.newPlatformMXBeanProxy(server,
                            "com.sun.management:type=HotSpotDiagnostic", HotSpotDiagnosticMXBean.class);
                    diagnostic.dumpHeap(target.toString(), live);
                }
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException e) {
            throw new UnreadableInputException("cannot attach to JVM " + pid + ": " + e.getMessage()
                    + " (is it running, a HotSpot JVM, and started by the same user?)", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableInputException) {
                throw (UnreadableInputException) e;
            }
            throw new UnreadableInputException("cannot dump the heap of JVM " + pid + ": " + e, e);
        }
    }
}

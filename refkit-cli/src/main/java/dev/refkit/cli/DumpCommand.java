package dev.refkit.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

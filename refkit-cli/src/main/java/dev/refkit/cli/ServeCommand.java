package dev.refkit.cli;

import dev.refkit.cli.explorer.Explorer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import java.awt.Desktop;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Explore a dump in the browser: overview, leak suspects, dominator tree, histogram, objects and their "
                + "references and paths, threads; with two or more dumps (oldest first), what grew. Serves the last dump.")
final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DUMP", description = "an HPROF heap dump, or several of one program, oldest first")
    List<Path> dumps;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "the port (default: any free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Option(names = "--open", description = "open the page in the desktop's browser")
    boolean open;

    @Mixin
    OutputOptions output;

    @Mixin
    IndexOptions index;

    @Spec
    CommandSpec spec;

    /** Counted down to end the server; a test or an embedding may end it without a signal. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            err.println("refkit: --port takes 0 to 65535, not " + port);
            return RefkitCli.EXIT_USAGE;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            err.println("refkit: --bind takes an address of this machine, not " + Format.safe(bind));
            return RefkitCli.EXIT_USAGE;
        }
        if (!address.isLoopbackAddress()) {
            err.println("refkit: warning: serving on " + Format.safe(bind) + ", not this machine only: anyone who can"
                    + " reach it and learns the URL can read the dump, with its passwords, tokens and personal data");
        }
        ProgressListener progress = TerminalProgress.on(err, output.quiet);
        List<PathProfile> profiles = new ArrayList<>();
        for (Path file : dumps.subList(0, dumps.size() - 1)) {
            try (HeapDump heap = Dumps.open(file, progress, index)) {
                profiles.add(HeapAnalysis.of(heap, progress).pathProfile());
                TerminalProgress.clear(progress);
            }
            System.gc(); // one dump's index at a time, as refkit diff
        }
        Path served = dumps.get(dumps.size() - 1);
        try (HeapDump heap = Dumps.open(served, progress, index)) {
            HeapAnalysis analysis = HeapAnalysis.of(heap);
            HeapGrowth growth = null;
            if (!profiles.isEmpty()) {
                profiles.add(analysis.pathProfile());
                growth = HeapGrowth.of(profiles);
            }
            serve(heap, analysis, growth, address, out, err);
        }
        return 0;
    }

    private void serve(HeapDump heap, HeapAnalysis analysis, HeapGrowth growth, InetAddress address, PrintWriter out,
                       PrintWriter err) throws Exception {
        Path served = heap.info().file();
        try (Explorer explorer = start(heap, analysis, growth, address)) {
            out.println("Serving " + Format.safe(served.toString()) + " at");
            out.println("  " + explorer.url());
            out.println("The URL's token is the key: whoever has it can read the dump. Ctrl-C ends the server.");
            out.flush();
            if (open && Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(explorer.url());
            }
            Thread hook = new Thread(stop::countDown, "refkit-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is ending: the hook is running
            }
        }
    }

    private Explorer start(HeapDump heap, HeapAnalysis analysis, HeapGrowth growth, InetAddress address) {
        try {
            return Explorer.start(heap, analysis, growth, address, port);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot serve on " + Format.safe(bind) + ":" + port + ": " + e.getMessage(), e);
        }
    }
}

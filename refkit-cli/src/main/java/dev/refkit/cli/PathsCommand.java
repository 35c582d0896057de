package dev.refkit.cli;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.PathTree;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "paths", mixinStandardHelpOptions = true,
        description = "Why objects are alive: the shortest paths from GC roots, merged into a tree with counts.")
final class PathsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DUMP", description = "an HPROF heap dump (.hprof or .hprof.gz)")
    Path dump;

    static final class Target {
        @Option(names = "--class", paramLabel = "NAME", description = "every instance of this class (Java name: java.lang.String, a.B$C, int[])")
        String className;

        @Option(names = "--object", paramLabel = "0xID", description = "one object, by its id in the dump")
        String objectId;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--include-weak", description = "also follow soft, weak, finalizer and phantom referents")
    boolean includeWeak;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PathOptions options = includeWeak ? PathOptions.includingNonStrong() : PathOptions.excludingNonStrong();
        ProgressListener progress = TerminalProgress.on(err, output.quiet);
        try (HeapDump heap = Dumps.open(dump, progress)) {
            HeapAnalysis analysis = HeapAnalysis.of(heap);
            PathTree tree;
            String what;
            if (target.className != null) {
                if (heap.graph().findClass(target.className) == null) {
                    err.println("refkit: the dump has no class named " + Format.safe(target.className));
                    return RefkitCli.EXIT_USAGE;
                }
                tree = analysis.mergedPathsToGcRoots(target.className, options);
                what = "instances of " + dev.refkit.heap.HeapClass.javaName(target.className);
            } else {
                long id;
                try {
                    id = Long.parseUnsignedLong(target.objectId.replaceFirst("^0[xX]", ""), 16);
                } catch (NumberFormatException e) {
                    err.println("refkit: --object takes a hexadecimal id such as 0x7f3a10, not " + Format.safe(target.objectId));
                    return RefkitCli.EXIT_USAGE;
                }
                int object = heap.graph().objectIndex(id);
                if (object < 0) {
                    err.printf("refkit: the dump has no object with id 0x%x%n", id);
                    return RefkitCli.EXIT_USAGE;
                }
                tree = analysis.mergedPathsToGcRoots(new int[] {object}, options);
                what = String.format("object 0x%x (%s)", id, heap.graph().classOf(object).name());
            }
            out.printf("Shortest paths from GC roots to %s%s%n", Format.safe(what), includeWeak ? ", through any reference" : ", through strong references");
            out.printf("%s reached, %s without such a path%s%n", Format.count(tree.reached()), Format.count(tree.unreached()),
                    tree.unreached() > 0 && !includeWeak ? " (not strongly reachable; try --include-weak)" : "");
            out.println();
            out.println("   count  path (◀ marks the objects asked for)");
            TextReport.tree(tree, out);
        }
        return 0;
    }
}

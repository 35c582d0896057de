package dev.refkit.cli;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.HeapGraph;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.PathOptions;
import dev.refkit.heap.analysis.PathTree;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
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
        @Option(names = "--class", paramLabel = "NAME", description = "every instance of the class of this name (java.lang.String,"
                + " a.B$C, int[]), else of the classes of this simple name (SessionLocal), else of the classes whose name"
                + " contains a match of it as a regular expression ('Session.*Local')")
        String className;

        @Option(names = "--object", paramLabel = "0xID", description = "one object, by its id in the dump, in hexadecimal"
                + " as the reports print it (0x7f3a10)")
        String objectId;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--include-weak", description = "also follow soft, weak, finalizer and phantom referents")
    boolean includeWeak;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the paths as JSON ('-': only JSON, on standard output)")
    Path json;

    @Option(names = "--force", description = "replace the --json file if it exists")
    boolean force;

    @Mixin
    OutputOptions output;

    @Mixin
    IndexOptions index;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long id = -1;
        if (target.objectId != null) {
            String text = target.objectId.trim();
            if (!text.matches("0[xX][0-9a-fA-F]{1,16}")) {
                err.println("refkit: --object takes an object's id as the reports print it, in hexadecimal after 0x (such as"
                        + " 0x7f3a10), not " + Format.safe(text) + (text.matches("[0-9a-fA-F]{1,16}")
                        ? "; if that is the id in hexadecimal, write 0x" + text : ""));
                return RefkitCli.EXIT_USAGE;
            }
            id = Long.parseUnsignedLong(text.substring(2), 16);
        }
        ReportFile jsonFile = json == null ? null : new ReportFile(json);
        String refusal = ReportFile.refusal(force, jsonFile);
        if (refusal != null) {
            err.println("refkit: " + refusal);
            return RefkitCli.EXIT_USAGE;
        }
        PathOptions options = includeWeak ? PathOptions.includingNonStrong() : PathOptions.excludingNonStrong();
        ProgressListener progress = TerminalProgress.on(err, output.quiet);
        try (HeapDump heap = Dumps.open(dump, progress, index)) {
            HeapGraph graph = heap.graph();
            HeapAnalysis analysis = HeapAnalysis.of(heap, progress);
            PathTree tree;
            String what;
            List<String> classes = List.of();
            if (target.className != null) {
                ClassMatch match = ClassMatch.of(graph, target.className);
                if (match.names().isEmpty()) {
                    List<String> suggestions = ClassMatch.suggestions(graph, target.className, 5);
                    err.println("refkit: the dump has no class named " + Format.safe(target.className) + ", nor of that simple"
                            + " name, nor matching it as a regular expression" + (suggestions.isEmpty() ? ""
                            : "; did you mean " + Format.safe(String.join(", ", suggestions)) + "?"));
                    return RefkitCli.EXIT_USAGE;
                }
                classes = match.names();
                tree = analysis.mergedPathsToGcRoots(ClassMatch.instances(graph, Set.copyOf(classes)), options);
                what = "instances of " + (classes.size() == 1 && match.how().equals("named") ? classes.get(0)
                        : classes.size() == 1 ? classes.get(0) + " (" + match.how() + " " + target.className + ")"
                        : Format.count(classes.size()) + " classes " + match.how() + " " + target.className + ": "
                        + String.join(", ", classes.subList(0, Math.min(5, classes.size())))
                        + (classes.size() > 5 ? ", …" : ""));
            } else {
                int object = graph.objectIndex(id);
                if (object < 0) {
                    err.println("refkit: the dump has no object with id " + Format.id(id) + " (ids are the dump's own, as"
                            + " analyze and paths print them)");
                    return RefkitCli.EXIT_USAGE;
                }
                tree = analysis.mergedPathsToGcRoots(new int[] {object}, options);
                what = "object " + Format.id(id) + " (" + graph.classOf(object).name() + ")";
            }
            TerminalProgress.clear(progress);
            IntFunction<String> ids = object -> Format.id(graph.objectId(object));
            if (!ReportFile.anyToStandardOutput(jsonFile)) {
                out.printf("Shortest paths from GC roots to %s%s%n", Format.safe(what), includeWeak ? ", through any reference"
                        : ", through strong references");
                out.printf("%s reached, %s without such a path%s%n", Format.count(tree.reached()), Format.count(tree.unreached()),
                        tree.unreached() > 0 && !includeWeak ? " (not strongly reachable; try --include-weak)" : "");
                out.println();
                out.println("   count  path (◀ marks the objects asked for; @ 0x…: the object's id in the dump)");
                TextReport.tree(tree, ids, out);
            }
            if (jsonFile != null) {
                jsonFile.write(JsonReport.of(new JsonReport.Paths(dump, classes, target.objectId == null ? null : Format.id(id),
                        includeWeak, tree, ids)), out);
            }
        }
        out.flush();
        return 0;
    }
}

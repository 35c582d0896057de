package dev.refkit.cli;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.Histogram;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.HeapAnalysis;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "histogram", mixinStandardHelpOptions = true,
        description = "Instances and bytes per class, like 'jmap -histo' (retained bytes on request).")
final class HistogramCommand implements Callable<Integer> {

    enum Sort { count, shallow, retained }

    @Parameters(paramLabel = "DUMP", description = "an HPROF heap dump (.hprof or .hprof.gz)")
    java.nio.file.Path dump;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "shallow",
            description = "count, shallow or retained (default: ${DEFAULT-VALUE}); retained computes the dominator tree")
    Sort sort;

    @Option(names = "--filter", paramLabel = "REGEX", description = "only classes whose name contains a match")
    String filter;

    @Option(names = "--top", paramLabel = "N", defaultValue = "50", description = "rows (default: ${DEFAULT-VALUE}; 0 for all)")
    int top;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the histogram as JSON ('-': only JSON, on standard output)")
    java.nio.file.Path json;

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
        Pattern pattern;
        try {
            pattern = filter == null ? null : Pattern.compile(filter);
        } catch (PatternSyntaxException e) {
            spec.commandLine().getErr().println("refkit: --filter is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
            return RefkitCli.EXIT_USAGE;
        }
        if (top < 0) {
            spec.commandLine().getErr().println("refkit: --top takes 0 (all rows) or more, not " + top);
            return RefkitCli.EXIT_USAGE;
        }
        ReportFile jsonFile = json == null ? null : new ReportFile(json);
        String refusal = ReportFile.refusal(force, jsonFile);
        if (refusal != null) {
            spec.commandLine().getErr().println("refkit: " + refusal);
            return RefkitCli.EXIT_USAGE;
        }
        boolean text = !ReportFile.anyToStandardOutput(jsonFile);
        PrintWriter out = spec.commandLine().getOut();
        ProgressListener progress = TerminalProgress.on(spec.commandLine().getErr(), output.quiet);
        try (HeapDump heap = Dumps.open(dump, progress, index)) {
            Histogram histogram = heap.histogram();
            Map<String, Long> retained = sort == Sort.retained ? retainedByClass(heap) : Map.of();
            Comparator<Histogram.Entry> order = switch (sort) {
                case count -> Histogram.BY_INSTANCES;
                case shallow -> Histogram.BY_BYTES;
                case retained -> Comparator.comparingLong((Histogram.Entry e) -> retained.getOrDefault(e.className(), 0L))
                        .reversed().thenComparing(Histogram.BY_BYTES);
            };
            List<Histogram.Entry> rows = histogram.sorted(order).stream()
                    .filter(e -> pattern == null || pattern.matcher(e.className()).find()).toList();
            boolean withRetained = sort == Sort.retained;
            List<Histogram.Entry> shownRows = top == 0 ? rows : rows.subList(0, Math.min(top, rows.size()));
            long instances = rows.stream().mapToLong(Histogram.Entry::instances).sum();
            long bytes = rows.stream().mapToLong(Histogram.Entry::shallowBytes).sum();
            if (text) {
                out.printf(" %5s %14s %16s%s  %s%n", "num", "#instances", "#bytes", withRetained ? String.format(" %16s", "#retained") : "", "class name");
                out.println("-".repeat(TextReport.WIDTH));
                int n = 0;
                for (Histogram.Entry e : shownRows) {
                    out.printf(" %4d: %14d %16d%s  %s%n", ++n, e.instances(), e.shallowBytes(),
                            withRetained ? String.format(" %16d", retained.getOrDefault(e.className(), 0L)) : "", Format.safe(e.className()));
                }
                out.printf("Total %14d %16d%s%n", instances, bytes, shownRows.size() < rows.size()
                        ? String.format("  (%d classes; %d shown, --top 0 for all)", rows.size(), shownRows.size()) : "");
                out.println("Every object in the dump, garbage included" + (withRetained ? " (#retained: of the strongly reachable"
                        + " ones)" : "") + "; 'refkit analyze' counts the strongly reachable objects only.");
            }
            if (jsonFile != null) {
                jsonFile.write(JsonReport.of(new JsonReport.Histogram(dump, sort.name(), filter, shownRows, rows.size(),
                        instances, bytes, withRetained ? retained : null)), out);
            }
        }
        out.flush();
        return 0;
    }

    private Map<String, Long> retainedByClass(HeapDump heap) {
        Map<String, Long> retained = new HashMap<>();
        for (DominatorTree.ClassRetained c : HeapAnalysis.of(heap).dominators().retainedByClass()) {
            retained.merge(c.className(), c.retainedBytes(), Long::sum);
        }
        return retained;
    }
}

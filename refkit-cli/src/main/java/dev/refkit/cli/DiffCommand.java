package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.PathProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "What grew across dumps of one program taken over time (oldest first): the retaining paths "
                + "that grew at every step, then the classes that grew and shrank.")
final class DiffCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "DUMP", description = "two or more HPROF heap dumps (.hprof or .hprof.gz), oldest first")
    List<Path> dumps;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "rows per table (default: ${DEFAULT-VALUE}; 0 for all)")
    int top;

    @Option(names = "--min-objects", paramLabel = "N", defaultValue = "10",
            description = "objects a path must gain per step, on average (default: ${DEFAULT-VALUE})")
    long minObjects;

    @Option(names = "--min-bytes", paramLabel = "SIZE", defaultValue = "16KB",
            description = "bytes a path must gain per step, on average: bytes, or with KB, MB, GB (default: ${DEFAULT-VALUE})")
    String minBytes;

    @Option(names = "--fail-on-growth", paramLabel = "SIZE", arity = "0..1", fallbackValue = "",
            description = "exit with code 1 when a path grows (by at least SIZE per step, if given)")
    String failOnGrowth;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the comparison as JSON ('-': only JSON, on standard output)")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "also write an HTML page with a chart of the growth ('-': only HTML, on standard output)")
    Path html;

    @Option(names = "--force", description = "replace the --json or --html file if it exists")
    boolean force;

    @Mixin
    OutputOptions output;

    @Mixin
    IndexOptions index;

    @Spec
    CommandSpec spec;

    /**
     * The dumps compared and what grew.
     *
     * @param infos  each dump's facts, oldest first
     * @param growth what grew
     * @param top    rows per table
     */
    record DiffReport(List<DumpInfo> infos, HeapGrowth growth, int top) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        long bytesPerStep = Format.parseBytes(minBytes);
        long failBytes = failOnGrowth == null || failOnGrowth.isEmpty() ? 0 : Format.parseBytes(failOnGrowth);
        if (top < 0 || minObjects < 1 || bytesPerStep < 0 || failBytes < 0) {
            err.println("refkit: --top takes 0 (all rows) or more, --min-objects 1 or more, --min-bytes and"
                    + " --fail-on-growth a size such as 16KB or 2MB");
            return RefkitCli.EXIT_USAGE;
        }
        ReportFile jsonFile = json == null ? null : new ReportFile(json);
        ReportFile htmlFile = html == null ? null : new ReportFile(html);
        String refusal = ReportFile.refusal(force, jsonFile, htmlFile);
        if (refusal != null) {
            err.println("refkit: " + refusal);
            return RefkitCli.EXIT_USAGE;
        }
        ProgressListener progress = TerminalProgress.on(err, output.quiet);
        List<PathProfile> profiles = new ArrayList<>();
        List<DumpInfo> infos = new ArrayList<>();
        for (Path file : dumps) {
            // one dump at a time: only its aggregated paths are kept
            try (HeapDump heap = Dumps.open(file, progress, index)) {
                profiles.add(HeapAnalysis.of(heap, progress).pathProfile());
                TerminalProgress.clear(progress);
                infos.add(heap.info());
            }
            // the dump's index and analyses are garbage now: let them go before the next dump is read, so that
            // comparing several dumps peaks at the memory of one
            System.gc();
        }
        HeapGrowth growth = HeapGrowth.of(profiles, new HeapGrowth.Thresholds(minObjects, bytesPerStep));
        DiffReport report = new DiffReport(infos, growth, top == 0 ? Integer.MAX_VALUE : top);
        PrintWriter out = spec.commandLine().getOut();
        if (!ReportFile.anyToStandardOutput(jsonFile, htmlFile)) {
            TextReport.growth(report, out);
        }
        if (jsonFile != null) {
            jsonFile.write(JsonReport.of(report), out);
        }
        if (htmlFile != null) {
            htmlFile.write(HtmlReport.of(report), out);
        }
        out.flush();
        boolean failed = failOnGrowth != null
                && growth.growing().stream().anyMatch(p -> p.bytesPerStep() >= failBytes);
        return failed ? RefkitCli.EXIT_SUSPECTS : 0;
    }
}

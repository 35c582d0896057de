package dev.refkit.cli;

import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.SuspectThresholds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "What is in a heap dump and why it is still there: reachability census, top retainers, "
                + "leak suspects with the path that keeps each alive.")
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DUMP", description = "an HPROF heap dump (.hprof or .hprof.gz)")
    Path dump;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "rows per table (default: ${DEFAULT-VALUE}; 0 for all)")
    int top;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the report as JSON ('-': only JSON, on standard output)")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML report with charts ('-': only HTML, on standard output)")
    Path html;

    @Option(names = "--force", description = "replace the --json or --html file if it exists")
    boolean force;

    @Option(names = "--fail-on-suspects", description = "exit with code 1 when leak suspects are found")
    boolean failOnSuspects;

    @Option(names = "--min-share", paramLabel = "PERCENT", defaultValue = "10",
            description = "smallest share of the strongly reachable heap a suspect retains, in percent (default: ${DEFAULT-VALUE})")
    double minShare;

    @Option(names = "--min-retained", paramLabel = "SIZE", defaultValue = "1MB",
            description = "smallest size a suspect retains: bytes, or with KB, MB, GB (default: ${DEFAULT-VALUE})")
    String minRetained;

    @Mixin
    OutputOptions output;

    @Mixin
    IndexOptions index;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (top < 0) {
            spec.commandLine().getErr().println("refkit: --top takes 0 (all rows) or more, not " + top);
            return RefkitCli.EXIT_USAGE;
        }
        if (!(minShare >= 0 && minShare <= 100)) {
            spec.commandLine().getErr().println("refkit: --min-share is a percentage from 0 to 100, not " + minShare);
            return RefkitCli.EXIT_USAGE;
        }
        long minBytes = Format.parseBytes(minRetained);
        if (minBytes < 0) {
            spec.commandLine().getErr().println("refkit: --min-retained takes a size such as 1048576, 512KB or 2MB, not '"
                    + Format.fit(minRetained, 40) + "'");
            return RefkitCli.EXIT_USAGE;
        }
        SuspectThresholds thresholds = new SuspectThresholds(minShare / 100, minBytes);
        ReportFile jsonFile = json == null ? null : new ReportFile(json);
        ReportFile htmlFile = html == null ? null : new ReportFile(html);
        String refusal = ReportFile.refusal(force, jsonFile, htmlFile);
        if (refusal != null) {
            spec.commandLine().getErr().println("refkit: " + refusal);
            return RefkitCli.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        ProgressListener progress = TerminalProgress.on(spec.commandLine().getErr(), output.quiet);
        AnalysisReport report;
        try (HeapDump heap = Dumps.open(dump, progress, index)) {
            report = AnalysisReport.of(heap, top, thresholds, progress);
        }
        if (!ReportFile.anyToStandardOutput(jsonFile, htmlFile)) {
            TextReport.write(report, out);
        }
        if (jsonFile != null) {
            jsonFile.write(JsonReport.of(report), out);
        }
        if (htmlFile != null) {
            htmlFile.write(HtmlReport.of(report), out);
        }
        out.flush();
        return failOnSuspects && !report.suspects().isEmpty() ? RefkitCli.EXIT_SUSPECTS : 0;
    }
}

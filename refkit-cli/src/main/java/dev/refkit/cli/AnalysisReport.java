package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.ProgressListener;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.Reachability;
import dev.refkit.heap.analysis.ReachabilityCensus;
import dev.refkit.heap.analysis.SuspectThresholds;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@code refkit analyze} reports about one dump, computed once and rendered as text, JSON or HTML.
 *
 * @param info          facts about the dump and its index
 * @param census        shallow bytes and counts per reachability, strongest first
 * @param censusSummary the census in one line
 * @param heapBytes     shallow bytes of all objects in the dump
 * @param reachableBytes shallow bytes of the strongly reachable objects (the dominator tree's total)
 * @param topClasses    classes with the largest retained sizes
 * @param topRetainers  single objects with the largest retained sizes
 * @param suspects      leak suspects, ranked
 */
record AnalysisReport(DumpInfo info, List<CensusRow> census, String censusSummary, long heapBytes,
                      long reachableBytes, List<DominatorTree.ClassRetained> topClasses,
                      List<DominatorTree.Retainer> topRetainers, List<LeakSuspect> suspects) {

    /** One reachability class of the census. */
    record CensusRow(Reachability reachability, long count, long bytes) {
    }

    static AnalysisReport of(HeapDump dump, int top, ProgressListener progress) {
        return of(dump, top, SuspectThresholds.DEFAULTS, progress);
    }

    static AnalysisReport of(HeapDump dump, int top, SuspectThresholds thresholds, ProgressListener progress) {
        HeapAnalysis analysis = HeapAnalysis.of(dump);
        progress.progress("reachability", 0, 3);
        ReachabilityCensus census = analysis.reachability();
        progress.progress("dominators", 1, 3);
        DominatorTree dominators = analysis.dominators();
        progress.progress("leak suspects", 2, 3);
        List<LeakSuspect> suspects = analysis.leakSuspects(thresholds);
        progress.progress("leak suspects", 3, 3);
        TerminalProgress.clear(progress);

        List<CensusRow> rows = new ArrayList<>();
        for (Reachability r : Reachability.values()) {
            rows.add(new CensusRow(r, census.count(r), census.shallowBytes(r)));
        }
        List<DominatorTree.ClassRetained> classes = dominators.retainedByClass();
        return new AnalysisReport(dump.info(), rows, census.summary(), census.totalShallowBytes(),
                dominators.reachableBytes(), classes.subList(0, Math.min(top, classes.size())),
                dominators.topRetainers(top), suspects.subList(0, Math.min(top, suspects.size())));
    }
}

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

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
 * @param reachableCount how many objects are strongly reachable
 * @param ids           the dump's own id of every object the report names (retainers, containers, the objects on
 *                      the suspects' paths), by index in the heap graph
 */
record AnalysisReport(DumpInfo info, List<CensusRow> census, String censusSummary, long heapBytes,
                      long reachableBytes, List<DominatorTree.ClassRetained> topClasses,
                      List<DominatorTree.Retainer> topRetainers, List<LeakSuspect> suspects, long reachableCount,
                      Map<Integer, Long> ids) {

    /** One reachability class of the census. */
    record CensusRow(Reachability reachability, long count, long bytes) {
    }

    /** The dump's id of an object the report names, as the dump writes it ({@code 0x7f3a10}). */
    String id(int object) {
        Long id = ids.get(object);
        return id == null ? "?" : Format.id(id);
    }

    /** The report with {@code top} rows per table, 0 for all. */
    static AnalysisReport of(HeapDump dump, int top, ProgressListener progress) {
        return of(dump, top, SuspectThresholds.DEFAULTS, progress);
    }

    static AnalysisReport of(HeapDump dump, int top, SuspectThresholds thresholds, ProgressListener progress) {
        HeapAnalysis analysis = HeapAnalysis.of(dump, progress);
        ReachabilityCensus census = analysis.reachability();
        DominatorTree dominators = analysis.dominators();
        List<LeakSuspect> suspects = analysis.leakSuspects(thresholds);
        TerminalProgress.clear(progress);

        List<CensusRow> rows = new ArrayList<>();
        for (Reachability r : Reachability.values()) {
            rows.add(new CensusRow(r, census.count(r), census.shallowBytes(r)));
        }
        List<DominatorTree.ClassRetained> classes = dominators.retainedByClass();
        int limit = top == 0 ? Integer.MAX_VALUE : top;
        List<DominatorTree.Retainer> retainers = dominators.topRetainers(Math.min(limit, dump.graph().objectCount()));
        List<LeakSuspect> shown = suspects.subList(0, Math.min(limit, suspects.size()));
        Map<Integer, Long> ids = new HashMap<>();
        IntConsumer name = object -> ids.put(object, dump.graph().objectId(object));
        retainers.forEach(r -> name.accept(r.object()));
        for (LeakSuspect s : shown) {
            name.accept(s.container().object());
            name.accept(s.path().root().object());
            s.path().steps().forEach(step -> name.accept(step.object()));
        }
        return new AnalysisReport(dump.info(), rows, census.summary(), census.totalShallowBytes(),
                dominators.reachableBytes(), classes.subList(0, Math.min(limit, classes.size())), retainers, shown,
                census.count(Reachability.STRONG), Map.copyOf(ids));
    }
}

/**
 * What a person with a leak asks of a heap dump: how reachable each object is, why an object is alive,
 * what it retains, and which objects are likely leaks.
 *
 * <p>Start at {@link dev.refkit.heap.analysis.HeapAnalysis#of(dev.refkit.heap.HeapDump)}:
 * <ul>
 *   <li>{@link dev.refkit.heap.analysis.ReachabilityCensus}: every object classified by the reachability rule
 *       (along a path the weakest reference decides, among paths the strongest path decides; STRONG &gt; SOFT
 *       &gt; WEAK &gt; FINALIZER &gt; PHANTOM, else UNREACHABLE), with counts and shallow bytes per
 *       {@link dev.refkit.heap.analysis.Reachability} and per class, in one walk per strength.</li>
 *   <li>{@link dev.refkit.heap.analysis.GcRootPath}: shortest paths from GC roots, over strong references
 *       unless {@link dev.refkit.heap.analysis.PathOptions} say otherwise, each step named as
 *       {@code Class.staticField}, {@code Type.field} or {@code Type[index]};
 *       {@link dev.refkit.heap.analysis.PathTree} merges the paths of many objects with counts.</li>
 *   <li>{@link dev.refkit.heap.analysis.DominatorTree}: the dominator tree of the strong graph under a virtual
 *       root joined to all GC roots, retained sizes per object and per class, top retainers.</li>
 *   <li>{@link dev.refkit.heap.analysis.LeakSuspect}: ranked suspects, each heuristic stated on its
 *       {@link dev.refkit.heap.analysis.LeakSuspect.Kind}.</li>
 * </ul>
 * Results are records and plain data; nothing here prints. Objects are named by their index in the
 * {@link dev.refkit.heap.HeapGraph}; all algorithms run on its primitive arrays in time linear in objects plus
 * references (the dominator computation within a logarithmic factor), with no recursion.
 */
package dev.refkit.heap.analysis;

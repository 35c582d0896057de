/**
 * The index layer: what reads a dump into arrays, the arrays, and where they live. The public model in
 * {@code dev.refkit.heap} ({@code HeapDump}, {@code HeapGraph}, {@code HeapClass}, {@code Histogram}) is the face
 * of one {@link dev.refkit.heap.index.DumpIndex} and its {@link dev.refkit.heap.index.ClassRecord}s; arrows run
 * one way, from the model down: this package uses the model's value types (the {@code ReferenceKind} and
 * {@code GcRootKind} enums, the {@code GcRoot}, {@code StackFrame}, {@code ObjectRef} and {@code DumpInfo} records,
 * the {@code ProgressListener} interface) and never its classes.
 *
 * <ul>
 * <li>Storage: {@link dev.refkit.heap.index.Storage} hands out long-indexed {@link dev.refkit.heap.index.IntArray},
 *     {@link dev.refkit.heap.index.LongArray}, {@link dev.refkit.heap.index.ByteArray} and
 *     {@link dev.refkit.heap.index.CharArray}, on the Java heap or in memory-mapped files of a work folder
 *     ({@link dev.refkit.heap.index.WorkFolder}), chosen once per dump; the analyses take theirs from the same
 *     storage.</li>
 * <li>Reading, pass 1 ({@code HeapIndexer}, opening the dump): the file is mapped ({@code HprofFile}), its
 *     top-level records are listed ({@code HeapRecords}), the heap segments are scanned on several threads
 *     ({@code SegmentScan}, {@code HeapScan}) into logs of ids and positions ({@code ObjectLog}), which become the
 *     sorted id table ({@code IdTableBuilder}, {@code ObjectIds}, with {@code RunSort} and {@code PairSort});
 *     classes ({@code ClassBuilder}, {@code FieldLayout}, {@code ContendedFields}), the layout of the VM that wrote
 *     the dump and the histogram ({@code HistogramBuilder}, {@code ClassTally}, {@code VmLayout}) and the roots
 *     ({@code RootBuilder}) follow.</li>
 * <li>Reading, pass 2 ({@code ReferencePass}, when references are first asked for): every object's record is
 *     walked ({@code ReferenceWalk}) into the compressed-sparse-row reference arrays.</li>
 * <li>On demand: names of references, field values and strings are decoded from the mapped file
 *     ({@code DumpIndex}, {@code ObjectText}).</li>
 * </ul>
 *
 * <p>Implementation notes: which array is where, and why. Every array that grows with the objects or the
 * references comes from the dump's storage, so that one choice (heap or files) covers the index and the analyses
 * alike; what grows only with classes, roots, records or the reported results is kept in plain Java arrays.
 * Sizes are per object (n) or per reference (r).
 * <table class="striped">
 * <caption>The arrays of an index and its analyses</caption>
 * <thead><tr><th>array</th><th>bytes</th><th>made</th><th>kept</th></tr></thead>
 * <tbody>
 * <tr><td>id table: each object's id and record position packed in one {@code long}, sorted; a bucket directory
 *     beside it</td><td>8 n (+1 n in files over 4 GB; 12 n, or 13 n over 4 GB, when ids span more than 2^32
 *     alignments) + at most n / 2</td><td>opening: pass 1 logs the objects, into one shared array that is then
 *     sorted in place when the heap records are 32 MB or more (HotSpot writes most objects in address order, so
 *     little moves), else into logs of their own that are copied</td><td>until the dump closes</td></tr>
 * <tr><td>class of each object</td><td>2 n ({@code char} while there are at most 65,535 classes), else
 *     4 n</td><td>reading references</td><td>until the dump closes</td></tr>
 * <tr><td>first reference of each object</td><td>8 n: a {@code long}, so that a dump may hold more than 2^31
 *     references</td><td>reading references</td><td>until the dump closes</td></tr>
 * <tr><td>reference targets and kinds</td><td>5 r (sized by pass 1's bound; in files the pages never written
 *     take no room, on the heap they are trimmed when a quarter would stay empty)</td><td>reading
 *     references</td><td>until the dump closes</td></tr>
 * <tr><td>reachability of each object</td><td>1 n, and one queue per level while the walk runs</td><td>census</td>
 *     <td>with the analysis</td></tr>
 * <tr><td>dominators: depth-first numbers, parents, predecessor lists, semidominators, labels, ancestors</td>
 *     <td>about 32 n + 4 per strong reference, while they run: the peak of an analysis</td><td>dominators</td>
 *     <td>freed as each pass ends</td></tr>
 * <tr><td>immediate dominators, retained sizes, preorder</td><td>16 n</td><td>dominators</td><td>with the
 *     analysis</td></tr>
 * <tr><td>dominator tree's child lists and preorder intervals</td><td>16 n</td><td>first use (leak suspects,
 *     the explorer)</td><td>with the analysis</td></tr>
 * <tr><td>shortest-path parents</td><td>4 n per kind (strong, and all kinds when asked), and a 4 n queue while
 *     the walk runs</td><td>leak suspects, paths</td><td>with the analysis</td></tr>
 * <tr><td>scratch marks of the suspects (finalizer backlog, weak-key cycles, path profile), of the census's
 *     live-dump check and of merged paths</td><td>1 n or 4 n each</td><td>when needed</td><td>freed at
 *     once</td></tr>
 * </tbody>
 * </table>
 *
 * <p>Why files: a whole analysis holds about 60 to 70 bytes per object and 5 per reference (9 while the
 * dominators' predecessor lists exist) at its peak, while a generated dump is about 110 bytes per object, so a
 * budget of 0.2 times the dump (22 bytes per object) cannot hold the arrays; mapped pages are page cache, which the kernel reclaims under a container's limit where a heap
 * could only fail. Freed arrays are unmapped at once ({@link dev.refkit.heap.index.Storage#free}); the others go
 * when the dump closes. The passes read the arrays in object order wherever the algorithm allows (predecessor
 * lists, shallow sizes, child lists), which is the dump's own order, so that a page brought in serves many
 * objects. On the heap an array is one Java array up to 2^31 - 16 elements, and 1 GiB blocks beyond.
 *
 * <p>The one exception, a plain Java array that grows with the objects: a bit set of n bits (n / 8 bytes) in the
 * leak suspects. Ids that are neither sorted nor within 2^32 alignments (not HotSpot's) are sorted in the storage
 * too, apart from their positions, which then find their places by binary search (34 n at the peak, in files
 * when the index is).
 */
package dev.refkit.heap.index;

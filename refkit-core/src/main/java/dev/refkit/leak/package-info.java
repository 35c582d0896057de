/**
 * Run-time leak detection: objects that should have been collected ({@link dev.refkit.leak.LeakWatcher})
 * and resources that became unreachable without being closed ({@link dev.refkit.leak.ResourceTracker}).
 *
 * <p>Both hold what they watch through weak references only, so watching never keeps anything alive, and
 * both learn of collections from a {@link java.lang.ref.ReferenceQueue}, on the caller's thread (a
 * ResourceTracker can also use a daemon thread). A {@code LeakWatcher} asks the collector to run, in a few
 * bounded rounds, only when an object it watches is overdue; a {@code ResourceTracker} never does, and is
 * cheap enough at {@link dev.refkit.leak.ResourceTracker.Level#SAMPLED} to stay on in production.
 *
 * <p>Findings are records ({@link dev.refkit.leak.RetainedObject}, {@link dev.refkit.leak.ResourceLeak})
 * given to listeners and, when Java Flight Recorder is recording, emitted as the events
 * {@code dev.refkit.ObjectRetained} and {@code dev.refkit.ResourceLeak}. A heap dump written by
 * {@link dev.refkit.leak.LeakWatcher#dumpHeap(java.nio.file.Path)} holds the
 * {@link dev.refkit.leak.KeyedWeakReference} of each watched object, by which the heap analyzer of
 * {@code refkit-heap} finds it and shows why it is alive.
 *
 * <p>JFR and heap dumps use the {@code jdk.jfr} and {@code jdk.management} modules where present; where
 * they are absent, events are not emitted and heap dumps are refused with a reason, and detection works
 * all the same. <b>Warning:</b> on the module path those modules are resolved only if some module requires
 * them; an application that wants the events or the dumps and does not itself require the modules adds
 * {@code --add-modules jdk.jfr,jdk.management} to its command line. On the class path they are present.
 */
package dev.refkit.leak;

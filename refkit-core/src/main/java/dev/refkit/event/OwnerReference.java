package dev.refkit.event;

import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * The weak reference to the owner of a {@link WeakMethod} or {@link WeakFunction}, with its optional death
 * notice.
 *
 * <p>A reference with a death notice is registered with one queue shared by the whole JVM; a daemon thread,
 * started the first time a death notice is asked for, runs each notice after its owner is collected. The
 * collector enqueues a reference only while the reference itself is reachable, so a notice runs only while its
 * {@code WeakMethod} is still in use, and never runs when the {@code WeakMethod} was dropped first.
 */
final class OwnerReference<O> extends WeakReference<O> {

    private final Runnable deathNotice;

    /** A reference without a death notice, registered with no queue. */
    OwnerReference(O owner) {
        super(owner);
        this.deathNotice = null;
    }

    OwnerReference(O owner, Runnable deathNotice) {
        super(owner, DeathNotices.QUEUE);
        this.deathNotice = deathNotice;
    }

    /** Holder of the shared queue and its thread, initialised on first use only. */
    private static final class DeathNotices {
        static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
        private static final System.Logger LOG = System.getLogger(WeakMethod.class.getName());

        static {
            Thread thread = new Thread(DeathNotices::run, "refkit-owner-death-notices");
            thread.setDaemon(true);
            thread.setContextClassLoader(null); // inheriting the first caller's loader would pin it for good
            thread.start();
        }

        private static void run() {
            while (true) {
                Reference<?> collected;
                try {
                    collected = QUEUE.remove();
                } catch (InterruptedException e) {
                    continue; // a daemon that serves the whole JVM: interruption is not a request to stop
                }
                Runnable notice = ((OwnerReference<?>) collected).deathNotice;
                try {
                    notice.run();
                } catch (Throwable e) { // the thread serves every notice in the JVM: one failure must not stop it
                    LOG.log(Level.WARNING, "An onDeath callback threw; the other callbacks still run", e);
                }
            }
        }
    }
}

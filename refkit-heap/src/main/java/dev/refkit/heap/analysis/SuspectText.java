package dev.refkit.heap.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** The sentences of a leak suspect: its summary, its hint, and its fingerprint. */
final class SuspectText {

    /** Longest quoted text (a watched object's description) put in a summary, in characters. */
    static final int MAX_QUOTE = 160;

    private SuspectText() {
    }

    /** What accumulates, in a phrase: {@code 2,000 × byte[] via HashMap$Node.value and 2,000 × String}. */
    static String accumulated(List<LeakSuspect.Accumulated> accumulated, int shown) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(shown, accumulated.size()); i++) {
            LeakSuspect.Accumulated a = accumulated.get(i);
            if (i > 0) {
                text.append(i == Math.min(shown, accumulated.size()) - 1 ? " and " : ", ");
            }
            text.append(String.format(Locale.ROOT, "%,d × %s", a.count(), a.className()));
            if (!a.via().isEmpty()) {
                text.append(" via ").append(a.via());
            }
        }
        if (accumulated.size() > shown) {
            long others = 0;
            for (int i = shown; i < accumulated.size(); i++) {
                others += accumulated.get(i).count();
            }
            text.append(String.format(Locale.ROOT, " (and %,d other objects)", others));
        }
        return text.toString();
    }

    static String summary(LeakSuspect.Kind kind, LeakSuspect.Owner owner, LeakSuspect.Container container,
                          List<LeakSuspect.Accumulated> accumulated, long retained, double share, String quote) {
        String what = accumulated(accumulated, 2);
        String size = String.format(Locale.ROOT, "%s (%.1f%% of the reachable heap)", Bytes.format(retained), 100 * share);
        return switch (kind) {
            case WATCHED_OBJECT_ALIVE -> String.format(Locale.ROOT, "%s watched as %s should have been collected but"
                    + " is held by %s in %s, retaining %s", what, quote, owner.description(), container.description(),
                    Bytes.format(retained));
            case STALE_CLASS_LOADER -> String.format(Locale.ROOT, "%s is kept by %s; the loader's classes retain %s,"
                    + " most in %s: %s", owner.description(), owner.context(), size, container.description(), what);
            case FINALIZER_BACKLOG -> String.format(Locale.ROOT, "%s await finalization in %s: %s; %s", what,
                    owner.description(), size, owner.context());
            case THREAD_LOCAL -> String.format(Locale.ROOT, "%s holds %s in %s: %s, %s", owner.description(),
                    container.description(), threads(owner.threads()), what, size);
            default -> String.format(Locale.ROOT, "%s holds %s: %s, %s", owner.description(), container.description(),
                    what, size);
        };
    }

    /** {@code thread pool-1-thread-1}, or {@code 2 threads of pool-1 (pool-1-thread-1, pool-1-thread-2)}. */
    static String threads(List<String> threads) {
        if (threads.isEmpty()) {
            return "a thread";
        }
        if (threads.size() == 1) {
            return "thread \"" + threads.get(0) + "\"";
        }
        String pool = poolOf(threads.get(0));
        for (String thread : threads) {
            if (!poolOf(thread).equals(pool)) {
                pool = null;
                break;
            }
        }
        String names = String.join(", ", threads.size() <= 4 ? threads : threads.subList(0, 4))
                + (threads.size() > 4 ? ", …" : "");
        return threads.size() + " threads" + (pool == null || pool.isEmpty() ? "" : " of " + pool) + " (" + names + ")";
    }

    /** The pool a thread name belongs to: {@code pool-1-thread-2} → {@code pool-1}, {@code worker-7} → {@code worker}. */
    static String poolOf(String thread) {
        String name = thread.replaceFirst("[-_ #.]*\\d+$", "");
        return name.replaceFirst("[-_ ](thread|worker)$", "");
    }

    static String hint(LeakSuspect.Kind kind, LeakSuspect.Owner owner, LeakSuspect.Container container,
                       List<LeakSuspect.Accumulated> accumulated) {
        String holder = ownerName(owner);
        String what = accumulated.isEmpty() ? "objects" : accumulated.get(0).className();
        String via = accumulated.isEmpty() || accumulated.get(0).via().isEmpty() ? ""
                : " (each reached via " + accumulated.get(0).via() + ")";
        return switch (kind) {
            case WATCHED_OBJECT_ALIVE -> "the object was expected to be collected: remove it from " + holder
                    + " when it is closed, or hold it weakly";
            case LISTENERS -> "listeners are registered in " + holder + " and never removed, keeping every " + what
                    + via + " alive: unsubscribe when a " + Names.shortName(what) + " closes, or register through"
                    + " dev.refkit.event.Listeners, which holds its subscribers weakly";
            case STATIC_COLLECTION -> "nothing removes entries from " + holder + ": bound it (an LRU, or"
                    + " dev.refkit.cache.ReferenceCache), expire entries, or remove them when they are done";
            case FIELD_COLLECTION -> "entries are added to " + holder + " and not removed: remove them when they are done"
                    + " (a logout, a close), or bound and expire them";
            case THREAD_LOCAL -> "values are set in " + holder + " on pooled threads and never removed: call remove()"
                    + " in a finally block after each task, or keep the value in the task instead";
            case THREAD_STACK -> "a running method keeps all of it in a local variable: process and release it in"
                    + " smaller batches, or drop the reference once a part is done";
            case QUEUED_TASKS -> "tasks wait in " + holder + " and nobody runs or drops them" + via
                    + ": drain or bound the queue, and let tasks hold only what they need (a static nested class"
                    + " instead of an anonymous or inner one)";
            case STUCK_EXECUTOR -> "the executor's workers do not take new tasks from its queue: " + owner.context()
                    + "; fix or time out the blocked task, bound the queue (a rejection policy), or add workers";
            case VALUE_REACHES_WEAK_KEY -> "the values in " + holder + " hold their own weak keys" + via + ", so no key"
                    + " is ever collected: do not refer to the key from the value (hold it weakly, or key by an id)";
            case STALE_CLASS_LOADER -> "the loader's application was replaced, but " + owner.context()
                    + " still holds one of its objects: remove it on undeploy (unregister, clear the field)";
            case FINALIZER_BACKLOG -> "objects with finalize() are queued faster than the finalizer thread runs them"
                    + (owner.frame() == null ? "" : " (it is in " + owner.frame() + ")")
                    + ": replace finalize() with java.lang.ref.Cleaner or close()/try-with-resources, and never block"
                    + " in finalize()";
            case LARGE_OBJECT -> "one object retains this much through " + holder + ": check that it should live"
                    + " this long, or hold it softly (dev.refkit.cache.ReferenceCache)";
        };
    }

    /** The owner in a short phrase for a hint: its field or thread. */
    static String ownerName(LeakSuspect.Owner owner) {
        if (owner.className() != null && owner.field() != null) {
            return Names.shortName(owner.className()) + "." + owner.field();
        }
        return owner.description();
    }

    /**
     * Sixteen hexadecimal digits of the SHA-256 of the path signature (owner to container, class and field names)
     * and the accumulated class: the same for a suspect in one dump and a growing path across dumps.
     */
    static String fingerprint(String signature, String accumulatedClass) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((signature + "|" + Names.stable(accumulatedClass))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** At most {@link #MAX_QUOTE} characters, cut between code points. */
    static String quote(String text) {
        if (text == null) {
            return "?";
        }
        if (text.length() <= MAX_QUOTE) {
            return text;
        }
        int cut = MAX_QUOTE;
        if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }
}

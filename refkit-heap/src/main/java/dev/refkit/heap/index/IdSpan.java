package dev.refkit.heap.index;

/**
 * The smallest and largest of some ids, one of them, and the bits in which any of them differs from that one:
 * ids are congruent modulo a power of two exactly when all differ from any one of them by its multiples.
 */
final class IdSpan {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    /** An id of the span, from which {@link #differences} count; valid when {@link #any}. */
    long first;
    long differences;
    boolean any;

    void add(long id) {
        if (!any) {
            first = id;
            any = true;
        }
        min = Math.min(min, id);
        max = Math.max(max, id);
        differences |= id - first;
    }

    void add(IdSpan other) {
        if (!other.any) {
            return;
        }
        if (!any) {
            first = other.first;
            any = true;
        }
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        differences |= other.differences | (other.first - first);
    }
}

package dev.refkit.leak;

import java.util.List;
import java.util.Objects;

/**
 * A report of a tracked resource that was not closed: collected by the garbage collector while its
 * {@link Tracked} handle was open (what {@link ResourceTracker}'s listeners receive), or still open when
 * {@link ResourceTracker#unclosed()} was asked.
 *
 * @param tracker             the name of the tracker
 * @param resourceClass       the class of the resource
 * @param allocationSite      the stack trace of the {@link ResourceTracker#track(Object)} call, innermost
 *                            frame first, one {@code "\tat frame"} line per frame; empty unless the tracker
 *                            runs at {@link ResourceTracker.Level#ALL_WITH_TRACES}
 * @param accessPoints        the recorded uses ({@link Tracked#record(Object)}), oldest first: the first one
 *                            and the most recent ones, each a hint line followed by its stack trace; empty
 *                            unless the tracker records traces
 * @param omittedAccessPoints how many recorded uses between the first and the most recent ones were not
 *                            kept
 */
public record ResourceLeak(String tracker, Class<?> resourceClass, String allocationSite,
                           List<String> accessPoints, long omittedAccessPoints) {

    /**
     * Checks that no component is null and copies the access points.
     *
     * @param tracker the name of the tracker that reports the leak
     * @param resourceClass the class of the leaked resource
     * @param allocationSite the stack where it was tracked
     * @param accessPoints the stacks of its recorded uses, oldest first
     * @param omittedAccessPoints uses recorded but not kept
     */
    public ResourceLeak {
        Objects.requireNonNull(tracker, "tracker");
        Objects.requireNonNull(resourceClass, "resourceClass");
        Objects.requireNonNull(allocationSite, "allocationSite");
        accessPoints = List.copyOf(accessPoints);
    }

    /** The report as a person reads it: what leaked, where it was allocated, where it was used. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder()
                .append("LEAK in ").append(tracker).append(": a ").append(resourceClass.getName())
                .append(" was not closed before it became unreachable.");
        if (allocationSite.isEmpty()) {
            text.append(" To see where it was allocated, track at Level.ALL_WITH_TRACES (trackers created without a")
                    .append(" level take it from -D").append(ResourceTracker.LEVEL_PROPERTY).append("=ALL_WITH_TRACES).");
        } else {
            text.append("\nAllocated at:\n").append(allocationSite);
        }
        if (!accessPoints.isEmpty()) {
            text.append("\nRecorded uses (").append(accessPoints.size()).append(" kept");
            if (omittedAccessPoints > 0) {
                text.append(", ").append(omittedAccessPoints).append(" in between omitted");
            }
            text.append("):");
            int number = 1;
            for (String accessPoint : accessPoints) {
                text.append("\n#").append(number++).append(' ').append(accessPoint);
            }
        }
        return text.toString();
    }
}

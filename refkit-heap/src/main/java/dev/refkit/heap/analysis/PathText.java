package dev.refkit.heap.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A path from a GC root told owner-first: the owner's reference on the first line, then one reference a line,
 * each read from the object on the line before ({@code .table → java.util.HashMap$Node[]}), runs of the same
 * reference folded into one line ({@code .next → app.Node (×4,998)}), hidden-class suffixes dropped.
 */
final class PathText {

    static final String CONTAINER_MARK = "  ◀ container";
    static final String TARGET_MARK = "  ◀";

    private PathText() {
    }

    /**
     * The lines from the owner's step ({@code ownerStep}; -1: from the GC root) to the path's target, the container
     * marked ({@code containerStep}; -1 for none or the root), the target marked with {@code targetNote}.
     */
    static List<String> lines(GcRootPath path, int ownerStep, int containerStep, String targetNote) {
        List<String> lines = new ArrayList<>();
        List<GcRootPath.Step> steps = path.steps();
        int start;
        if (ownerStep < 0 || ownerStep >= steps.size()) {
            lines.add(Names.stable(path.root().toString()) + (steps.isEmpty() ? TARGET_MARK + targetNote : ""));
            start = 0;
        } else {
            GcRootPath.Step owner = steps.get(ownerStep);
            String reference = owner.reference().startsWith("static ")
                    ? "static " + owner.holderType() + "." + owner.reference().substring("static ".length())
                    : owner.holderType() + (owner.reference().startsWith("[") ? "" : ".") + owner.reference();
            lines.add(Names.stable(reference + " → " + type(owner) + strength(owner))
                    + marks(ownerStep, containerStep, steps.size(), targetNote));
            start = ownerStep + 1;
        }
        int i = start;
        while (i < steps.size()) {
            GcRootPath.Step step = steps.get(i);
            String text = reference(step) + " → " + type(step) + strength(step);
            int run = 1;
            while (i + run < steps.size() && i + run != containerStep && i != containerStep
                    && i + run != steps.size() - 1
                    && (reference(steps.get(i + run)) + " → " + type(steps.get(i + run))
                    + strength(steps.get(i + run))).equals(text)) {
                run++;
            }
            String folded = run > 1 ? String.format(Locale.ROOT, "%s  (×%,d)", text, run) : text;
            lines.add("  " + Names.stable(folded) + marks(i + run - 1, containerStep, steps.size(), targetNote));
            i += run;
        }
        return lines;
    }

    private static String marks(int step, int containerStep, int steps, String targetNote) {
        if (step == steps - 1) {
            return TARGET_MARK + targetNote;
        }
        return step == containerStep ? CONTAINER_MARK : "";
    }

    /** A step as read from its holder: {@code .field}, {@code [*]}, {@code static NAME}. */
    private static String reference(GcRootPath.Step step) {
        String reference = step.reference();
        if (reference.startsWith("[")) {
            return "[*]";
        }
        if (reference.startsWith("static ")) {
            return "static " + step.holderType() + "." + reference.substring("static ".length());
        }
        return "." + reference;
    }

    /** The class reached, without its package: the owner's line names the package. */
    private static String type(GcRootPath.Step step) {
        String type = step.objectType();
        return type.startsWith("class ") ? "class " + Names.shortName(type.substring(6)) : Names.shortName(type);
    }

    private static String strength(GcRootPath.Step step) {
        return step.strength() == Reachability.STRONG ? "" : " (" + step.strength().name().toLowerCase(Locale.ROOT) + ")";
    }
}

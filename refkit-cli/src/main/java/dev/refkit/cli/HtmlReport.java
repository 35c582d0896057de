package dev.refkit.cli;

import dev.refkit.heap.DumpInfo;
import dev.refkit.heap.analysis.DominatorTree;
import dev.refkit.heap.analysis.GcRootPath;
import dev.refkit.heap.analysis.HeapGrowth;
import dev.refkit.heap.analysis.LeakSuspect;
import dev.refkit.heap.analysis.Reachability;
import java.util.List;
import java.util.Locale;

/**
 * The analysis as one self-contained HTML file: inline CSS and SVG charts, no script, no font or image fetched
 * from anywhere, so it can be mailed or attached to a ticket as it is.
 */
final class HtmlReport {

    private static final String[] COLOURS = {"#2f6f4f", "#4f9a6a", "#e0b040", "#e07a30", "#b04a8a", "#9aa0a6"};
    private static final int CHART_WIDTH = 880;

    private final StringBuilder html = new StringBuilder(64 * 1024);

    private HtmlReport() {
    }

    static String of(AnalysisReport report) {
        HtmlReport r = new HtmlReport();
        r.page(report);
        return r.html.toString();
    }

    private void page(AnalysisReport report) {
        DumpInfo info = report.info();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>refkit: ")
                .append(esc(info.file().getFileName().toString())).append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        html.append("<header><h1>Heap report <span class=\"file\">").append(esc(info.file().getFileName().toString()))
                .append("</span></h1>\n<p class=\"facts\">")
                .append(Format.count(info.objectCount())).append(" objects · ").append(Format.bytes(report.heapBytes()))
                .append(" shallow · ").append(Format.count(info.classCount())).append(" classes · ")
                .append(Format.count(info.gcRootCount())).append(" GC roots · HPROF ").append(esc(info.formatVersion()))
                .append(", ").append(info.idSize()).append("-byte ids, ").append(esc(info.vmLayout())).append("</p></header>\n");
        census(report);
        retainers(report);
        classes(report);
        suspects(report);
        html.append("<footer>Written by refkit from ").append(esc(info.file().toString()))
                .append(". Reachability: along one path the weakest reference decides; among paths, the strongest.</footer>\n</body></html>\n");
    }

    private void census(AnalysisReport report) {
        long total = Math.max(1, report.heapBytes());
        html.append("<section><h2>Reachability</h2>\n<p class=\"summary\">").append(esc(report.censusSummary())).append("</p>\n");
        html.append("<svg class=\"census\" width=\"").append(CHART_WIDTH).append("\" height=\"44\" viewBox=\"0 0 ")
                .append(CHART_WIDTH).append(" 44\" role=\"img\" aria-label=\"shallow bytes per reachability\">\n");
        double x = 0;
        List<AnalysisReport.CensusRow> rows = report.census();
        for (int i = 0; i < rows.size(); i++) {
            AnalysisReport.CensusRow row = rows.get(i);
            double w = CHART_WIDTH * (double) row.bytes() / total;
            if (row.bytes() > 0) {
                w = Math.max(w, 2);
                html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"36\" fill=\"%s\"><title>%s: %s (%s)</title></rect>\n",
                        x, w, COLOURS[i], label(row.reachability()), Format.bytes(row.bytes()), Format.percent(row.bytes(), total)));
                x += w;
            }
        }
        html.append("</svg>\n<table class=\"legend\"><tr><th></th><th>reachability</th><th>objects</th><th>shallow bytes</th><th>share</th></tr>\n");
        for (int i = 0; i < rows.size(); i++) {
            AnalysisReport.CensusRow row = rows.get(i);
            html.append("<tr><td><span class=\"swatch\" style=\"background:").append(COLOURS[i]).append("\"></span></td><td>")
                    .append(label(row.reachability())).append("</td><td class=\"n\">").append(Format.count(row.count()))
                    .append("</td><td class=\"n\">").append(Format.bytes(row.bytes())).append("</td><td class=\"n\">")
                    .append(Format.percent(row.bytes(), total)).append("</td></tr>\n");
        }
        html.append("</table></section>\n");
    }

    private void retainers(AnalysisReport report) {
        List<DominatorTree.Retainer> retainers = report.topRetainers();
        long reachable = report.reachableBytes();
        html.append("<section><h2>Top retainers</h2>\n<p class=\"note\">Objects whose removal would free the most memory"
                + " (retained size: everything only they keep alive; share: of the ").append(Format.bytes(reachable))
                .append(" strongly reachable), named by their id in the dump.</p>\n");
        if (retainers.isEmpty()) {
            html.append("<p>None.</p></section>\n");
            return;
        }
        int rowHeight = 26;
        int labelWidth = 430;
        int height = retainers.size() * rowHeight + 6;
        long max = Math.max(1, retainers.get(0).retainedSize());
        html.append("<svg class=\"bars\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"top retainers\">\n");
        for (int i = 0; i < retainers.size(); i++) {
            DominatorTree.Retainer r = retainers.get(i);
            int y = i * rowHeight + 3;
            double w = Math.max(2, (CHART_WIDTH - labelWidth - 150) * (double) r.retainedSize() / max);
            html.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"#2f6f4f\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s · %s</text>\n",
                    labelWidth - 8, y + 16, esc(TextReport.named(r.objectType(), report.id(r.object()), 60)), labelWidth, y + 2, w, rowHeight - 8,
                    labelWidth + w + 6, y + 16, Format.bytes(r.retainedSize()), Format.percent(r.retainedSize(), reachable)));
        }
        html.append("</svg></section>\n");
    }

    private void classes(AnalysisReport report) {
        long reachable = report.reachableBytes();
        html.append("<section><h2>Top classes by retained size</h2>\n<p class=\"note\">Strongly reachable objects only (")
                .append(Format.count(report.reachableCount())).append(" of ").append(Format.count(report.info().objectCount()))
                .append("; <code>refkit histogram</code> counts every object, garbage included); share: of the ")
                .append(Format.bytes(reachable)).append(" they take.</p>\n<table class=\"grid\"><tr><th>class</th><th>instances</th>"
                + "<th>shallow</th><th>retained</th><th>share of reachable</th></tr>\n");
        for (DominatorTree.ClassRetained c : report.topClasses()) {
            html.append("<tr><td class=\"cls\">").append(esc(c.className())).append("</td><td class=\"n\">").append(Format.count(c.instances()))
                    .append("</td><td class=\"n\">").append(Format.bytes(c.shallowBytes())).append("</td><td class=\"n\">")
                    .append(Format.bytes(c.retainedBytes())).append("</td><td class=\"n\">").append(Format.percent(c.retainedBytes(), reachable))
                    .append("</td></tr>\n");
        }
        html.append("</table></section>\n");
    }

    private void suspects(AnalysisReport report) {
        List<LeakSuspect> suspects = report.suspects();
        html.append("<section><h2>Leak suspects</h2>\n");
        if (suspects.isEmpty()) {
            html.append("<p>None found.</p></section>\n");
            return;
        }
        int n = 1;
        for (LeakSuspect s : suspects) {
            html.append("<div class=\"suspect\"><div class=\"head\"><span class=\"rank\">").append(n++).append("</span><span class=\"kind\">")
                    .append(esc(TextReport.kindName(s.kind()))).append("</span><span class=\"size\">")
                    .append(Format.bytes(s.retainedBytes())).append(String.format(Locale.ROOT, " · %.1f%%", 100 * s.heapShare()))
                    .append("</span></div>\n<p>").append(esc(TextReport.readable(s.summary()))).append("</p>\n");
            html.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"8\" class=\"share\"><rect width=\"%d\" height=\"8\" rx=\"4\" fill=\"#e6e8e6\"/>"
                    + "<rect width=\"%.1f\" height=\"8\" rx=\"4\" fill=\"#e07a30\"/></svg>\n", CHART_WIDTH, CHART_WIDTH,
                    Math.max(4, CHART_WIDTH * Math.min(1, s.heapShare()))));
            html.append("<table class=\"parts\">");
            row("owner", "<code>" + esc(TextReport.readable(s.owner().description())) + "</code> <span class=\"note\">("
                    + esc(TextReport.readable(s.owner().context())) + ")</span>");
            row("container", esc(TextReport.readable(s.container().description())) + ", retaining "
                    + Format.bytes(s.container().retainedBytes()) + " <span class=\"cls\">" + esc(s.container().type()) + "</span> "
                    + id(report.id(s.container().object())));
            StringBuilder accumulated = new StringBuilder();
            for (LeakSuspect.Accumulated a : s.accumulated()) {
                accumulated.append(accumulated.length() == 0 ? "" : "<br>").append(Format.count(a.count())).append(" × <span class=\"cls\">")
                        .append(esc(TextReport.readable(a.className()))).append("</span> · ").append(Format.bytes(a.retainedBytes()))
                        .append(a.via().isEmpty() ? "" : " via <code>" + esc(TextReport.readable(a.via())) + "</code>");
            }
            row("accumulates", accumulated.toString());
            row("hint", esc(TextReport.readable(s.hint())));
            row("fingerprint", "<code>" + esc(s.fingerprint()) + "</code>");
            html.append("</table>\n");
            path(s, report);
            html.append("</div>\n");
        }
        html.append("</section>\n");
    }

    /** An object's id in the dump, quiet beside its class: what {@code refkit paths --object} takes. */
    private static String id(String id) {
        return "<span class=\"id\">@ " + esc(id) + "</span>";
    }

    private void row(String label, String content) {
        html.append("<tr><th>").append(label).append("</th><td>").append(content).append("</td></tr>\n");
    }

    /** The whole path, the GC root first; the steps before the owner are shown dimmed, as context. */
    private void path(LeakSuspect s, AnalysisReport report) {
        GcRootPath path = s.path();
        html.append("<p class=\"why\">Why alive: the path from a GC root through the owner and the container to one"
                + " accumulated object</p>\n<ol class=\"path\"><li class=\"").append(s.ownerStep() >= 0 ? "context" : "owner")
                .append("\"><span class=\"root\">").append(esc(TextReport.readable(path.root().toString()))).append("</span> ")
                .append(id(report.id(path.root().object()))).append("</li>\n");
        List<GcRootPath.Step> steps = path.steps();
        for (int i = 0; i < steps.size(); i++) {
            GcRootPath.Step step = steps.get(i);
            String css = i < s.ownerStep() ? "context" : i == s.ownerStep() ? "owner" : i == s.containerStep() ? "container"
                    : i == steps.size() - 1 ? "target" : "";
            String reference = step.reference().equals("<class>") ? "its class, for the statics"
                    : step.reference().equals("<loader>") ? "its class loader" : TextReport.readable(step.referenceText());
            html.append("<li").append(css.isEmpty() ? "" : " class=\"" + css + "\"").append("><code>")
                    .append(esc(reference)).append("</code> → <span class=\"cls\">")
                    .append(esc(TextReport.readable(step.objectType()))).append("</span> ").append(id(report.id(step.object())));
            if (step.strength() != Reachability.STRONG) {
                html.append(" <em>(").append(step.strength().name().toLowerCase(Locale.ROOT)).append(")</em>");
            }
            if (i == s.ownerStep()) {
                html.append(" <span class=\"tag\">owner</span>");
            }
            if (i == s.containerStep()) {
                html.append(" <span class=\"tag\">container</span>");
            }
            html.append("</li>\n");
        }
        html.append("</ol>\n");
    }

    static String of(DiffCommand.DiffReport report) {
        HtmlReport r = new HtmlReport();
        r.growthPage(report);
        return r.html.toString();
    }

    private void growthPage(DiffCommand.DiffReport report) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>refkit diff</title>\n<style>\n")
                .append(CSS).append("</style></head>\n<body>\n<header><h1>What grew</h1>\n<p class=\"facts\">");
        for (int i = 0; i < report.infos().size(); i++) {
            html.append(i == 0 ? "" : " · ").append(i + 1).append(". ")
                    .append(esc(report.infos().get(i).file().getFileName().toString())).append(" (")
                    .append(Format.count(report.infos().get(i).objectCount())).append(" objects)");
        }
        html.append("</p></header>\n<section><h2>Growing paths</h2>\n");
        HeapGrowth growth = report.growth();
        if (growth.growing().isEmpty()) {
            html.append("<p>None: nothing grew at every step.</p>\n");
        }
        int n = 1;
        for (HeapGrowth.GrowingPath p : growth.growing().subList(0, Math.min(report.top(), growth.growing().size()))) {
            html.append("<div class=\"suspect\"><div class=\"head\"><span class=\"rank\">").append(n++)
                    .append("</span><span class=\"kind\">").append(esc(TextReport.readable(p.owner())))
                    .append("</span><span class=\"size\">+").append(Format.bytes(p.bytesPerStep())).append(" per step</span></div>\n");
            html.append("<p>").append(esc(TextReport.readable(p.elementClass()))).append(" in ")
                    .append(esc(p.container())).append(p.via().isEmpty() ? "" : " via <code>" + esc(p.via()) + "</code>")
                    .append(": ").append(esc(String.join(" → ", p.counts().stream().map(Format::count).toList())))
                    .append(" objects</p>\n");
            chart(p.counts());
            html.append("<ol class=\"path\">");
            for (String line : p.path()) {
                html.append("<li><code>").append(esc(TextReport.readable(line.strip()))).append("</code></li>");
            }
            html.append("</ol>\n<p class=\"note\">fingerprint <code>").append(esc(p.fingerprint())).append("</code></p></div>\n");
        }
        html.append("</section>\n<section><h2>Classes that grew at every step</h2>\n");
        classTable(growth.grew(), report.top());
        html.append("</section>\n<section><h2>Classes that shrank at every step</h2>\n");
        classTable(growth.shrank(), report.top());
        html.append("</section>\n<footer>Written by refkit diff. A path grows when its objects and the bytes reached"
                + " through it grew between every pair of consecutive dumps.</footer>\n</body></html>\n");
    }

    /** The counts over the dumps as bars, in an inline SVG. */
    private void chart(List<Long> counts) {
        int width = 60 * counts.size() + 20;
        int height = 90;
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        html.append("<svg class=\"bars\" width=\"").append(width).append("\" height=\"").append(height + 20)
                .append("\" role=\"img\" aria-label=\"objects at each dump\">\n");
        for (int i = 0; i < counts.size(); i++) {
            double h = Math.max(2, height * (double) counts.get(i) / max);
            html.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"40\" height=\"%.1f\" rx=\"3\" fill=\"#e07a30\">"
                    + "<title>dump %d: %s objects</title></rect><text x=\"%d\" y=\"%d\" class=\"value\">%s</text>\n",
                    10 + 60 * i, height - h, h, i + 1, Format.count(counts.get(i)), 10 + 60 * i, height + 15,
                    Format.count(counts.get(i))));
        }
        html.append("</svg>\n");
    }

    private void classTable(List<HeapGrowth.ClassChange> changes, int top) {
        if (changes.isEmpty()) {
            html.append("<p>None.</p>\n");
            return;
        }
        html.append("<table class=\"grid\"><tr><th>class</th><th>instances</th><th>shallow</th></tr>\n");
        for (HeapGrowth.ClassChange c : changes.subList(0, Math.min(top, changes.size()))) {
            html.append("<tr><td class=\"cls\">").append(esc(TextReport.readable(c.className()))).append("</td><td class=\"n\">")
                    .append(esc(String.join(" → ", c.instances().stream().map(Format::count).toList())))
                    .append("</td><td class=\"n\">")
                    .append(esc(String.join(" → ", c.shallowBytes().stream().map(Format::bytes).toList())))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String label(Reachability r) {
        return switch (r) {
            case STRONG -> "strongly reachable";
            case SOFT -> "only softly reachable";
            case WEAK -> "only weakly reachable";
            case FINALIZER -> "awaiting finalization";
            case PHANTOM -> "only phantom reachable";
            case UNREACHABLE -> "unreachable (garbage)";
        };
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))
                            || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                    if (Character.isSurrogate(c) && !paired || c < 0x20 && c != '\n' && c != '\t') {
                        out.append('\ufffd'); // a lone surrogate or a control: not a character a page can hold
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
                   color: #1d2320; background: #f7f8f6; margin: 0; padding: 24px 32px; max-width: 960px; }
            h1 { font-size: 22px; margin: 0 0 4px; } h1 .file { font-weight: 400; color: #4a564f; }
            h2 { font-size: 16px; margin: 0 0 8px; }
            header { border-bottom: 1px solid #d8ddd9; padding-bottom: 12px; margin-bottom: 16px; }
            .facts, .note, footer { color: #5b665f; font-size: 13px; }
            section { background: #fff; border: 1px solid #e1e5e2; border-radius: 8px; padding: 16px 20px; margin: 0 0 16px; }
            .summary { font-weight: 600; }
            table { border-collapse: collapse; margin-top: 8px; }
            th { text-align: left; font-weight: 600; color: #4a564f; padding: 4px 12px 4px 0; font-size: 12px; }
            td { padding: 3px 12px 3px 0; border-top: 1px solid #eef0ee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .grid { width: 100%; } .cls { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; word-break: break-all; }
            .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; }
            svg text.label { font: 12px ui-monospace, Menlo, Consolas, monospace; fill: #1d2320; }
            svg text.value { font-size: 12px; fill: #4a564f; }
            .suspect { border-top: 1px solid #eef0ee; padding: 10px 0 6px; } .suspect:first-of-type { border-top: 0; }
            .head { display: flex; gap: 10px; align-items: baseline; }
            .rank { background: #1d2320; color: #fff; border-radius: 10px; padding: 0 8px; font-size: 12px; }
            .kind { font-weight: 600; text-transform: capitalize; } .size { color: #b0521c; font-weight: 600; margin-left: auto; }
            .why { font-size: 12px; color: #5b665f; margin: 8px 0 2px; }
            ol.path { list-style: none; padding-left: 0; margin: 0; }
            ol.path li { position: relative; padding: 1px 0 1px 18px; }
            ol.path li + li::before { content: "↳"; color: #8a948e; position: absolute; left: 0; }
            ol.path li.context { color: #8a948e; }
            ol.path li.owner, ol.path li.container, ol.path li.target { font-weight: 600; }
            ol.path code { background: #eef3ef; border-radius: 3px; padding: 0 4px; font-size: 12.5px; }
            .tag { background: #e07a30; color: #fff; border-radius: 8px; padding: 0 6px; font-size: 11px; }
            table.parts th { width: 90px; vertical-align: top; } table.parts td { border-top: 0; }
            .root { font-weight: 600; } .id { color: #8a948e; font-size: 11.5px; font-family: ui-monospace, Menlo, Consolas, monospace; }
            footer { margin-top: 8px; }
            """;
}

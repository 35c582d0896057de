package dev.refkit.bench;

import dev.refkit.cli.explorer.Explorer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code refkit serve}'s answers on one dump: the time to start (open, analyses, the reverse references), then
 * a mix of the questions the page asks (overview, dominator tree levels, histogram sorts and groups, a class's
 * instances, objects, their references out and in, their paths strong and weak, the threads) over HTTP on the
 * loopback, each route's latencies as p50, p99 and max. A class's instances are listed once per class (the first
 * request builds the list): its first request is reported apart.
 *
 * <pre>
 * java -Xmx6g -cp refkit-bench/target/benchmarks.jar dev.refkit.bench.ExplorerBenchmark DUMP [--requests 2000]
 * </pre>
 */
public final class ExplorerBenchmark {

    private static final Pattern ID = Pattern.compile("\"id\":\"(0x[0-9a-f]+)\"");

    private ExplorerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int requests = args.length > 2 && args[1].equals("--requests") ? Integer.parseInt(args[2]) : 2_000;
        long start = System.nanoTime();
        try (HeapDump dump = HeapDump.open(file);
             Explorer explorer = Explorer.start(dump, HeapAnalysis.of(dump), null, InetAddress.getLoopbackAddress(), 0)) {
            System.out.printf(Locale.ROOT, "start %.3f s (open, census, dominators, suspects, reverse references)%n",
                    (System.nanoTime() - start) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            URI base = explorer.url();
            Map<String, List<Long>> times = new LinkedHashMap<>();
            String top = get(http, base, explorer.token(), "dominators?of=root&limit=50", times, "dominators");
            List<String> ids = ids(top);
            String classes = get(http, base, explorer.token(), "histogram?sort=retained&limit=5", times, "histogram");
            Matcher name = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(classes);
            String biggest = name.find() ? name.group(1) : "java.lang.Object";
            Map<String, List<Long>> first = new LinkedHashMap<>();
            get(http, base, explorer.token(), "instances?class=" + biggest + "&limit=100", first, "instances (first, builds the list)");
            SplittableRandom random = new SplittableRandom(7);
            for (int level = 0; level < 3 && !ids.isEmpty(); level++) {
                ids.addAll(ids(get(http, base, explorer.token(), "dominators?of=" + ids.get(0) + "&limit=100", times, "dominators")));
            }
            for (int i = 0; i < requests; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                switch (i % 10) {
                    case 0 -> get(http, base, explorer.token(), "overview", times, "overview");
                    case 1 -> ids.addAll(ids(get(http, base, explorer.token(), "dominators?of=" + id + "&limit=100", times, "dominators")));
                    case 2 -> get(http, base, explorer.token(), "histogram?sort=" + (i % 20 == 2 ? "count" : "shallow")
                            + "&group=" + (i % 30 == 2 ? "package" : "class") + "&limit=200", times, "histogram");
                    case 3 -> get(http, base, explorer.token(), "instances?class=" + biggest + "&offset=" + random.nextInt(1_000)
                            + "&limit=100", times, "instances");
                    case 4, 5 -> get(http, base, explorer.token(), "object?id=" + id, times, "object");
                    case 6 -> get(http, base, explorer.token(), "refs?id=" + id + "&dir=" + (i % 20 == 6 ? "in" : "out"), times, "refs");
                    case 7, 8 -> get(http, base, explorer.token(), "paths?id=" + id + "&weak=" + (i % 20 == 7), times, "paths");
                    default -> get(http, base, explorer.token(), "threads", times, "threads");
                }
                if (ids.size() > 5_000) {
                    ids = new ArrayList<>(ids.subList(0, 5_000));
                }
            }
            System.out.println("route requests p50_ms p99_ms max_ms");
            first.forEach(ExplorerBenchmark::print);
            times.forEach(ExplorerBenchmark::print);
        }
    }

    private static List<String> ids(String json) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(json.substring(Math.max(0, json.indexOf("\"rows\""))));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String get(HttpClient http, URI base, String token, String route, Map<String, List<Long>> times,
                              String name) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/" + route))
                .header("X-Refkit-Token", token).build(), HttpResponse.BodyHandlers.ofString());
        times.computeIfAbsent(name, k -> new ArrayList<>()).add(System.nanoTime() - t);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(route + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void print(String route, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s %d %.2f %.2f %.2f%n", route.replace(' ', '_'), sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
        Arrays.fill(sorted, 0);
    }
}

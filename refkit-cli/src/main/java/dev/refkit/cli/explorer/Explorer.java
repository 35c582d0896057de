package dev.refkit.cli.explorer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import dev.refkit.heap.analysis.HeapGrowth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code refkit serve}: one dump's analysis behind a local HTTP server, a single page and a JSON API of small
 * pages that the page fetches as the user explores.
 *
 * <p>A heap dump holds secrets (passwords, tokens, personal data), so the server binds to the loopback address
 * unless told otherwise, and every request must carry a random token (in the page's URL, then in the
 * {@code X-Refkit-Token} header of the page's requests); a request without it is answered 403. The page builds its
 * views with text nodes only, so a dump's strings (a class named {@code <script>}) are shown as text.
 */
public final class Explorer implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService workers;
    private final String token;
    private final ExplorerData data;

    private Explorer(HttpServer server, ExecutorService workers, String token, ExplorerData data) {
        this.server = server;
        this.workers = workers;
        this.token = token;
        this.data = data;
    }

    /**
     * Serves the dump (which must stay open) and its analysis on {@code address:port} (port 0: any free one), with
     * the growth of a series of dumps when {@code growth} is not null. The analyses are computed before it returns.
     *
     * @param dump     the dump, open until the explorer is closed
     * @param analysis its analysis
     * @param growth   what grew across the dumps this one ends, or null
     * @param address  the address to listen on
     * @param port     the port, or 0 for any free one
     * @return the running explorer
     * @throws IOException when the address or port cannot be bound
     */
    public static Explorer start(HeapDump dump, HeapAnalysis analysis, HeapGrowth growth, InetAddress address, int port)
            throws IOException {
        // the JDK's server writes headers and body apart: without TCP_NODELAY every answer waits out the peer's
        // delayed acknowledgement (40 ms on Linux); read when the server's configuration is first loaded
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ExplorerData data = new ExplorerData(dump, analysis, growth);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "refkit-serve");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        Explorer explorer = new Explorer(server, workers, token, data);
        server.createContext("/", explorer::handle);
        server.start();
        return explorer;
    }

    /**
     * The URL to open: the page, with the token.
     *
     * @return the page's address
     */
    public URI url() {
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + bound.getPort() + "/?token=" + token);
    }

    /**
     * The token every request must carry.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /** Stops serving; the dump stays open. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String given = exchange.getRequestHeaders().getFirst("X-Refkit-Token");
            if (given == null) {
                given = query.get("token");
            }
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                send(exchange, 403, "text/plain; charset=utf-8", "403: this server needs the token of its URL\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain; charset=utf-8", "405: GET only\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/")) {
                String answer;
                int status = 200;
                try {
                    answer = data.answer(path.substring("/api/".length()), query);
                } catch (IllegalArgumentException e) {
                    status = 400;
                    answer = "{\"error\":" + quote(e.getMessage()) + "}";
                } catch (RuntimeException e) {
                    status = 500;
                    answer = "{\"error\":" + quote("the analysis failed: " + e) + "}";
                }
                send(exchange, status, "application/json; charset=utf-8", answer);
            } else if (path.equals("/") || path.equals("/index.html")) {
                // the page asks for its script and style with the token too
                send(exchange, 200, TYPES.get("html"), resource("index.html").replace("%TOKEN%", token));
            } else if (path.equals("/explorer.js") || path.equals("/explorer.css")) {
                send(exchange, 200, TYPES.get(path.substring(path.lastIndexOf('.') + 1)), resource(path.substring(1)));
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "404: no such page\n");
            }
        }
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder();
        dev.refkit.cli.Json.quote(json, text);
        return json.toString();
    }

    private static String resource(String name) {
        try (InputStream in = Explorer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the explorer's " + name + " is missing from refkit's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> map = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.putIfAbsent(key, value);
        }
        return map;
    }
}

package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.cli.explorer.Explorer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer's JSON API on a dump a program wrote of itself: the token is required, the answers are small pages
 * with the dump's own ids, and they link (a suspect's container opens as an object, an object's holders as
 * objects).
 */
class ExplorerApiTest {

    @TempDir
    static Path dir;
    static HeapDump dump;
    static Explorer explorer;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void serve() throws Exception {
        Path file = dir.resolve("explorer.hprof");
        ChildDump.run(ExplorerApp.class, "128m", file.toString());
        dump = HeapDump.open(file);
        explorer = Explorer.start(dump, HeapAnalysis.of(dump), null, InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        explorer.close();
        dump.close();
    }

    private static HttpResponse<String> get(String path, boolean withToken) throws Exception {
        URI base = explorer.url();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (withToken) {
            request.header("X-Refkit-Token", explorer.token());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String api(String path) throws Exception {
        HttpResponse<String> response = get("/api/" + path, true);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static String first(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as("%s in %s", regex, json.length() > 2000 ? json.substring(0, 2000) : json).isTrue();
        return m.group(1);
    }

    @Test
    void everyRequestWithoutTheTokenIsForbidden() throws Exception {
        assertThat(get("/api/overview", false).statusCode()).isEqualTo(403);
        assertThat(get("/", false).statusCode()).isEqualTo(403);
        assertThat(get("/explorer.js", false).statusCode()).isEqualTo(403);
        assertThat(get("/?token=wrong", false).statusCode()).isEqualTo(403);
        assertThat(get("/?token=" + explorer.token(), false).statusCode()).isEqualTo(200);
        assertThat(explorer.url().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void theOverviewNamesTheSuspectAndItsContainerOpensAsAnObject() throws Exception {
        String overview = api("overview");
        assertThat(overview).contains("\"owner\":\"static field " + ExplorerApp.class.getName() + ".REGISTRY\"");
        String container = first(overview, "\"container\":\\{\"id\":\"(0x[0-9a-f]+)\"");

        String object = api("object?id=" + container);

        assertThat(object).contains("\"type\":\"java.util.ArrayList\"").contains("\"name\":\"elementData\"");
    }

    @Test
    void theDominatorTreeOpensLevelByLevelInPages() throws Exception {
        String top = api("dominators?of=root&limit=5");
        assertThat(top).contains("\"rows\":[");
        String child = first(top, "\"rows\":\\[\\{\"id\":\"(0x[0-9a-f]+)\"");
        String next = api("dominators?of=" + child + "&limit=3");
        assertThat(next).contains("\"node\":{\"id\":\"" + child + "\"");
        assertThat(Pattern.compile("\\{\"id\":").matcher(next.substring(next.indexOf("\"rows\""))).results().count())
                .isLessThanOrEqualTo(3 + 0L + 1);
    }

    @Test
    void anObjectsHoldersAndPathsAreItsOwn() throws Exception {
        String instances = api("instances?class=" + ExplorerApp.View.class.getName() + "&limit=2");
        assertThat(instances).contains("\"total\":300");
        String view = first(instances, "\"rows\":\\[\\{\"id\":\"(0x[0-9a-f]+)\"");

        String incoming = api("refs?id=" + view + "&dir=in");
        String strong = api("paths?id=" + view + "&weak=false");

        assertThat(incoming).contains("\"type\":\"" + ExplorerApp.ViewListener.class.getName() + "\"");
        assertThat(strong).contains("\"reference\":\"" + ExplorerApp.class.getName() + ".REGISTRY\"")
                .contains("\"reached\":1").endsWith("\"id\":\"" + view + "\",\"type\":\"" + ExplorerApp.View.class.getName()
                        + "\",\"reference\":\"" + ExplorerApp.ViewListener.class.getName() + ".view\",\"strength\":\"strong\",\"run\":1}]}");
    }

    @Test
    void aBadQuestionIsAnErrorInOneLineNotAStackTrace() throws Exception {
        HttpResponse<String> response = get("/api/object?id=12345", true);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":").contains("0x7f3a10").doesNotContain("at dev.");
    }

    @Test
    void threadsShowTheirFramesAndTheMarkupNameAsData() throws Exception {
        String threads = api("threads");

        assertThat(threads).contains("\\u003cscript>window.pwned = 1\\u003c/script>").contains("\"frames\":[");
    }
}

package dev.refkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.refkit.cli.explorer.Explorer;
import dev.refkit.heap.HeapDump;
import dev.refkit.heap.analysis.HeapAnalysis;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The explorer in a real browser: headless Chromium (Debian's chromium and chromium-driver, which {@code .ci/run}
 * installs) driven through the views as a person would: the overview, suspect 1's accumulation point, three levels
 * of the dominator tree, an object, one of its holders, its paths with the weak references, the threads. Markup in
 * the dump's strings must show as text and never run. With {@code -Drefkit.screenshots=DIR}, each view is saved
 * as a PNG there (the pictures in docs/ come from such a run).
 */
class ExplorerBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static HeapDump dump;
    static Explorer explorer;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            System.out.println("ExplorerBrowserTest skipped: " + CHROMIUM + " and " + DRIVER + " are needed"
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)");
            Assumptions.abort("no Chromium or ChromeDriver on this machine");
        }
        Path file = dir.resolve("explorer.hprof");
        ChildDump.run(ExplorerApp.class, "128m", file.toString());
        dump = HeapDump.open(file);
        explorer = Explorer.start(dump, HeapAnalysis.of(dump), null, InetAddress.getLoopbackAddress(), 0);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (explorer != null) {
            explorer.close();
        }
        if (dump != null) {
            dump.close();
        }
    }

    /** Waits (bounded) until the page says it loaded the view of this fragment (or of one starting with it). */
    private static void loaded(String fragment) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            String at = d.findElement(By.id("view")).getAttribute("data-loaded");
            return at != null && (at.startsWith(fragment) || at.equals("error"));
        });
        assertThat(browser.findElement(By.id("view")).getAttribute("data-loaded")).as(browser.findElement(By.id("view")).getText())
                .isNotEqualTo("error");
    }

    private static void screenshot(String name) throws Exception {
        String folder = System.getProperty("refkit.screenshots");
        if (folder != null) {
            Files.createDirectories(Path.of(folder));
            Files.write(Path.of(folder, name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        }
    }

    private static void noScriptRan() {
        Object pwned = ((JavascriptExecutor) browser).executeScript("return window.pwned === undefined ? 'no' : String(window.pwned);");
        assertThat(pwned).as("markup from the dump ran as script").isEqualTo("no");
    }

    @Test
    void aPersonFollowsTheLeakFromTheOverviewThroughTheTreeToObjectsAndTheirPaths() throws Exception {
        browser.get(explorer.url().toString());
        loaded("#overview");
        WebElement suspect = browser.findElement(By.id("suspect-1"));
        assertThat(suspect.getText()).contains("static field " + ExplorerApp.class.getName() + ".REGISTRY");
        screenshot("explorer-overview");

        suspect.findElement(By.cssSelector("a.container-link")).click();
        loaded("#object/");
        assertThat(browser.findElement(By.cssSelector("#view h2")).getText()).startsWith("java.util.ArrayList 0x");
        screenshot("explorer-accumulation-point");

        browser.findElement(By.id("nav-dominators")).click();
        loaded("#dominators/root");
        String expanded = "#dominator-tree";
        for (int level = 1; level <= 3; level++) {
            WebElement button = browser.findElement(By.cssSelector(expanded + " > li.dominator > button.expand"));
            String id = button.findElement(By.xpath("..")).getAttribute("data-id");
            button.click();
            String nested = expanded + " > li.dominator[data-id='" + id + "'] + ul.tree";
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(nested + " > li")).isEmpty());
            expanded = nested;
        }
        screenshot("explorer-dominator-tree");

        browser.findElement(By.cssSelector(expanded + " > li.dominator a.id")).click();
        loaded("#object/");
        screenshot("explorer-object");

        List<WebElement> holders = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.findElements(By.cssSelector("#refs tr.ref-row a.id")));
        String before = browser.getCurrentUrl();
        holders.get(0).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().equals(before));
        loaded("#object/");

        WebElement paths = browser.findElement(By.id("paths"));
        String strong = paths.getText();
        browser.findElement(By.id("include-weak")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElement(By.id("paths")).getText().equals(strong)
                || d.findElement(By.id("paths")).getText().contains("◀"));
        assertThat(browser.findElement(By.id("paths")).getText()).contains("◀");
        screenshot("explorer-paths");
        noScriptRan();
    }

    @Test
    void markupInTheDumpsStringsIsShownAsTextAndNeverRuns() throws Exception {
        browser.get(explorer.url().toString().replace("/?", "/?") + "#threads");
        loaded("#threads");
        assertThat(browser.findElement(By.id("view")).getText()).contains(ExplorerApp.THREAD);
        screenshot("explorer-threads");

        browser.get(explorer.url() + "#instances/" + ExplorerApp.View.class.getName());
        loaded("#instances/");
        noScriptRan();
    }
}

package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The web status page ({@code GET /}) in a real headless Chromium, on a real 3-node cluster with
 * bearer tokens on: the page asks for a token, then shows every node and the ACTIVE; after {@code
 * kill -9} of the ACTIVE it shows the new ACTIVE, learnt over its live feed, without a reload, the
 * killed node as unreachable, and both leaders on the timeline; at 360 px it needs no horizontal
 * scrolling. The page is served by a standby (the node killed is not the one serving it).
 *
 * <p>Screenshots: {@code integration-tests/target/web-status-page/*.png}. Skipped, with the reason,
 * where Debian's {@code chromium} and {@code chromium-driver} are not installed.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebStatusPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "web-status-page").toAbsolutePath();
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

    private static TestCluster cluster;
    private static ChromeDriver browser;
    private static String readToken;
    private static NodeProcess serving;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "): apt-get install -y chromium chromium-driver");
        Path dir = TestCluster.itDir().resolve("WebStatusPageIT-tokens");
        Files.createDirectories(dir);
        Path tokenFile = dir.resolve("tokens");
        Files.writeString(tokenFile, "# WebStatusPageIT tokens\n");
        BatonCli cli = BatonCli.in(dir.resolve("cli"), Duration.ofSeconds(60));
        BatonJar.RunResult r = cli.run("token", "create", "--name", "viewer", "--role", "read", "--append-to", tokenFile.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        readToken = r.output().lines().filter(l -> l.matches("[A-Za-z0-9_-]{43}")).findFirst().orElseThrow();

        cluster = TestCluster.create("WebStatusPageIT", 3, Map.of(), "--token-file", tokenFile.toString());
        cluster.http().bearer(readToken);
        cluster.startAll();
        TestCluster.Active active = cluster.awaitSettled();
        serving = cluster.others(active.node()).get(0);
        System.out.printf("[it] WebStatusPageIT: %s ACTIVE at term %d; the page is served by %s%n", active.id(), active.term(), serving.id());
        browser = startBrowser();
    }

    private static ChromeDriver startBrowser() throws Exception {
        profile = Files.createTempDirectory("baton-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL")); // console: script errors, CSP refusals
        // the driver's path is given, so Selenium Manager never looks for (or downloads) one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().pageLoadTimeout(PAGE_WAIT);
        return d;
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (cluster != null) {
                    cluster.close();
                }
            } finally {
                deleteQuietly(profile);
            }
        }
    }

    /** The browser's fresh profile directory, once the browser is gone. */
    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.out.printf("[it] WebStatusPageIT: browser profile %s not removed: %s%n", dir, e);
        }
    }

    @Test
    @Order(1)
    void asksForTheTokenThenShowsEveryNodeAndTheActive() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        browser.get(serving.url() + "/");
        // the page itself is open; its data is not without a token
        await("the token field").atMost(PAGE_WAIT).until(() -> browser.findElement(By.id("token-form")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(readToken);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();

        await("three reachable nodes in the table").atMost(PAGE_WAIT)
                .until(() -> rows().size() == 3 && rows().stream().allMatch(r -> text(r, ".reach").equals("yes")));
        awaitActiveShown(active, "sse");
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
        assertThat(text(row(active.id()), ".role")).isEqualTo("ACTIVE");
        assertThat(text(row(active.id()), ".lease")).as("the ACTIVE's lease").matches("\\d+ ms");
        for (NodeProcess n : cluster.others(active.node())) {
            assertThat(text(row(n.id()), ".role")).as(n.id()).isEqualTo("STANDBY");
            assertThat(text(row(n.id()), ".leader")).as(n.id()).isEqualTo(active.id());
            assertThat(text(row(n.id()), ".lag")).as(n.id() + " lag").matches("\\d+ entries");
            assertThat(text(row(n.id()), ".lease")).as(n.id() + " holds no lease").isEqualTo("\u2014");
        }
        assertThat(browser.findElement(By.id("feed-state")).getDomAttribute("data-state")).isEqualTo("live");
        assertThat(sameOriginOnly()).as("every resource the page loaded").isTrue();
        assertNoScriptErrors();
        screenshot("1-settled.png");
    }

    @Test
    @Order(2)
    void showsTheNewActiveAfterAKillWithoutAReload() throws Exception {
        TestCluster.Active old = cluster.awaitSettled();
        Object pageMarker = ((JavascriptExecutor) browser).executeScript("return window.__batonMarker = Math.random();");

        old.node().kill9();
        TestCluster.Active next = cluster.awaitActive(old.term());
        System.out.printf("[it] WebStatusPageIT: killed %s; %s ACTIVE at term %d%n", old.id(), next.id(), next.term());

        awaitActiveShown(next, "sse");
        await("the killed node shown as unreachable, the new ACTIVE's row as ACTIVE").atMost(PAGE_WAIT)
                .until(() -> text(row(old.id()), ".reach").equals("unreachable")
                        && text(row(next.id()), ".role").equals("ACTIVE")
                        && text(row(next.id()), ".term").equals(Long.toString(next.term())));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__batonMarker;"))
                .as("the same page, not a reload").isEqualTo(pageMarker);
        // the serving node records the new term when it applies the new leader's first entry, which
        // may come a moment after its feed named the leader: the page asks again until it has it
        await("both leaders on the timeline").atMost(PAGE_WAIT).untilAsserted(() -> {
            List<String> leaders = browser.findElements(By.cssSelector("#timeline rect.seg")).stream()
                    .map(e -> e.getDomAttribute("data-leader")).distinct().toList();
            assertThat(leaders).as("leaders on the timeline").contains(old.id(), next.id());
        });
        assertNoScriptErrors();
        screenshot("2-after-kill.png");
    }

    @Test
    @Order(3)
    void fitsAPhoneScreen() throws Exception {
        browser.manage().window().setSize(new Dimension(360, 800));
        await("the layout at 360 px").atMost(PAGE_WAIT).until(() -> {
            Object fits = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth;");
            return Boolean.TRUE.equals(fits);
        });
        assertThat(browser.findElement(By.id("active-id")).isDisplayed()).isTrue();
        assertThat(rows()).hasSize(3);
        screenshot("3-phone-360px.png");
    }

    private static void awaitActiveShown(TestCluster.Active active, String source) {
        await(active.id() + " shown as ACTIVE at term " + active.term() + " from " + source).atMost(PAGE_WAIT).until(() -> {
            WebElement box = browser.findElement(By.id("active"));
            return browser.findElement(By.id("active-id")).getText().equals(active.id())
                    && browser.findElement(By.id("active-term")).getText().equals("term " + active.term())
                    && source.equals(box.getDomAttribute("data-source"));
        });
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#nodes tbody tr"));
    }

    private static WebElement row(String id) {
        return browser.findElement(By.cssSelector("#nodes tbody tr[data-node='" + id + "']"));
    }

    private static String text(WebElement row, String css) {
        return row.findElement(By.cssSelector(css)).getText();
    }

    /**
     * Nothing in the console but refused requests (the 401s before the token, the 404 of a node
     * without /v1/history): no uncaught script error, no Content-Security-Policy refusal.
     */
    private static void assertNoScriptErrors() {
        List<String> console = browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
        System.out.printf("[it] WebStatusPageIT: %d console line(s) since the last look%s%n", console.size(),
                console.isEmpty() ? "" : ", e.g. " + console.get(0));
        List<String> bad = console.stream()
                .filter(m -> m.contains("Uncaught") || m.contains("Refused to") || m.contains("TypeError") || m.contains("ReferenceError"))
                .toList();
        assertThat(bad).as("console errors of the page").isEmpty();
    }

    /** Whether every resource the page fetched came from the node that served it. */
    private static boolean sameOriginOnly() {
        Object r = ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').every(e => new URL(e.name).origin === location.origin);");
        return Boolean.TRUE.equals(r);
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name);
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        System.out.printf("[it] WebStatusPageIT: screenshot %s%n", file);
    }
}

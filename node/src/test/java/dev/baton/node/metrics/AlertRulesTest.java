package dev.baton.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/alerts.yml: valid for {@code promtool check rules} and firing as docs/alerts-test.yml
 * expects ({@code promtool test rules}), both skipped visibly without promtool; and every Baton
 * metric it uses exists in a scrape and is documented in docs/metrics.md.
 */
class AlertRulesTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern METRIC = Pattern.compile("\\bbaton_[a-z_]+");
    private static final Pattern SERIES_SUFFIX = Pattern.compile("_(bucket|count|sum)$");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        assertThat(promtool("check", "rules", DOCS.resolve("alerts.yml").toString())).contains("SUCCESS: 11 rules found");
    }

    @Test
    void theRulesFireAsTheirUnitTestsExpect() throws Exception {
        assertThat(promtool("test", "rules", DOCS.resolve("alerts-test.yml").toString())).contains("SUCCESS");
    }

    /** Runs promtool (the test is skipped, with the reason, when it is not installed); its output, after exit 0. */
    private static String promtool(String... args) throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian package 'prometheus'): docs/alerts.yml is not checked");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(promtool));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }

    /** A scrape of a leader with followers, so the per-peer families have series. */
    private static String leaderScrape() {
        StubConsensus leader = new StubConsensus();
        leader.lag = java.util.Map.of("n2", 0L);
        leader.heard = java.util.Map.of("n2", 100L);
        return new String(NodeMetrics.create("n1", leader).scrape(null).body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyMetricTheRulesUseIsScrapedAndDocumented() throws Exception {
        String scrape = leaderScrape();
        String docs = Files.readString(DOCS.resolve("metrics.md"));
        Set<String> used = new TreeSet<>();
        Matcher m = METRIC.matcher(Files.readString(DOCS.resolve("alerts.yml")));
        while (m.find()) {
            used.add(SERIES_SUFFIX.matcher(m.group()).replaceAll(""));
        }
        assertThat(used).as("metrics in docs/alerts.yml").isNotEmpty();
        for (String family : used) {
            assertThat(scrape).as("a scrape has %s", family).contains("# TYPE " + family + " ");
            assertThat(docs).as("docs/metrics.md documents %s", family).contains("`" + family + "`");
        }
    }

    @Test
    void everyBatonMetricOfAScrapeIsDocumented() throws Exception {
        String scrape = leaderScrape();
        String docs = Files.readString(DOCS.resolve("metrics.md"));
        Set<String> families = new TreeSet<>();
        scrape.lines().filter(l -> l.startsWith("# TYPE baton_")).forEach(l -> families.add(l.split(" ")[2]));
        assertThat(families).hasSizeGreaterThan(15);
        assertThat(families).allSatisfy(f -> assertThat(docs).as("docs/metrics.md documents %s", f).contains("`" + f + "`"));
    }

    static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}

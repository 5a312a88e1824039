package meshlog.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import meshlog.configstore.event.EventCodec;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web UI as a person sees it: headless chromium on the {@code /ui/} of a running {@code meshlog up} (real broker,
 * real git repository, one distributor of cluster east) holding four commits by two authors, one of them rejected
 * and one whose message carries markup, and a real grpc-java xDS client connected. Each test opens a page and reads
 * what it shows; a screenshot of each is kept under {@code target/ui-screenshots}. Last, the client is published a
 * cluster it refuses, and the proxies page shows its NACK.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String MARKUP = "echo: 10/90 <script>window.pwned = 1</script><b>bold</b>";

    @TempDir
    static Path tmp;
    static ChromeDriver browser;
    static EchoBackends backends;
    static MeshRepo repo;
    static MeshlogNode node;
    static ProxylessClient client;
    static String c1;
    static String c2;
    static String c3;
    static String bad;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start(); // first: without a browser the class is skipped before Kafka starts
        backends = EchoBackends.start("v1", "v2");
        repo = new MeshRepo(tmp.resolve("mesh"), backends.port("v1"), backends.port("v2"));
        c1 = repo.commit("echo-routing.yaml", MeshRepo.split(80, 20), "echo: canary 80/20");
        node = MeshlogNode.start(new UpOptions(repo.dir(), null, List.of("east"), 1, 0, 0, tmp.resolve("data"),
                null, Duration.ofMillis(100), "127.0.0.1"));
        TimeMachineTest.awaitPublished(node, c1);
        client = new ProxylessClient(node.replicas().get(0).server().address(), "east", MeshRepo.TARGET);
        await().atMost(WAIT).ignoreExceptions().until(() -> client.spread(10).getOrDefault("v1", 0) > 0);
        c2 = repo.commit("echo-routing.yaml", MeshRepo.split(0, 100), "echo: all traffic to v2\n\nBody line.",
                new PersonIdent("Bob Builder", "bob@example.com"));
        TimeMachineTest.awaitPublished(node, c2);
        c3 = repo.commit("echo-routing.yaml", MeshRepo.split(10, 90), MARKUP);
        TimeMachineTest.awaitPublished(node, c3);
        bad = repo.commit("echo-routing.yaml", MeshRepo.split(-5, 100), "echo: oops");
        await().atMost(WAIT).until(() -> bad.equals(node.gitSync().lastProcessed()));
        base = "http://127.0.0.1:" + node.adminPort() + "/ui/";
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
        if (backends != null) {
            backends.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    @AfterEach
    void screenshot(TestInfo test) throws Exception {
        Path dir = Path.of("target", "ui-screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
                browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void theTimelineListsEachCommitNewestFirstWithItsSubjectAuthorAndOutcome() {
        open("#commits");
        await().atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(By.cssSelector("tr.commit")))
                .extracting(r -> r.getAttribute("data-sha"), r -> text(r, ".subject"), r -> text(r, ".author"),
                        r -> text(r, ".outcome"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(bad, "echo: oops", "Alice", "rejected"),
                        org.assertj.core.groups.Tuple.tuple(c3, MARKUP, "Alice", "applied"),
                        org.assertj.core.groups.Tuple.tuple(c2, "echo: all traffic to v2", "Bob Builder", "applied"),
                        org.assertj.core.groups.Tuple.tuple(c1, "echo: canary 80/20", "Alice", "applied")));
    }

    @Test
    void aRejectedCommitShowsWhyOnTheTimelineAndOnItsPage() throws Exception {
        JsonNode why = api("/api/commits/" + bad).get("errors").get(0);
        String line = "echo-routing.yaml:" + why.get("line").asInt() + ":" + why.get("column").asInt()
                + ": error [VS0101] VirtualService demo/echo spec.http[0].route[0].weight: " + why.get("message")
                .asText();
        assertThat(why.get("message").asText()).contains("-5");
        open("#commits");
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("tr.commit[data-sha='" + bad + "'] .rejection"))
                .containsExactly(line));
        browser.findElement(By.cssSelector("tr.commit[data-sha='" + bad + "'] a")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("main[data-view=commit] .rejection"))
                .containsExactly(line));
        assertThat(texts("main[data-view=commit] .message")).containsExactly("echo: oops");
    }

    @Test
    void aCommitMessageWithMarkupIsShownAsTextAndRunsNothing() {
        open("#commits");
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("tr.commit[data-sha='" + c3 + "'] .subject"))
                .containsExactly(MARKUP));
        assertThat(browser.findElements(By.cssSelector("main script, main b"))).isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        open("#commit?sha=" + c3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("main[data-view=commit] .message"))
                .containsExactly(MARKUP));
        assertThat(browser.findElements(By.cssSelector("main script, main b"))).isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void aCommitsPageChartsHowLongItTookToReachTheProxies() throws Exception {
        JsonNode ms = api("/api/commits/" + c2).get("clusters").get(0).get("commitToAckMs");
        assertThat(ms.get("max").asLong()).isPositive();
        open("#commit?sha=" + c2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(
                By.cssSelector("main[data-view=commit] svg.reach-chart g.bar title")))
                .extracting(t -> t.getAttribute("textContent")).containsExactly("p50 " + ms.get("p50") + " ms",
                        "p99 " + ms.get("p99") + " ms", "last " + ms.get("max") + " ms"));
        List<WebElement> bars = browser.findElements(By.cssSelector("svg.reach-chart rect"));
        assertThat(Integer.parseInt(bars.get(2).getAttribute("width"))).as("the last is the longest bar")
                .isGreaterThanOrEqualTo(Integer.parseInt(bars.get(0).getAttribute("width")));
    }

    @Test
    void theDiffPageShowsTheExactFieldsThatChanged() {
        open("#diff?from=" + c1 + "&to=" + c2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(browser.findElements(By.cssSelector(".entry tr.field")))
                .extracting(r -> text(r, ".path"), r -> text(r, ".op"), r -> text(r, ".before"), r -> text(r, ".after"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("spec.http[0].route[0].weight", "changed", "80", "0"),
                        org.assertj.core.groups.Tuple.tuple("spec.http[0].route[1].weight", "changed", "20", "100")));
        assertThat(texts(".entry .what")).containsExactly("VirtualService demo/echo");
    }

    @Test
    void theStatePageShowsTheConfigServedAtACommit() {
        open("#state?at=" + c2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("main p a .sha")).first()
                .isEqualTo(c2.substring(0, 10)));
        assertThat(texts(".object h3")).contains("VirtualService demo/echo");
        assertThat(texts(".object pre")).anyMatch(t -> t.contains("\"weight\" : 100") || t.contains("\"weight\": 100"));
    }

    @Test
    void aConnectedProxyShowsAsSyncedHoldingTheLastAppliedCommit() {
        String proxyId = node.replicas().get(0).server().connectedProxies().get(0).status().proxyId();
        open("#proxies?cluster=east");
        String row = "tr.proxy[data-proxy='" + proxyId + "']";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(texts(row + " .state")).containsExactly("SYNCED");
            assertThat(texts(row + " .acked")).containsExactly(c3.substring(0, 10));
        });
        assertThat(browser.findElement(By.cssSelector(row + " .acked a")).getAttribute("href"))
                .endsWith("#commit?sha=" + c3);
        assertThat(texts(row + " .nacked")).containsExactly("");
        assertThat(texts("h2.cluster")).containsExactly("east");
        assertThat(texts("main > p:first-of-type a")).containsExactly("all", "east");
    }

    @Test
    @Order(Integer.MAX_VALUE) // it leaves the client NACKing
    void aProxyThatRejectsItsConfigShowsAsNackWithItsErrorAndTheCommitItRejects() throws Exception {
        var proxy = node.replicas().get(0).server().connectedProxies().get(0);
        RejectedCluster.publish(node, "east", proxy.scope(), "outbound|50051|v1|echo.demo.svc.cluster.local", c3,
                "web-ui-test-writer");
        String row = "tr.proxy[data-proxy='" + proxy.status().proxyId() + "']";
        await().atMost(WAIT).until(() -> api("/api/proxies").get("items").get(0).get("state").asText()
                .equals("NACK"));
        String error = api("/api/proxies").get("items").get(0).get("errors").get("CDS").asText();
        assertThat(error).contains("Invalid 'minRingSize'/'maxRingSize'");
        open("#proxies?cluster=east");
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts(row + " .state")).containsExactly("NACK"));
        assertThat(texts(row + " .nacked .nack-error")).containsExactly("CDS: " + error);
        assertThat(texts(row + " .nacked a")).containsExactly(c3.substring(0, 10));
        assertThat(texts(row + " .acked")).allMatch(t -> t.startsWith("older config (version "));

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#proxy-filter select")))
                .selectByValue("SYNCED");
        browser.findElement(By.cssSelector("#proxy-filter button")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("#proxy-count"))
                .containsExactly("0 proxies in east match"));
        assertThat(browser.findElements(By.cssSelector("tr.proxy"))).isEmpty();
        browser.findElement(By.cssSelector("#proxy-filter input[name=namespace]")).sendKeys("demo");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#proxy-filter select")))
                .selectByValue("NACK");
        browser.findElement(By.cssSelector("#proxy-filter button")).click();
        await().atMost(WAIT).untilAsserted(() -> assertThat(texts("#proxy-count"))
                .containsExactly("1 proxies in east match"));
        assertThat(texts(row + " .state")).containsExactly("NACK");
    }

    @Test
    void thePagesComeWithAPolicyThatRunsOnlyTheirOwnScriptAndTheApiRefusesABadParameterByName() throws Exception {
        HttpResponse<String> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
        HttpResponse<String> bad = get("/api/commits?limit=0");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("limit must be 1 to 500, not 0\n");
    }

    static void open(String fragment) {
        browser.get("about:blank"); // a fragment change alone would not reload the page
        browser.get(base + fragment);
    }

    static String text(WebElement in, String css) {
        return in.findElement(By.cssSelector(css)).getText();
    }

    static List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.adminPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return EventCodec.json().readTree(r.body());
    }
}

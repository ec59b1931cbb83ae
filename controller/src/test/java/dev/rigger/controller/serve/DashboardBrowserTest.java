package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.controller.ControllerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard of {@code rigger serve} in real headless Chromium, against a server in this JVM and three
 * real lab nodes. The tests share the lab and run in order: the token, a run seen live, facts, re-prepare
 * of one node, a run refused because another is in progress, and a node that cannot be reached.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final Path TARGET = Path.of(System.getProperty("rigger.screenshots", "target"));
    private static final Path PLAYBOOKS = Path.of(System.getProperty("rigger.playbooks", "../playbooks"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

    private static BrowserLab lab;
    private static RiggerServer server;
    private static BrowserApiClient api;
    private static BrowserSession browser;
    private static String firstRun;

    @BeforeAll
    static void up() throws IOException {
        BrowserPrerequisites.require();
        lab = BrowserLab.up("dash", 3);
        ControllerOptions controller = new ControllerOptions(lab.stateDir, ControllerOptions.defaultAgentJar(), false, 5, false);
        server = RiggerServer.start(new ServeOptions(controller, "127.0.0.1", 0,
                PLAYBOOKS, "prepare-hosts.json", Map.of(),
                lab::inventory, ServeOptions.DEFAULT_MAX_BODY_BYTES));
        api = BrowserApiClient.of(lab.stateDir);
        browser = BrowserSession.open(TARGET.resolve("chromedriver.log"));
    }

    @AfterAll
    static void down() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (lab != null) {
                    lab.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void withoutATokenThePageAsksForOneAndSaysWhenTheServerRefusesIt() {
        browser.driver.get(api.baseUrl + "/");

        assertThat(browser.driver.findElement(By.id("token-form")).isDisplayed()).isTrue();
        assertThat(browser.driver.findElement(By.id("dashboard")).isDisplayed()).isFalse();

        browser.driver.findElement(By.id("token-input")).sendKeys("not-the-token");
        browser.driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();

        WebElement message = browser.waitUpTo(PAGE_TIMEOUT).until(d -> {
            WebElement m = d.findElement(By.id("message"));
            return m.isDisplayed() ? m : null;
        });
        assertThat(message.getText()).as("the 401 is shown, not swallowed").containsIgnoringCase("token");
        assertThat(browser.driver.findElement(By.id("token-form")).isDisplayed()).as("asked again").isTrue();
        assertThat(browser.consoleErrors()).as("the browser saw the refusals, and nothing else went wrong")
                .isNotEmpty().allMatch(m -> m.contains("401"));
    }

    @Test
    @Order(2)
    void theLinkWithTheTokenOpensTheGridOfTheLabNodesAndTheTokenLeavesTheAddressBar() {
        browser.driver.get("about:blank");
        browser.driver.get(api.dashboardLink());

        BrowserGrid grid = browser.waitUpTo(PAGE_TIMEOUT).until(d -> {
            BrowserGrid g = BrowserGrid.of(d);
            return g.rows().keySet().containsAll(lab.nodeNames()) ? g : null;
        });

        assertThat(grid.rows().keySet()).containsExactlyInAnyOrderElementsOf(lab.nodeNames());
        assertThat(browser.driver.getCurrentUrl()).as("the token is taken out of the address bar")
                .doesNotContain("token").endsWith("/");
        assertThat(browser.driver.findElement(By.id("token-form")).isDisplayed()).isFalse();
        for (String node : lab.nodeNames()) {
            assertThat(browser.driver.findElements(By.cssSelector("button[data-action=reprepare][data-host=" + node + "]")))
                    .as("%s has its re-prepare button", node).hasSize(1);
            assertThat(browser.driver.findElements(By.cssSelector("button[data-action=facts][data-host=" + node + "]")))
                    .as("%s has its facts button", node).hasSize(1);
        }
    }

    @Test
    @Order(3)
    void aRunStartedThroughTheApiTakesEveryNodeFromPendingToDoneLiveOnThePage() throws IOException, InterruptedException {
        BrowserApiClient.Answer started = api.post("/api/runs",
                Map.of("playbook", "prepare-hosts.json", "check", false, "extraVars", Map.of()));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        firstRun = started.body().path("id").asText();

        BrowserGridHistory history = watchUntilDone(firstRun);

        JsonNode run = api.awaitRun(firstRun, r -> !"running".equals(r.path("status").asText()), RUN_TIMEOUT);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("ok");
        assertThat(history.runStatuses()).as("the page showed the run while it ran, then its end: %s", history)
                .startsWith("running").endsWith("ok");
        assertThat(history.hostsSeenPending()).as("every node was seen with tasks still pending: %s", history)
                .containsExactlyInAnyOrderElementsOf(lab.nodeNames());
        assertThat(history.cellsThatWentBack()).as("no cell ever went back").isEmpty();

        List<String> plan = new ArrayList<>();
        run.path("tasks").forEach(t -> plan.add(t.path("taskKey").asText()));
        assertThat(plan).as("the run's plan").hasSize(prepareTaskCount());
        BrowserGrid end = history.last();
        for (String node : lab.nodeNames()) {
            List<BrowserGrid.Cell> cells = end.cellsOf(node);
            assertThat(cells).extracting(BrowserGrid.Cell::task).as("%s has one cell per task, in plan order", node)
                    .containsExactlyElementsOf(plan);
            assertThat(cells).extracting(BrowserGrid.Cell::status).as("%s: every task ended ok or changed", node)
                    .allMatch(s -> s.equals("ok") || s.equals("changed"))
                    .contains("changed");
            JsonNode recap = run.path("recap").path(node);
            assertThat(recapText(node)).as("the page's recap of %s agrees with the API's", node)
                    .startsWith("ok=" + recap.path("ok").asInt() + " changed=" + recap.path("changed").asInt()
                            + " failed=0");
        }
        assertThat(browser.consoleErrors()).as("no script errors").isEmpty();
        browser.screenshot(TARGET.resolve("dashboard.png"));
    }

    @Test
    @Order(4)
    void theFactsPanelShowsWhatTheNodeItselfSays() {
        browser.driver.findElement(By.cssSelector("button[data-action=facts][data-host=node1]")).click();

        browser.waitUpTo(PAGE_TIMEOUT).until(d ->
                !d.findElements(By.cssSelector("#facts-panel[data-host=node1] dd[data-fact=hostname]")).isEmpty());

        assertThat(fact("hostname")).isEqualTo(lab.sh("node1", "hostname"));
        assertThat(fact("cpus")).isEqualTo(lab.sh("node1", "nproc"));
        long memKb = Long.parseLong(lab.sh("node1", "awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        assertThat(fact("memory")).startsWith(String.format(Locale.ROOT, "%.1f GiB", memKb / 1024.0 / 1024.0));
        String address = lab.inventory.nodes().stream().filter(n -> n.name().equals("node1")).findFirst().orElseThrow().address();
        assertThat(fact("ipv4")).startsWith(address + " on ");
        assertThat(fact("os")).startsWith("Debian GNU/Linux 12").contains(lab.sh("node1", "uname -r"));
        assertThat(fact("source")).as("the server keeps node1's agent attached").startsWith("live");
        WebElement xvdf = browser.driver.findElement(By.cssSelector("#facts-panel tr[data-device=xvdf]"));
        assertThat(xvdf.getText()).as("the 2G data disk, with the partition the run made").contains("/dev/xvdf", "2.0 GiB");
        WebElement xvdf1 = browser.driver.findElement(By.cssSelector("#facts-panel tr[data-device=xvdf1]"));
        assertThat(xvdf1.getText()).contains("xfs", "/ecs/uuid-");
    }

    @Test
    @Order(5)
    void rePrepareOnNode2RunsThePreparePlaybookOnNode2AloneAndTheGridFollowsIt() throws IOException, InterruptedException {
        browser.driver.findElement(By.cssSelector("button[data-action=reprepare][data-host=node2]")).click();

        String rerun = browser.waitUpTo(PAGE_TIMEOUT).until(d -> {
            String id = BrowserGrid.of(d).runId();
            return id != null && !id.equals(firstRun) ? id : null;
        });
        BrowserGridHistory history = watchUntilDone(rerun);

        JsonNode run = api.awaitRun(rerun, r -> !"running".equals(r.path("status").asText()), RUN_TIMEOUT);
        assertThat(run.path("limit").asText()).isEqualTo("node2");
        assertThat(run.path("playbook").asText()).isEqualTo("prepare-hosts.json");
        assertThat(run.path("hosts")).as(run.toString()).extracting(JsonNode::asText).containsExactly("node2");
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("ok");
        assertThat(run.path("recap").path("node2").path("changed").asInt()).as("node2 was prepared already").isZero();
        assertThat(api.read("/api/runs").path("runs").get(0).path("id").asText()).as("the newest run").isEqualTo(rerun);

        BrowserGrid end = history.last();
        assertThat(end.hostsInRun()).containsExactly("node2");
        assertThat(end.cellsOf("node2")).hasSize(prepareTaskCount()).extracting(BrowserGrid.Cell::status).containsOnly("ok");
        assertThat(end.cellsOf("node1")).as("node1 is not in this run").isEmpty();
        assertThat(end.cellsOf("node3")).as("node3 is not in this run").isEmpty();
        assertThat(history.cellsThatWentBack()).isEmpty();
        browser.screenshot(TARGET.resolve("dashboard-reprepare.png"));
    }

    @Test
    @Order(6)
    void aRunRefusedBecauseAnotherIsInProgressIsNamedInTheMessageArea() throws IOException, InterruptedException {
        // a run that waits for a stopped node stays in progress for as long as connecting to it takes
        lab.lab.stopNode("node3");
        String busy = null;
        try {
            BrowserApiClient.Answer started = api.post("/api/runs", Map.of("playbook", "prepare-hosts.json", "limit", "node3"));
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            busy = started.body().path("id").asText();
            String running = busy;

            browser.driver.findElement(By.cssSelector("button[data-action=reprepare][data-host=node1]")).click();

            String shown = browser.waitUpTo(PAGE_TIMEOUT).until(d -> {
                WebElement m = d.findElement(By.id("message"));
                return m.isDisplayed() && m.getText().contains(running) ? m.getText() : null;
            });
            assertThat(shown).contains("Re-preparing node1").contains("409").contains("in progress");
            assertThat(api.read("/api/runs/" + busy).path("status").asText()).as("the message came while it ran")
                    .isEqualTo("running");
        } finally {
            if (busy != null) {
                api.awaitRun(busy, r -> !"running".equals(r.path("status").asText()), RUN_TIMEOUT);
            }
            lab.lab.startNode("node3");
        }
        assertThat(api.read("/api/runs").path("runs").get(0).path("id").asText())
                .as("the refused re-prepare started nothing").isEqualTo(busy);
    }

    @Test
    @Order(7)
    void aRunStartedFromTheFormShowsAStoppedNodeUnreachableWhileTheOtherCompletes() throws IOException, InterruptedException {
        lab.lab.stopNode("node3");
        try {
            WebElement limit = browser.driver.findElement(By.id("run-limit"));
            limit.clear();
            limit.sendKeys("node1:node3");
            browser.driver.findElement(By.cssSelector("#start-run-form button[type=submit]")).click();

            String run = browser.waitUpTo(PAGE_TIMEOUT).until(d -> {
                WebElement m = d.findElement(By.id("message"));
                String text = m.isDisplayed() ? m.getText() : "";
                return text.startsWith("Starting a run: run ") ? text.split(" ")[4] : null;
            });
            BrowserGridHistory history = watchUntilDone(run);

            JsonNode info = api.awaitRun(run, r -> !"running".equals(r.path("status").asText()), RUN_TIMEOUT);
            assertThat(info.path("limit").asText()).isEqualTo("node1:node3");
            assertThat(info.path("recap").path("node3").path("unreachable").asInt()).as(info.toString()).isEqualTo(1);
            BrowserGrid end = history.last();
            assertThat(end.runStatus()).as("the page ends on the API's verdict").isEqualTo(info.path("status").asText());
            assertThat(end.hostsInRun()).containsExactlyInAnyOrder("node1", "node3");
            assertThat(end.cellsOf("node3")).as("node3 never ran a task").isNotEmpty()
                    .extracting(BrowserGrid.Cell::status).containsOnly("unreachable");
            assertThat(end.cellsOf("node1")).extracting(BrowserGrid.Cell::status).containsOnly("ok");
            assertThat(recapText("node3")).contains("unreachable=1");
        } finally {
            lab.lab.startNode("node3");
        }
    }

    /** Looks at the grid every 100 ms until the page shows {@code runId} ended; keeps what it saw. */
    private static BrowserGridHistory watchUntilDone(String runId) {
        BrowserGridHistory history = new BrowserGridHistory(runId);
        browser.waitUpTo(RUN_TIMEOUT).until(d -> {
            BrowserGrid g = BrowserGrid.of(d);
            return history.record(g) && g.runStatus() != null && !g.runStatus().equals("running");
        });
        return history;
    }

    /** The tasks of prepare-hosts.json, counted from the file itself. */
    private static int prepareTaskCount() throws IOException {
        int tasks = 0;
        for (JsonNode play : BrowserApiClient.JSON.readTree(PLAYBOOKS.resolve("prepare-hosts.json").toFile()).path("plays")) {
            tasks += play.path("tasks").size();
        }
        return tasks;
    }

    private static String recapText(String host) {
        return browser.driver.findElement(By.cssSelector("#grid tbody tr[data-host=" + host + "] td.recap")).getText();
    }

    private static String fact(String key) {
        return browser.driver.findElement(By.cssSelector("#facts-panel dd[data-fact=" + key + "]")).getText();
    }
}

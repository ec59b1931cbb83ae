package dev.rigger.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node's unprivileged user (uid 444 owns /host/data, as ECS wants) plants links where
 * {@code playbooks/prepare-hosts.json} writes, once and then racing the runs, to make the root agent change
 * {@code /etc/shadow} or root's files. Every attempt fails and names the path; the targets keep their mode,
 * owner and content.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SymlinkAttackLabTest {
    private static final String ECS_UID = "444";
    private static final String NODE = "node1";
    private static final int RACING_RUNS = 20;
    /** Root's files the racing links point to, next to /etc/shadow. */
    private static final Pattern REFUSAL = Pattern.compile("(/[^\\s:]+):? is a symbolic link to");
    private static final String TARGETS = "/etc/shadow /root-canary /canary-dir /canary-dir/seeds";

    private static LabRun cluster;
    private static Node node;

    @BeforeAll
    static void aPreparedNode() throws IOException {
        cluster = new LabRun("symlinks-hostile", 1, "prepare-hosts.json");
        node = cluster.node(NODE);
        CliRun first = cluster.play();
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        node.sh("echo secret-canary-$$ > /root-canary && chmod 0600 /root-canary"
                + " && mkdir -m 0700 /canary-dir && echo secret-canary-seeds > /canary-dir/seeds && chmod 0600 /canary-dir/seeds");
        assertThat(node.sh("stat -c '%u %a' /host/data")).isEqualTo("444 755");
    }

    @AfterAll
    static void labDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theEcsUserLinkingIdJsonToShadowGetsTheTaskRefusedAndShadowUntouched() {
        String before = targets();
        asEcsUser("rm -f /host/data/id.json; ln -s /etc/shadow /host/data/id.json");

        for (String mode : new String[] {"--check", "", ""}) {
            CliRun run = mode.isEmpty() ? cluster.play() : cluster.play(mode);

            assertThat(run.exitCode()).as(run.out() + run.err()).isNotZero();
            assertThat(run.out() + run.err()).contains("/host/data/id.json is a symbolic link to /etc/shadow")
                    .doesNotContain("changed: update /host/data/id.json");
            assertThat(targets()).as("mode, owner and sha256 of /etc/shadow after a run " + mode).isEqualTo(before);
        }
        assertThat(node.sh("readlink /host/data/id.json")).isEqualTo("/etc/shadow");
    }

    @Test
    @Order(2)
    void onceTheLinkIsGoneTheNextRunWritesIdJsonAgain() {
        asEcsUser("rm -f /host/data/id.json");

        CliRun run = cluster.play();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(node.sh("stat -c '%F %u:%g %a' /host/data/id.json")).isEqualTo("regular file 444:444 644");
    }

    @Test
    @Order(3)
    void linksSwappedInAndOutDuringTwentyRunsNeverRedirectAChange() throws Exception {
        String before = targets();
        // as 444: files prep writes, and (every third turn) a directory it writes into, flip between the real thing and a link to root's files
        String swapper = "echo $$ > /tmp/swapper.pid; n=0; while [ ! -e /tmp/swapper.stop ]; do"
                + " ln -sfn /etc/shadow /host/data/id.json;"
                + " ln -sfn /root-canary /host/data/network.json;"
                + " ln -sfn /root-canary /host/data/agent.json;"
                + " ln -sfn /root-canary /data/is_community_edition;"
                + " n=$((n + 1)); [ $((n % 3)) = 0 ] && mv /host/files /host/files.real 2>/dev/null && ln -sfn /canary-dir /host/files;"
                + " sleep 0.0$(( $$ % 7 + 1 ));"
                + " for f in id.json network.json agent.json; do rm -f /host/data/$f; echo '{}' > /host/data/$f; done;"
                + " rm -f /data/is_community_edition; touch /data/is_community_edition;"
                + " [ -L /host/files ] && rm -f /host/files && mv /host/files.real /host/files;"
                + " sleep 0.0$(( $$ % 5 + 1 ));"
                + " done";
        docker("exec", "-d", "-u", ECS_UID, cluster.name + "-" + NODE, "sh", "-c", swapper);
        List<Long> tookMs = new ArrayList<>();
        int refused = 0;
        Set<String> refusedPaths = new TreeSet<>();
        try {
            assertThat(waitFor("test -s /tmp/swapper.pid")).as("the swapping loop runs").isTrue();
            for (int i = 0; i < RACING_RUNS; i++) {
                long start = System.nanoTime();
                CliRun run = cluster.play();
                tookMs.add((System.nanoTime() - start) / 1_000_000);
                String said = run.out() + run.err();
                Matcher m = REFUSAL.matcher(said);
                refused += said.contains("is a symbolic link to") ? 1 : 0;
                while (m.find()) {
                    refusedPaths.add(m.group(1));
                }
                assertThat(said).as("run %d shows nothing of root's files", i).doesNotContain("secret-canary");
                assertThat(targets()).as("root's files after racing run %d", i).isEqualTo(before);
            }
        } finally {
            node.sh("touch /tmp/swapper.stop");
            if (!waitFor("! kill -0 $(cat /tmp/swapper.pid) 2>/dev/null")) {
                node.run("kill $(cat /tmp/swapper.pid)");
            }
        }
        System.out.println("racing runs took " + tookMs + " ms; " + refused + " of " + RACING_RUNS + " refused a link; links refused at " + refusedPaths);
        assertThat(refused).as("the loop did put links in the runs' way").isPositive();
        assertThat(targets()).isEqualTo(before);
        assertThat(node.sh("find / -xdev -newer /root-canary -user 444 2>/dev/null"
                + " | grep -v -E '^/(host|data|ecs|tmp|proc|var/log/vipr)(/|$)' | sort || true"))
                .as("nothing outside ECS's directories was given to 444").isEmpty();
    }

    /** Mode, owner, group and sha256 of root's files, as the node itself reports them. */
    private static String targets() {
        return node.sh("stat -c '%n %a %U:%G %F' " + TARGETS + "; sha256sum /etc/shadow /root-canary /canary-dir/seeds;"
                + " ls -A /canary-dir /etc | sha256sum");
    }

    private static void asEcsUser(String script) {
        docker("exec", "-u", ECS_UID, cluster.name + "-" + NODE, "sh", "-c", script);
    }

    private static boolean waitFor(String test) {
        for (int i = 0; i < 50; i++) {
            if (node.run(test).exit() == 0) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static void docker(String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError("docker failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

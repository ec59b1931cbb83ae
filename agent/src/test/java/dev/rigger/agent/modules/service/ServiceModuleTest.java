package dev.rigger.agent.modules.service;

import static dev.rigger.agent.testing.Modules.q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.service.ServiceRuns.Outcome;
import dev.rigger.agent.testing.Modules;
import dev.rigger.agent.testing.Prerequisites;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service module on a host without an init system, with a real daemon: python's HTTP server on a
 * free loopback port, ready once it answers.
 */
class ServiceModuleTest {
    final ServiceRuns noInit = new ServiceRuns(InitSystem.none("sh"));
    final List<List<String>> daemons = new ArrayList<>();

    @TempDir
    Path tmp;

    String python;

    @BeforeEach
    void needsPythonAndSetsid() {
        Prerequisites.requireBinaries("python3", "setsid");
        python = List.of("/usr/bin/python3", "/usr/local/bin/python3").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("python3");
    }

    @AfterEach
    void killWhatTheTestStarted() {
        for (List<String> daemon : daemons) {
            for (long pid : DaemonProcesses.running(daemon, null)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void startsTheDaemonDirectlyOnceThenFindsItRunningRestartsAndStopsIt() throws Exception {
        int port = freePort();
        String args = httpServer(port, "\"readyCommand\":" + fetch(port) + ",\"logFile\":" + q(tmp.resolve("log/http.log").toString()));

        Outcome first = noInit.apply(args);
        assertThat(first.status()).as(first.msg()).isEqualTo(Status.CHANGED);
        assertThat(first.msg()).isEqualTo("start python3 directly; this host has no init system (PID 1 is sh), "
                + "so nothing supervises or restarts it");
        assertThat(first.data()).containsEntry("name", "web").containsEntry("manager", "none").containsEntry("state", "started");
        long pid = (Long) first.data().get("pid");
        assertThat(DaemonProcesses.cmdline(pid)).as("the pid is the daemon's, not setsid's").contains("http.server");
        assertThat(sessionOf(pid)).as("detached into a session of its own").isEqualTo(pid);
        assertThat(get(port)).as("ready: it answers").isEqualTo(200);
        assertThat(tmp.resolve("log/http.log")).as("its output goes to the log file").isRegularFile();

        Outcome second = noInit.apply(args.replace("}", ",\"enabled\":true}"));
        assertThat(second.status()).as(second.msg()).isEqualTo(Status.OK);
        assertThat(second.msg()).startsWith("python3 already runs (pid " + pid + "); no init system supervises it")
                .contains("args.enabled has no effect here");
        assertThat(second.data()).containsEntry("pid", pid);

        Outcome restarted = noInit.apply(args.replace("\"started\"", "\"restarted\""));
        assertThat(restarted.status()).as(restarted.msg()).isEqualTo(Status.CHANGED);
        long newPid = (Long) restarted.data().get("pid");
        assertThat(newPid).isNotEqualTo(pid);
        assertThat(DaemonProcesses.alive(pid)).as("the old process ended").isFalse();
        assertThat(get(port)).isEqualTo(200);

        Outcome stopped = noInit.apply(args.replace("\"started\"", "\"stopped\""));
        assertThat(stopped.status()).as(stopped.msg()).isEqualTo(Status.CHANGED);
        assertThat(stopped.msg()).isEqualTo("stop python3 (pid " + newPid + ")");
        assertThat(DaemonProcesses.alive(newPid)).isFalse();

        Outcome stoppedAgain = noInit.apply(args.replace("\"started\"", "\"stopped\""));
        assertThat(stoppedAgain.status()).isEqualTo(Status.OK);
        assertThat(stoppedAgain.msg()).isEqualTo("python3 does not run");
    }

    @Test
    void checkModeSaysItWouldStartTheDaemonAndStartsNothing() throws Exception {
        int port = freePort();
        Outcome r = noInit.check(httpServer(port, "\"readyCommand\":" + fetch(port)));
        assertThat(r.status()).isEqualTo(Status.CHANGED);
        assertThat(r.msg()).startsWith("would start python3 directly; this host has no init system");
        assertThat(r.data()).containsEntry("pid", Plan.KNOWN_AFTER_APPLY);
        assertThat(DaemonProcesses.running(daemons.get(0), null)).as("nothing started").isEmpty();
    }

    @Test
    void withoutADaemonAndWithoutAnInitSystemItFailsSayingWhatToGive() {
        Outcome r = noInit.apply("{\"name\":\"docker\",\"enabled\":true}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).isEqualTo("service docker: this host has no init system (PID 1 is sh); give args.daemon to start it directly");
    }

    @Test
    void onThisHostAnUnknownServiceFailsAccordingToItsInitSystem() {
        InitSystem here = InitSystem.detect();
        ModuleResult r = Modules.apply("service", "{\"name\":\"rigger-no-such-service\"}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        if (here.systemd()) {
            assertThat(r.msg()).as("systemctl names the unit").contains("rigger-no-such-service");
        } else {
            assertThat(r.msg()).isEqualTo("service rigger-no-such-service: this host has no init system (PID 1 is "
                    + here.pid1() + "); give args.daemon to start it directly");
        }
    }

    @Test
    void aDaemonThatExitsAtOnceFailsQuotingItsLog() {
        Path log = tmp.resolve("fail.log");
        Outcome r = noInit.apply("{\"name\":\"bad\",\"daemon\":[\"sh\",\"-c\",\"echo cannot bind port >&2; exit 3\"],"
                + "\"logFile\":" + q(log.toString()) + "}");
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).startsWith("sh exited with 3 within 1 s of starting").contains("cannot bind port");
    }

    @Test
    void aDaemonThatNeverGetsReadyFailsAndIsStoppedAgain() throws Exception {
        int port = freePort();
        Outcome r = noInit.apply(httpServer(port, "\"readyCommand\":[\"false\"],\"readyTimeoutSec\":1"));
        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.msg()).contains("started, but false did not succeed within 1 s").contains("stopped it again");
        assertThat(DaemonProcesses.running(daemons.get(0), null)).as("not left behind").isEmpty();
    }

    @Test
    void aPidFileNamingALiveProcessOfTheProgramCountsAsRunningAndAStaleOneDoesNot() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        try {
            Path pidFile = Files.writeString(tmp.resolve("sleep.pid"), sleeper.pid() + "\n");
            List<String> other = List.of("sleep", "7321");
            assertThat(DaemonProcesses.running(other, pidFile)).containsExactly(sleeper.pid());
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            assertThat(DaemonProcesses.running(other, pidFile)).as("the pid belongs to another program").isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessIsTheDaemonsWhenItsCommandLineBeginsWithTheDaemonsArgv() {
        assertThat(DaemonProcesses.matches(List.of("/usr/bin/dockerd", "--debug"), List.of("dockerd"))).isTrue();
        assertThat(DaemonProcesses.matches(List.of("dockerd"), List.of("/usr/bin/dockerd"))).isTrue();
        assertThat(DaemonProcesses.matches(List.of("python3", "-m", "http.server", "8001"),
                List.of("python3", "-m", "http.server", "8000"))).isFalse();
        assertThat(DaemonProcesses.matches(List.of("containerd"), List.of("dockerd"))).isFalse();
        assertThat(DaemonProcesses.matches(List.of(), List.of("dockerd"))).isFalse();
    }

    @Test
    void badArgumentsAreNamed() {
        assertThat(noInit.apply("{\"name\":\"docker\",\"state\":\"running\"}").msg()).startsWith("args.state:");
        assertThat(noInit.apply("{\"name\":\"docker\",\"daemon\":[]}").msg()).startsWith("args.daemon:");
        assertThat(noInit.apply("{\"name\":\"docker\",\"daemon\":[\"dockerd\"],\"logFile\":\"docker.log\"}").msg())
                .startsWith("args.logFile: expected an absolute path");
        assertThat(noInit.apply("{\"name\":\"docker\",\"daemon\":[\"dockerd\"],\"readyTimeoutSec\":0}").msg())
                .startsWith("args.readyTimeoutSec:");
    }

    private String httpServer(int port, String extra) {
        List<String> daemon = List.of(python, "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1",
                "--directory", tmp.toString());
        daemons.add(daemon);
        StringBuilder argv = new StringBuilder();
        for (String a : daemon) {
            argv.append(argv.length() == 0 ? "" : ",").append(q(a));
        }
        return "{\"name\":\"web\",\"state\":\"started\",\"daemon\":[" + argv + "]," + extra + "}";
    }

    private String fetch(int port) {
        return "[" + q(python) + ",\"-c\"," + q("import urllib.request; urllib.request.urlopen('http://127.0.0.1:" + port + "/')") + "]";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int get(int port) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[3]);
    }
}

package dev.rigger.controller.events;

import dev.rigger.playbook.Problem;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/** Live output in the shape Ansible users know: PLAY, TASK, one line per host, PLAY RECAP. */
public final class ConsoleReporter implements RunListener {
    private final PrintStream out;
    private final boolean verbose;
    private final boolean showDiff;
    private String lastTaskHeader;
    /** Hosts reported lost: the failed result of the task they were lost in says nothing new. */
    private final Map<String, String> lostIn = new HashMap<>();

    public ConsoleReporter(PrintStream out, boolean verbose, boolean showDiff) {
        this.out = out;
        this.verbose = verbose;
        this.showDiff = showDiff;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.RunStarted r) {
            out.println((r.check() ? "CHECK " : "") + "RUN " + r.runId() + " " + p(r.playbook()));
        } else if (event instanceof RunEvent.PlayStarted p) {
            header("PLAY [" + p(p.play()) + "]");
            if (p.hosts().isEmpty()) {
                out.println("skipping: no hosts matched");
            }
        } else if (event instanceof RunEvent.HostConnected c) {
            if (verbose) {
                out.printf("connected: [%s] %d ms%s%s%n", c.host(), c.tookMs(),
                        c.runtimeShipped() ? ", runtime shipped" : "", c.agentShipped() ? ", agent shipped" : "");
            }
            // a template that reads a missing fact fails later; say here which part of the facts is missing and why
            if (c.facts() != null) {
                c.facts().collectors().forEach((name, status) -> {
                    if (!"ok".equals(status.status())) {
                        out.printf("facts partial: [%s] %s %s after %d ms%s%n", c.host(), name, status.status(), status.tookMs(),
                                status.error() == null ? "" : ": " + status.error());
                    }
                });
            }
        } else if (event instanceof RunEvent.HostUnreachable u) {
            out.printf("unreachable: [%s] %s%n", u.host(), u.msg());
        } else if (event instanceof RunEvent.HostLost l) {
            lostIn.putIfAbsent(l.host(), l.taskKey());
            taskHeader(l.task());
            out.printf("lost: [%s] %s%n", l.host(), l.msg());
        } else if (event instanceof RunEvent.Heartbeat h) {
            // liveness is for the log and the dashboard; the console would only scroll
        } else if (event instanceof RunEvent.TaskStarted s) {
            taskHeader(s.task());
        } else if (event instanceof RunEvent.TaskOutputLine o) {
            // a long step's progress (bytes shipped, the ECS boot wait) shows without -v; command output needs -v
            if (verbose || RunEvent.TaskOutputLine.PROGRESS.equals(o.stream())) {
                out.printf("  [%s] %s%n", o.host(), o.line());
            }
        } else if (event instanceof RunEvent.TaskFinished f) {
            finished(f);
        } else if (event instanceof RunEvent.PlayAborted a) {
            out.println("PLAY ABORTED [" + a.play() + "]: " + a.msg());
        } else if (event instanceof RunEvent.RunFinished r) {
            recap(r.recap(), r.tookMs());
        }
        out.flush();
    }

    private void finished(RunEvent.TaskFinished f) {
        if (f.loopSummary() && f.result().data() != null && f.result().data().containsKey("results")) {
            // its items were shown one by one
            return;
        }
        ModuleResult r = f.result();
        if (r.status() == Status.FAILED && f.taskKey() != null && f.taskKey().equals(lostIn.get(f.host()))) {
            return;
        }
        taskHeader(f.task());
        String word = f.ignored() ? "failed (ignored)"
                : r.status() == Status.FAILED ? "failed"
                : r.status() == Status.SKIPPED ? "skipping"
                : r.status() == Status.CANCELLED ? "cancelled"
                : r.changed() ? "changed" : "ok";
        String item = f.item() == null ? "" : " => (item=" + f.item() + ")";
        String msg = r.msg() == null || r.msg().isBlank() || (!verbose && r.status() == Status.OK) ? "" : " " + r.msg();
        out.printf("%s: [%s]%s%s (%d ms)%n", word, p(f.host()), p(item), msg, r.durationMs());
        Diff diff = r.diff();
        if (showDiff && diff != null && r.changed()) {
            out.println("--- before");
            out.println(diff.before() == null ? "" : diff.before());
            out.println("+++ after");
            out.println(diff.after() == null ? "" : diff.after());
        }
    }

    private void recap(Map<String, HostRecap> recap, long tookMs) {
        header("PLAY RECAP");
        int width = recap.keySet().stream().mapToInt(String::length).max().orElse(4);
        recap.forEach((host, c) -> out.printf("%-" + width + "s : ok=%-3d changed=%-3d unreachable=%-3d failed=%-3d skipped=%-3d ignored=%-3d lost=%-3d %6.2f s%n",
                host, c.ok(), c.changed(), c.unreachable(), c.failed(), c.skipped(), c.ignored(), c.lost(),
                c.tookMs() / 1000.0));
        out.printf("took %.2f s%n", tookMs / 1000.0);
    }

    /** With the free strategy hosts interleave: the header is repeated whenever the task changes. */
    private void taskHeader(String task) {
        String h = "TASK [" + p(task) + "]";
        if (!h.equals(lastTaskHeader)) {
            header(h);
            lastTaskHeader = h;
        }
    }

    private void header(String text) {
        out.println();
        int pad = Math.max(3, 79 - text.length() - 1);
        out.println(text + " " + "*".repeat(pad));
    }

    /** Names come from playbooks and inventories: a newline or an escape sequence in one must not forge a line or repaint the terminal. */
    private static String p(String name) {
        return name == null ? null : Problem.printable(name);
    }
}

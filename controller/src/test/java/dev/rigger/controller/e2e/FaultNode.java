package dev.rigger.controller.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults done to a lab node from outside (docker exec), and the processes that show what they left.
 * Reads /proc rather than running ps or pgrep: the node image need not have procps.
 */
record FaultNode(Node node) {
    /** Where the bootstrap puts the agent's jar: its java process is the one with this after {@code -jar}. */
    private static final String AGENT_JAR_DIR = "/var/lib/rigger/agent/";

    /** Every process's command line (arguments joined by spaces) by pid; kernel threads have none and are left out. */
    Map<Integer, String> processes() {
        // a process may end between the glob and the read: the shell's complaint about it is dropped too
        String out = node.sh("for p in /proc/[0-9]*; do c=$( { tr '\\0' ' ' < $p/cmdline; } 2>/dev/null);"
                + " [ -n \"$c\" ] && echo \"${p#/proc/} $c\"; done; true");
        Map<Integer, String> byPid = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).chars().allMatch(Character::isDigit)) {
                byPid.put(Integer.parseInt(line.substring(0, space)), line.substring(space + 1).strip());
            }
        }
        return byPid;
    }

    /** The pids whose command line is exactly {@code commandLine}. */
    List<Integer> running(String commandLine) {
        List<Integer> pids = new ArrayList<>();
        processes().forEach((pid, cmd) -> {
            if (cmd.equals(commandLine)) {
                pids.add(pid);
            }
        });
        return pids;
    }

    /** Waits until a process with exactly this command line runs. */
    void awaitRunning(String commandLine, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (running(commandLine).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("'" + commandLine + "' never started on " + node.container());
            }
            sleep(200);
        }
    }

    /** The pids of rigger agents running on the node. */
    List<Integer> agents() {
        List<Integer> pids = new ArrayList<>();
        processes().forEach((pid, cmd) -> {
            if (cmd.contains(" -jar " + AGENT_JAR_DIR) && cmd.contains(" connect ")) {
                pids.add(pid);
            }
        });
        return pids;
    }

    /** Waits until no agent runs on the node; returns the pids still running at the deadline. */
    List<Integer> awaitNoAgent(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<Integer> pids = agents();
        while (!pids.isEmpty() && System.currentTimeMillis() < deadline) {
            sleep(500);
            pids = agents();
        }
        return pids;
    }

    /** {@code kill -9} of the node's agent, which can neither answer nor say goodbye. */
    int killAgent() {
        List<Integer> pids = agents();
        if (pids.size() != 1) {
            throw new AssertionError("expected one agent on " + node.container() + ", found " + pids);
        }
        node.sh("kill -9 " + pids.get(0));
        return pids.get(0);
    }

    /**
     * Takes the node's network link down: its TCP connections stay open but nothing passes, as when a cable
     * or a route is cut.
     *
     * @return the default route's gateway, which the link takes with it and {@link #linkUp} puts back
     */
    String linkDown() {
        String gateway = node.sh("ip -4 route show default | awk '{print $3; exit}'");
        node.sh("ip link set eth0 down");
        return gateway;
    }

    void linkUp(String gateway) {
        node.sh("ip link set eth0 up && ip -4 route replace default via " + gateway + " dev eth0");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package dev.rigger.controller.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the test saw of one run on the page, look after look: each cell's statuses in the order they were
 * seen (repeats folded), the run statuses shown, and which hosts were ever seen with a pending cell.
 */
final class BrowserGridHistory {
    private static final List<String> DONE = List.of("ok", "changed", "failed", "skipped", "unreachable", "lost");

    private final String runId;
    private final Map<String, List<String>> cells = new LinkedHashMap<>();
    private final List<String> runStatuses = new ArrayList<>();
    private final Set<String> seenPending = new LinkedHashSet<>();
    private BrowserGrid last;

    BrowserGridHistory(String runId) {
        this.runId = runId;
    }

    /** Keeps a look that shows this run; returns whether it did. */
    boolean record(BrowserGrid grid) {
        if (!runId.equals(grid.runId())) {
            return false;
        }
        last = grid;
        fold(runStatuses, grid.runStatus());
        for (BrowserGrid.Cell c : grid.cells()) {
            fold(cells.computeIfAbsent(c.host() + " / " + c.task(), k -> new ArrayList<>()), c.status());
            if ("pending".equals(c.status())) {
                seenPending.add(c.host());
            }
        }
        return true;
    }

    private static void fold(List<String> seen, String status) {
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
            seen.add(status);
        }
    }

    BrowserGrid last() {
        return last;
    }

    List<String> runStatuses() {
        return runStatuses;
    }

    Set<String> hostsSeenPending() {
        return seenPending;
    }

    /** Cells whose seen statuses went backwards (done, then pending or running again; or two different ends). */
    Map<String, List<String>> cellsThatWentBack() {
        Map<String, List<String>> bad = new LinkedHashMap<>();
        cells.forEach((cell, seen) -> {
            int rank = -1;
            for (String s : seen) {
                int r = s.equals("pending") ? 0 : s.equals("running") ? 1 : DONE.contains(s) ? 2 : 3;
                if (r < rank || (r == 2 && rank == 2)) {
                    bad.put(cell, seen);
                }
                rank = r;
            }
        });
        return bad;
    }

    @Override
    public String toString() {
        return "run " + runId + " statuses " + runStatuses + ", cells " + cells;
    }
}

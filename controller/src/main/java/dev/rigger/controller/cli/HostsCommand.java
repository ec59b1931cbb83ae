package dev.rigger.controller.cli;

import dev.rigger.controller.inventory.Inventory;
import dev.rigger.controller.inventory.InventoryException;
import dev.rigger.controller.inventory.InventoryHost;
import dev.rigger.controller.state.JsonFileStateStore;
import dev.rigger.controller.state.PlayRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code rigger hosts}: every known host, its address, its last run and how each play last went on it. */
@Command(name = "hosts", description = "Show the hosts, their last run and how each play last went.", mixinStandardHelpOptions = true)
final class HostsCommand implements Callable<Integer>, StateCommand {
    @Mixin
    CommonOptions common;

    @Override
    public Path stateDir() {
        return common.stateDir;
    }

    @Override
    public Integer call() throws Exception {
        Inventory inventory;
        try {
            inventory = common.inventory();
        } catch (InventoryException e) {
            System.err.println("rigger: " + e.getMessage());
            return RiggerCli.BAD_INPUT;
        }
        Map<String, Map<String, PlayRecord>> plays = JsonFileStateStore.peekPlays(common.stateDir);
        Set<String> playKeys = new LinkedHashSet<>();
        plays.values().forEach(p -> playKeys.addAll(p.keySet()));
        List<String> header = new ArrayList<>(List.of("HOST", "ADDRESS", "LAST RUN"));
        header.addAll(playKeys);
        header.add("FIRST FAILING TASK");
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (InventoryHost h : inventory.hosts()) {
            Map<String, PlayRecord> mine = plays.getOrDefault(h.name(), Map.of());
            List<String> row = new ArrayList<>(List.of(h.name(), h.address(),
                    mine.values().stream().map(PlayRecord::runId).filter(r -> r != null).max(String::compareTo).orElse("-")));
            String firstFailed = "-";
            for (String key : playKeys) {
                PlayRecord r = mine.get(key);
                row.add(r == null ? "-" : r.status());
                if (r != null && r.firstFailedTask() != null && "-".equals(firstFailed)) {
                    firstFailed = key + " / " + r.firstFailedTask();
                }
            }
            row.add(firstFailed);
            rows.add(row);
        }
        TextTable.print(System.out, rows);
        return RiggerCli.OK;
    }
}

package dev.rigger.controller.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * One look at the dashboard's grid, taken in a single script call so that the run, its rows and its cells
 * all belong to the same moment (the page changes between two WebDriver calls).
 */
record BrowserGrid(String runId, String runStatus, Map<String, Boolean> rows, List<Cell> cells) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT = """
            const line = document.querySelector('#run-status');
            return JSON.stringify({
              runId: line.dataset.runId || null,
              runStatus: line.dataset.runStatus || null,
              rows: [...document.querySelectorAll('#grid tbody tr')].map(r => [r.dataset.host, r.dataset.inRun === 'true']),
              cells: [...document.querySelectorAll('#grid td[data-task]')].map(td => [td.dataset.host, td.dataset.task, td.dataset.status])
            });""";

    record Cell(String host, String task, String status) {
    }

    static BrowserGrid of(WebDriver driver) {
        String json = (String) ((JavascriptExecutor) driver).executeScript(SNAPSHOT);
        try {
            JsonNode page = JSON.readTree(json);
            Map<String, Boolean> rows = new LinkedHashMap<>();
            page.path("rows").forEach(r -> rows.put(r.get(0).asText(), r.get(1).asBoolean()));
            List<Cell> cells = new ArrayList<>();
            page.path("cells").forEach(c -> cells.add(new Cell(c.get(0).asText(), c.get(1).asText(), c.get(2).asText())));
            return new BrowserGrid(page.path("runId").isNull() ? null : page.path("runId").asText(),
                    page.path("runStatus").isNull() ? null : page.path("runStatus").asText(), rows, cells);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("the page's grid snapshot is not JSON: " + json, e);
        }
    }

    List<Cell> cellsOf(String host) {
        return cells.stream().filter(c -> c.host().equals(host)).toList();
    }

    List<String> hostsInRun() {
        return rows.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }
}

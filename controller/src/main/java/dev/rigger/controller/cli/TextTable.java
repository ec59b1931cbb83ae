package dev.rigger.controller.cli;

import java.io.PrintStream;
import java.util.List;

/** Rows printed as columns padded to their widest cell, the first row being the header. */
final class TextTable {
    private TextTable() {
    }

    static void print(PrintStream out, List<List<String>> rows) {
        int[] width = new int[rows.get(0).size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        });
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", r.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}

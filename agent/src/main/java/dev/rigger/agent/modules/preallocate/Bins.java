package dev.rigger.agent.modules.preallocate;

import java.util.List;

/** Short texts about lists of bins for messages. */
final class Bins {
    private Bins() {
    }

    /** {@code 0000}, {@code 0000..0011} or {@code 0003, 0007} */
    static String range(List<String> names) {
        if (names.isEmpty()) {
            return "no bins";
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        boolean consecutive = true;
        for (int i = 1; i < names.size(); i++) {
            consecutive &= Long.parseLong(names.get(i)) == Long.parseLong(names.get(i - 1)) + 1;
        }
        return consecutive ? names.get(0) + ".." + names.get(names.size() - 1) : String.join(", ", names);
    }
}

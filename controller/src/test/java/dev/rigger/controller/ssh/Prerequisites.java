package dev.rigger.controller.ssh;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** A missing tool fails the test on CI (CI=true) and skips it elsewhere. */
public final class Prerequisites {

    private Prerequisites() {
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("prerequisite missing on CI: " + what);
        }
        Assumptions.abort("prerequisite missing: " + what);
    }
}

package dev.rigger.agent.facts;

import java.util.function.Consumer;

/**
 * What one collector found. The facts are copied into the draft only when the collector finished in
 * time, on the gathering thread, so a collector that returns late can never change facts already sent.
 *
 * @param fill    copies the collector's values into the draft
 * @param missing null when everything was found, else what is missing and why (makes the status partial)
 */
record Gathered(Consumer<FactsDraft> fill, String missing) {
    static Gathered of(Consumer<FactsDraft> fill) {
        return new Gathered(fill, null);
    }

    static Gathered partial(Consumer<FactsDraft> fill, String missing) {
        return new Gathered(fill, missing);
    }
}

package dev.rigger.ecssim.api;

import dev.rigger.ecssim.state.StateStore;

/**
 * {@code GET /ecssim/state}: the whole persisted state, so tests can count what a run created (one
 * license, one pool, three stores readytouse...). Not an ECS call; token required like the rest.
 */
public final class StateResource {
    private final StateStore store;

    public StateResource(StateStore store) {
        this.store = store;
    }

    public void register(ApiRouter router) {
        router.add("GET", "/ecssim/state", request -> {
            store.tick();
            return ApiResponse.rawJson(200, store.snapshot());
        });
    }
}

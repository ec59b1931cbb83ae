package dev.rigger.controller.modules;

import dev.rigger.controller.inventory.RunInventory;
import dev.rigger.controller.run.HostSession;
import dev.rigger.protocol.facts.HostFacts;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a controller-side module may use for its target host.
 *
 * @param session  the host's attached session (its SSH connection reaches the host's Docker socket)
 * @param address  the address the controller reaches the host at
 * @param stateDir where files that outlive the run go ({@code .rigger})
 * @param diff     keep before/after in the result (--diff); off by default, as diffs may hold settings
 * @param output   lines for the live output and the run log (progress, status while waiting)
 * @param inventory where hosts a module creates are registered; {@code session} is null when the target
 *                  is {@code localhost}, the controller itself
 */
public record ControllerModuleContext(String host, String address, HostSession session, HostFacts facts,
                                      boolean check, boolean diff, Path stateDir, Consumer<String> output,
                                      RunInventory inventory) {
}

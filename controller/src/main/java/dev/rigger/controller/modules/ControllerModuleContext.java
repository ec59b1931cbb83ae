package dev.rigger.controller.modules;

import dev.rigger.controller.inventory.RunInventory;
import dev.rigger.protocol.facts.HostFacts;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a controller-side module may use for its target host.
 *
 * @param access   how the module reaches the host's Docker and SSH connection
 * @param address  the address the controller reaches the host at
 * @param stateDir where files that outlive the run go ({@code .rigger})
 * @param diff     keep before/after in the result (--diff); off by default, as diffs may hold settings
 * @param output   lines for the live output and the run log (progress, status while waiting)
 * @param inventory where hosts a module creates are registered
 */
public record ControllerModuleContext(String host, String address, HostAccess access, HostFacts facts,
                                      boolean check, boolean diff, Path stateDir, Consumer<String> output,
                                      RunInventory inventory) {
}

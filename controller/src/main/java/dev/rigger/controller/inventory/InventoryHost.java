package dev.rigger.controller.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One host the controller can reach: where, as whom, with which key, and the host keys to expect. */
public record InventoryHost(String name, String address, int port, String user, Path identityFile,
                            List<String> hostKeys, List<String> groups, Map<String, Object> vars) {
}

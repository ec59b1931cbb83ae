package dev.rigger.controller.modules.ec2;

import dev.rigger.controller.inventory.InventoryHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One provisioned node as the rest of the run sees it. The public IP is what SSH uses unless told to
 * use the private one (or there is no public one); the private IP is what ECS's seeds and /etc/hosts use.
 */
record Ec2Host(String name, String instanceId, String volumeId, String privateIp, String publicIp, String zone,
               List<String> hostKeys) {

    String address(boolean usePrivateIp) {
        return usePrivateIp || publicIp == null || publicIp.isBlank() ? privateIp : publicIp;
    }

    InventoryHost inventoryHost(Ec2Args a, Path identityFile) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("instanceId", instanceId);
        vars.put("volumeId", orEmpty(volumeId));
        vars.put("privateIp", orEmpty(privateIp));
        vars.put("publicIp", orEmpty(publicIp));
        vars.put("availabilityZone", orEmpty(zone));
        return new InventoryHost(name, address(a.usePrivateIp()), 22, a.sshUser(), identityFile, hostKeys,
                List.of(a.group()), vars);
    }

    Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", name);
        d.put("instanceId", instanceId);
        d.put("volumeId", orEmpty(volumeId));
        d.put("privateIp", orEmpty(privateIp));
        d.put("publicIp", orEmpty(publicIp));
        return d;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

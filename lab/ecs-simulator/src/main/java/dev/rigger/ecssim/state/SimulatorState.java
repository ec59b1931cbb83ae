package dev.rigger.ecssim.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the management API has been told, as persisted in {@code /data/ecssim/state.json}.
 * Objects are kept as the JSON bodies the API returns for them, so what was stored is what is served.
 * Login tokens are deliberately not here: a restarted ECS makes clients log in again [inferred].
 */
public final class SimulatorState {
    public int version = 1;
    /** The license text last posted; null until then. */
    public String licenseText;
    /** This VDC's secret key (GET /object/vdcs/vdc/local/secretkey); made once, on first boot. */
    public String vdcSecretKey;
    public List<ObjectNode> storagePools = new ArrayList<>();
    public List<ObjectNode> dataStores = new ArrayList<>();
    public List<ObjectNode> dataStoreTasks = new ArrayList<>();
    /** Data-store id -> epoch millis at which its device_state becomes readytouse. */
    public Map<String, Long> storeReadyAt = new LinkedHashMap<>();
    /** Task op_id -> epoch millis at which the task becomes ready. */
    public Map<String, Long> taskReadyAt = new LinkedHashMap<>();
    public List<ObjectNode> vdcs = new ArrayList<>();
    public List<ObjectNode> replicationGroups = new ArrayList<>();
    public List<ObjectNode> namespaces = new ArrayList<>();
    public List<ObjectNode> users = new ArrayList<>();
    /**
     * root's password once changed through {@code PUT /vdc/users/root}, as salted PBKDF2 ("salt:hash", base64);
     * null while it is still the boot default (ECSSIM_ROOT_PASSWORD). Kept, as ECS keeps it across restarts.
     */
    public String rootPasswordHash;
    /** uid -> the body of GET /object/user-secret-keys/{uid}. */
    public Map<String, ObjectNode> secretKeys = new LinkedHashMap<>();
}

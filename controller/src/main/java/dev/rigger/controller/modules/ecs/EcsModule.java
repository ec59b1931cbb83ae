package dev.rigger.controller.modules.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import dev.rigger.controller.modules.ControllerStep;
import dev.rigger.protocol.ProtocolJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ecs}: ECS "object prep" through the management API (reference §3, §4), in the order ECS needs:
 * license, storage pool, a data store per node (waiting until each is ready), VDC, replication group,
 * namespace, object user, S3 secret key. It waits until the API answers (polling, never a fixed sleep,
 * with live status), then looks at every object before it creates it, so a second run creates and
 * rotates nothing. The S3 credentials go to a 0600 file; the secret never appears in output, results or logs.
 *
 * <pre>{@code {"name": "object prep", "module": "ecs", "args": {"license": "{{ ecs_license }}",
 *   "password": "{{ ecs_password }}", "namespace": "ns1", "objectUser": "object_admin1"}}}</pre>
 *
 * <p>The API is reached through the host's SSH session ({@link EcsConnection}), its certificate pinned to the
 * one in ECS's container. A first run logs in with {@code initialPassword} and changes root's password to
 * {@code password}; later runs log in with {@code password} and change nothing.
 *
 * Arguments: {@code endpoint} (none: through SSH to 127.0.0.1:{@code port} on the host), {@code port} (4443),
 * {@code username} (root), {@code password} (ChangeMe), {@code initialPassword} (ChangeMe),
 * {@code defaultPasswordAllowed} (true; false refuses ChangeMe as {@code password}), {@code container}
 * (ecs-storageos), {@code certificatePath} (required unless {@code validateCerts}), {@code validateCerts}
 * (false; true checks the certificate against the JDK's CAs and needs {@code endpoint}), {@code license} (required),
 * {@code storagePool} (sp1), {@code nodes} (IPs to make data stores on; default every node ECS lists),
 * {@code vdc} (vdc1), {@code replicationGroup} (rg1), {@code namespace} (ns1), {@code objectUser}
 * (object_admin1), {@code credentialsFile} (.rigger/ecs/&lt;namespace&gt;-&lt;user&gt;.json), {@code s3Port}
 * (9020), {@code bootTimeoutSec} (1800), {@code readyTimeoutSec} (900), {@code pollSec} (5).
 */
public final class EcsModule implements ControllerModule {

    @Override
    public ControllerPlan plan(ObjectNode args, ControllerModuleContext ctx) throws Exception {
        EcsArgs a = EcsArgs.from(args, ctx);
        EcsConnection conn = EcsConnection.open(a, ctx);
        boolean handedOver = false;
        try {
            ControllerPlan plan = plan(a, conn.api(), ctx);
            handedOver = !plan.steps().isEmpty() && !ctx.check();
            return handedOver ? closingAfterApply(plan, conn) : plan;
        } finally {
            if (!handedOver) {
                conn.close();
            }
        }
    }

    private static ControllerPlan plan(EcsArgs a, EcsClient api, ControllerModuleContext ctx) throws Exception {
        api.onRetry(ctx.output());
        EcsWaits waits = new EcsWaits(api, a, ctx);
        if (!waits.untilApiAnswers()) {
            // check mode on a cluster that is still booting: everything would be created
            return ControllerPlan.change("wait for the management API at " + a.describeEndpoint() + ", then create the"
                    + " license, storage pool, data stores, VDC, replication group, namespace, object user and S3 key",
                    List.of(ControllerStep.of("run object prep once the API answers", c -> {
                        throw new IllegalStateException("the management API did not answer");
                    })), Map.of("endpoint", a.endpoint().toString()));
        }
        EcsObjects seen = EcsObjects.observe(api, a);
        List<ControllerStep> steps = new ArrayList<>();
        EcsSteps make = new EcsSteps(api, a, seen, waits);
        if (waits.initialPasswordUsed()) {
            steps.add(make.password());
        }
        if (!seen.licensed()) {
            steps.add(make.license());
        }
        if (seen.storagePoolId() == null) {
            steps.add(make.storagePool());
        }
        int before = steps.size();
        for (String ip : seen.nodeIps()) {
            if (!seen.storesByName().containsKey(ip)) {
                steps.add(make.dataStore(ip));
            }
        }
        if (steps.size() > before) {
            steps.add(make.storesReady());
        }
        if (seen.vdcId() == null) {
            steps.add(make.vdc());
        }
        if (seen.replicationGroupId() == null) {
            steps.add(make.replicationGroup());
        }
        if (!seen.namespaceExists()) {
            steps.add(make.namespace());
        }
        if (!seen.userExists()) {
            steps.add(make.objectUser());
        }
        if (seen.secretKey() == null) {
            steps.add(make.secretKey());
        } else if (!EcsCredentials.matches(a, seen.secretKey())) {
            steps.add(make.credentialsFile());
        }
        if (steps.isEmpty()) {
            waits.untilStoresReady(seen);
            return ControllerPlan.noop("object prep complete: " + seen.describe(a), data(a, seen));
        }
        String what = String.join(", ", steps.stream().map(ControllerStep::describe).toList());
        return ControllerPlan.change(what, steps, data(a, seen)).withDataAfterApply(c -> data(a, seen));
    }

    /**
     * The steps still need the tunnel: it closes once the result is read, or when a step fails (the runner
     * then reads no result), and in any case with the host's SSH session.
     */
    private static ControllerPlan closingAfterApply(ControllerPlan plan, EcsConnection conn) {
        List<ControllerStep> closing = new ArrayList<>();
        for (ControllerStep step : plan.steps()) {
            closing.add(ControllerStep.of(step.describe(), c -> {
                try {
                    step.apply(c);
                } catch (Exception e) {
                    conn.close();
                    throw e;
                }
            }));
        }
        ControllerPlan.DataAfterApply after = plan.dataAfterApply();
        return new ControllerPlan(closing, plan.msg(), plan.diff(), plan.data(), context -> {
            try {
                return after == null ? plan.data() : after.data(context);
            } finally {
                conn.close();
            }
        });
    }

    private static Map<String, Object> data(EcsArgs a, EcsObjects seen) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("endpoint", a.endpoint().toString());
        d.put("s3Endpoint", seen.s3Endpoint(a));
        d.put("namespace", a.namespace());
        d.put("objectUser", a.objectUser());
        d.put("storagePool", orUnknown(seen.storagePoolId()));
        d.put("vdc", orUnknown(seen.vdcId()));
        d.put("replicationGroup", orUnknown(seen.replicationGroupId()));
        d.put("dataStores", seen.storesByName().size());
        d.put("credentialsFile", a.credentialsFile().toString());
        return d;
    }

    private static String orUnknown(String value) {
        return value != null ? value : ControllerPlan.KNOWN_AFTER_APPLY;
    }

    static JsonNode body(Object... keyValues) {
        ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            n.set((String) keyValues[i], ProtocolJson.MAPPER.valueToTree(keyValues[i + 1]));
        }
        return n;
    }

    static IOException because(String what, Exception e) {
        return new IOException(what + ": " + e.getMessage(), e);
    }
}

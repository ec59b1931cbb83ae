package dev.rigger.controller.modules.ec2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.modules.ControllerModule;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerPlan;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ec2}: provisions a cluster's hosts on EC2 through aws-sdk-java-v2 (or tears them down), then
 * registers them in the run's inventory with the host keys their console printed, so the first SSH
 * connection is verified. Everything is found again by name and by the tags {@code rigger:cluster} and
 * {@code rigger:node}: a second run creates nothing.
 *
 * <pre>{@code {"name": "provision", "module": "ec2", "args": {"cluster": "ecs1", "count": 3}}}</pre>
 *
 * Arguments: {@code cluster} (required), {@code region}, {@code endpoint}, {@code count} (3), {@code ami}
 * (newest Ubuntu 22.04), {@code instanceType} (m5.2xlarge), {@code rootVolumeGiB} (50), {@code subnetId},
 * {@code keyName} (rigger-&lt;cluster&gt;), {@code publicKeyFile} (the controller's key), {@code clientCidr}
 * (0.0.0.0/0), {@code volumeSizeGiB} (512), {@code volumeType} (gp3), {@code device} (/dev/sdf),
 * {@code group} (ecs), {@code sshUser} (ubuntu), {@code usePrivateIp} (false), {@code state}
 * (present|absent), {@code capacityRetries} (3), {@code capacityBackoffSec} (10), {@code waitTimeoutSec}
 * (900), {@code hostKeyTimeoutSec} (600), {@code pollSec} (5).
 */
public final class Ec2Module implements ControllerModule {

    @Override
    public ControllerPlan plan(ObjectNode args, ControllerModuleContext ctx) throws Exception {
        Ec2Args a = Ec2Args.from(args);
        Consumer<String> output = ctx.output() != null ? ctx.output() : line -> { };
        Ec2Connection conn = Ec2Connection.open(a);
        boolean handedOver = false;
        try {
            Ec2Cluster cluster = Ec2Cluster.observe(conn.client(), a);
            ControllerPlan plan = a.present()
                    ? new Ec2Present(conn, a, ControllerKey.of(a, ctx.stateDir()), cluster, output).plan(ctx)
                    : new Ec2Absent(conn, a, cluster).plan(ctx);
            handedOver = !plan.steps().isEmpty() && !ctx.check();
            return handedOver ? closingAfterApply(plan, conn) : plan;
        } finally {
            if (!handedOver) {
                conn.close();
            }
        }
    }

    /** The steps still need the client; it is closed once the result has been read. */
    private static ControllerPlan closingAfterApply(ControllerPlan plan, Ec2Connection conn) {
        ControllerPlan.DataAfterApply after = plan.dataAfterApply();
        return plan.withDataAfterApply(context -> {
            try {
                return after == null ? plan.data() : after.data(context);
            } finally {
                conn.close();
            }
        });
    }

    /** The EC2 calls this task made so far: the issue asks for them per run. */
    static void countCalls(Map<String, Object> data, Ec2Connection conn) {
        data.put("ec2Calls", conn.counter().calls());
        data.put("ec2Requests", conn.counter().requests());
        data.put("ec2CallsByAction", conn.counter().byAction());
    }
}

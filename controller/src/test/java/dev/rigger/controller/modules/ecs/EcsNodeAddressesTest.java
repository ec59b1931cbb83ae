package dev.rigger.controller.modules.ecs;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The VDC's endpoints are the node addresses joined with commas: one that holds a comma or a newline is refused. */
class EcsNodeAddressesTest {

    @Test
    void addressesThatWouldAddAnEndpointToTheJoinedListAreRefused() {
        assertThatThrownBy(() -> EcsObjects.checkAddresses(List.of("172.30.0.11", "172.30.0.12,6.6.6.6"), "args.nodes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node address \"172.30.0.12,6.6.6.6\" (from args.nodes) is not an IP address");
        assertThatThrownBy(() -> EcsObjects.checkAddresses(List.of("172.30.0.12\n6.6.6.6"), "ECS's node list"))
                .hasMessage("node address \"172.30.0.12\\n6.6.6.6\" (from ECS's node list) is not an IP address");
        assertThatThrownBy(() -> EcsObjects.checkAddresses(List.of("node1.ecs.lab"), "args.nodes"))
                .as("a name would be resolved by whoever reads the list").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipLiteralsPass() {
        assertThatCode(() -> EcsObjects.checkAddresses(List.of("172.30.0.11", "fd00::12"), "args.nodes"))
                .doesNotThrowAnyException();
    }
}

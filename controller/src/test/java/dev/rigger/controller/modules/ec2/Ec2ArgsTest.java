package dev.rigger.controller.modules.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Ec2ArgsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Args args(String json) throws Exception {
        return Ec2Args.from((ObjectNode) JSON.readTree(json));
    }

    @Test
    void defaultsAreTheTutorialsCluster() throws Exception {
        Ec2Args a = args("{\"cluster\": \"ecs1\", \"clientCidr\": \"203.0.113.7/32\"}");

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.instanceType()).isEqualTo("m5.2xlarge");
        assertThat(a.rootVolumeGiB()).isEqualTo(50);
        assertThat(a.volumeSizeGiB()).isEqualTo(512);
        assertThat(a.volumeType()).isEqualTo("gp3");
        assertThat(a.device()).isEqualTo("/dev/sdf");
        assertThat(a.keyName()).isEqualTo("rigger-ecs1");
        assertThat(a.securityGroupName()).isEqualTo("rigger-ecs1");
        assertThat(a.clientCidr()).isEqualTo("203.0.113.7/32");
        assertThat(a.sshCidr()).as("the controller's SSH rule follows the clients'").isEqualTo("203.0.113.7/32");
        assertThat(a.credentialsFile()).isNull();
        assertThat(a.group()).isEqualTo("ecs");
        assertThat(a.sshUser()).isEqualTo("ubuntu");
        assertThat(a.present()).isTrue();
        assertThat(a.endpoint()).isNull();
        assertThat(a.region()).isNull();
    }

    @Test
    void theControllersKeyIsTheDefaultAndANamedPublicKeyBringsItsPrivateHalf() throws Exception {
        Path state = Path.of("/state");

        assertThat(ControllerKey.of(args("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\"}"), state).identityFile())
                .isEqualTo(Path.of("/state/keys/id_ed25519"));
        ControllerKey named = ControllerKey.of(args("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\", \"publicKeyFile\": \"/k/ops.pub\"}"), state);
        assertThat(named.identityFile()).isEqualTo(Path.of("/k/ops"));
        assertThat(named.canGenerate(args("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\", \"publicKeyFile\": \"/k/ops.pub\"}"))).isFalse();
    }

    @Test
    void refusesWhatCannotWorkNamingTheArgument() {
        assertThatThrownBy(() -> args("{}")).hasMessage("args.cluster: required");
        assertThatThrownBy(() -> args("{\"cluster\": \"a b\"}")).hasMessageStartingWith("args.cluster:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"state\": \"gone\"}")).hasMessageStartingWith("args.state:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"count\": 0}")).hasMessageStartingWith("args.count:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"endpoint\": \"localhost\"}"))
                .hasMessageStartingWith("args.endpoint:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\", \"volumeSizeGiB\": -1}"))
                .hasMessageStartingWith("args.volumeSizeGiB:");
    }

    @Test
    void theClientCidrHasNoDefaultAndTheWholeInternetOnlyWhenNamed() throws Exception {
        assertThatThrownBy(() -> args("{\"cluster\": \"c\"}")).hasMessageStartingWith("args.clientCidr: required")
                .hasMessageContaining("/32").hasMessageContaining("'world'");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"clientCidr\": \"0.0.0.0/0\"}"))
                .hasMessageStartingWith("args.clientCidr:").hasMessageContaining("'world'");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"clientCidr\": \"203.0.113.300/32\"}"))
                .hasMessageStartingWith("args.clientCidr:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"clientCidr\": \"10.0.0.1/32\", \"sshCidr\": \"any\"}"))
                .hasMessageStartingWith("args.sshCidr:");
        assertThat(args("{\"cluster\": \"c\", \"clientCidr\": \"world\"}").clientCidr()).isEqualTo("0.0.0.0/0");
        Ec2Args split = args("{\"cluster\": \"c\", \"clientCidr\": \"198.51.100.0/24\", \"sshCidr\": \"203.0.113.7/32\"}");
        assertThat(split.clientCidr()).isEqualTo("198.51.100.0/24");
        assertThat(split.sshCidr()).isEqualTo("203.0.113.7/32");
        assertThat(args("{\"cluster\": \"c\", \"state\": \"absent\"}").present()).as("absent opens nothing").isFalse();
    }
}

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
        Ec2Args a = args("{\"cluster\": \"ecs1\"}");

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.instanceType()).isEqualTo("m5.2xlarge");
        assertThat(a.rootVolumeGiB()).isEqualTo(50);
        assertThat(a.volumeSizeGiB()).isEqualTo(512);
        assertThat(a.volumeType()).isEqualTo("gp3");
        assertThat(a.device()).isEqualTo("/dev/sdf");
        assertThat(a.keyName()).isEqualTo("rigger-ecs1");
        assertThat(a.securityGroupName()).isEqualTo("rigger-ecs1");
        assertThat(a.clientCidr()).isEqualTo("0.0.0.0/0");
        assertThat(a.group()).isEqualTo("ecs");
        assertThat(a.sshUser()).isEqualTo("ubuntu");
        assertThat(a.present()).isTrue();
        assertThat(a.endpoint()).isNull();
        assertThat(a.region()).isNull();
    }

    @Test
    void theControllersKeyIsTheDefaultAndANamedPublicKeyBringsItsPrivateHalf() throws Exception {
        Path state = Path.of("/state");

        assertThat(ControllerKey.of(args("{\"cluster\": \"c\"}"), state).identityFile())
                .isEqualTo(Path.of("/state/keys/id_ed25519"));
        ControllerKey named = ControllerKey.of(args("{\"cluster\": \"c\", \"publicKeyFile\": \"/k/ops.pub\"}"), state);
        assertThat(named.identityFile()).isEqualTo(Path.of("/k/ops"));
        assertThat(named.canGenerate(args("{\"cluster\": \"c\", \"publicKeyFile\": \"/k/ops.pub\"}"))).isFalse();
    }

    @Test
    void refusesWhatCannotWorkNamingTheArgument() {
        assertThatThrownBy(() -> args("{}")).hasMessage("args.cluster: required");
        assertThatThrownBy(() -> args("{\"cluster\": \"a b\"}")).hasMessageStartingWith("args.cluster:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"state\": \"gone\"}")).hasMessageStartingWith("args.state:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"count\": 0}")).hasMessageStartingWith("args.count:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"endpoint\": \"localhost\"}"))
                .hasMessageStartingWith("args.endpoint:");
        assertThatThrownBy(() -> args("{\"cluster\": \"c\", \"volumeSizeGiB\": -1}"))
                .hasMessageStartingWith("args.volumeSizeGiB:");
    }
}

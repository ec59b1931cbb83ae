package dev.rigger.lab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeImageRecipeTest {
    @Test
    void anUnchangedRecipeKeepsItsTag() {
        assertThat(NodeImageRecipe.standard("bookworm").image())
                .isEqualTo(NodeImageRecipe.standard("bookworm").image())
                .matches("rigger-lab-node:[0-9a-f]{12}");
    }

    @Test
    void aChangedPackageListInitScriptOrSuiteMakesANewTag() {
        NodeImageRecipe base = NodeImageRecipe.standard("bookworm");
        List<String> more = new ArrayList<>(base.packages());
        more.add("docker.io");
        assertThat(new NodeImageRecipe(base.suite(), more, base.initScript(), base.sshdConfig(), base.dpkgConfig()).tag())
                .isNotEqualTo(base.tag());
        assertThat(new NodeImageRecipe(base.suite(), base.packages(), base.initScript() + "\n", base.sshdConfig(),
                base.dpkgConfig()).tag()).isNotEqualTo(base.tag());
        assertThat(NodeImageRecipe.standard("trixie").tag()).isNotEqualTo(base.tag());
    }

    @Test
    void theNodeHasSshdButNoJavaAndLogsInByKeyOnly() {
        NodeImageRecipe recipe = NodeImageRecipe.standard("bookworm");
        assertThat(recipe.packages()).contains("openssh-server", "xfsprogs", "python3")
                .noneMatch(p -> p.contains("jdk") || p.contains("jre") || p.contains("java"));
        assertThat(recipe.sshdConfig()).contains("PermitRootLogin prohibit-password", "PasswordAuthentication no",
                "UseDNS no");
        assertThat(recipe.initScript()).contains("ssh-keygen -A", "mkdir -p /run/sshd")
                .endsWith("exec /usr/sbin/sshd -D -e\n");
    }
}

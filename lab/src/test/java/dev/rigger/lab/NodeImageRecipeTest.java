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
        more.add("jq");
        assertThat(new NodeImageRecipe(base.suite(), more, base.initScript(), base.sshdConfig(), base.dpkgConfig(),
                base.dockerdStep(), base.runcWrapper()).tag()).isNotEqualTo(base.tag());
        assertThat(new NodeImageRecipe(base.suite(), base.packages(), base.initScript() + "\n", base.sshdConfig(),
                base.dpkgConfig(), base.dockerdStep(), base.runcWrapper()).tag()).isNotEqualTo(base.tag());
        assertThat(new NodeImageRecipe(base.suite(), base.packages(), base.initScript(), base.sshdConfig(),
                base.dpkgConfig(), base.dockerdStep() + "\n", base.runcWrapper()).tag()).isNotEqualTo(base.tag());
        assertThat(new NodeImageRecipe(base.suite(), base.packages(), base.initScript(), base.sshdConfig(),
                base.dpkgConfig(), base.dockerdStep(), base.runcWrapper() + "\n").tag()).isNotEqualTo(base.tag());
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

    @Test
    void theNodeStartsDockerdInTheBackgroundWithTheLabsRuncAndItsLog() {
        NodeImageRecipe recipe = NodeImageRecipe.standard("bookworm");
        assertThat(recipe.packages()).contains("docker.io");
        assertThat(NodeImageRecipe.DOCKERD_STEP_PATH).startsWith(NodeImageRecipe.INIT_STEPS_DIR + "/");
        assertThat(recipe.dockerdStep()).startsWith("#!/bin/sh\n")
                .contains("/usr/sbin/dockerd", "--storage-driver=overlay2", ">>\"$log\"",
                        "--add-runtime rigger-lab=" + NodeImageRecipe.RUNC_WRAPPER_PATH, "--default-runtime rigger-lab")
                .contains("log=" + NodeImageRecipe.DOCKERD_LOG)
                .as("dockerd must not hold up sshd").containsPattern("</dev/null &\\s*$");
        assertThat(recipe.runcWrapper()).startsWith("#!/usr/bin/python3\n").contains("CAP_SYS_RESOURCE",
                "os.execv(REAL_RUNC");
        assertThat(NodeImageRecipe.UNUSED_FILES).doesNotContain("/usr/sbin/dockerd", "/usr/bin/containerd",
                "/usr/sbin/runc", "/usr/bin/containerd-shim-runc-v2", "/usr/bin/docker");
    }
}

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
    void aChangedPackageListInitScriptFileOrSuiteMakesANewTag() {
        NodeImageRecipe base = NodeImageRecipe.standard("bookworm");
        List<String> more = new ArrayList<>(base.packages());
        more.add("jq");
        List<NodeImageRecipe.ImageFile> changedStep = base.files().stream()
                .map(f -> new NodeImageRecipe.ImageFile(f.path(), f.content() + "\n", f.mode())).toList();
        List<NodeImageRecipe.ImageFile> movedStep = base.files().stream()
                .map(f -> new NodeImageRecipe.ImageFile(f.path() + "x", f.content(), f.mode())).toList();
        assertThat(List.of(
                new NodeImageRecipe(base.kind(), base.suite(), more, base.initScript(), base.sshdConfig(),
                        base.dpkgConfig(), base.files(), base.runcWrapper(), base.unusedFiles()),
                new NodeImageRecipe(base.kind(), base.suite(), base.packages(), base.initScript() + "\n",
                        base.sshdConfig(), base.dpkgConfig(), base.files(), base.runcWrapper(), base.unusedFiles()),
                new NodeImageRecipe(base.kind(), base.suite(), base.packages(), base.initScript(), base.sshdConfig(),
                        base.dpkgConfig(), changedStep, base.runcWrapper(), base.unusedFiles()),
                new NodeImageRecipe(base.kind(), base.suite(), base.packages(), base.initScript(), base.sshdConfig(),
                        base.dpkgConfig(), movedStep, base.runcWrapper(), base.unusedFiles()),
                new NodeImageRecipe(base.kind(), base.suite(), base.packages(), base.initScript(), base.sshdConfig(),
                        base.dpkgConfig(), base.files(), base.runcWrapper() + "\n", base.unusedFiles()),
                NodeImageRecipe.standard("trixie")))
                .extracting(NodeImageRecipe::tag).doesNotContain(base.tag());
    }

    @Test
    void theBareImageHasOnlyWhatAMinimalCloudImageHasAndItsOwnTag() {
        NodeImageRecipe bare = NodeImageRecipe.bare("bookworm");
        assertThat(bare.image()).matches("rigger-lab-bare:[0-9a-f]{12}")
                .isNotEqualTo(NodeImageRecipe.standard("bookworm").image());
        assertThat(bare.packages()).contains("openssh-server", "python3")
                .doesNotContain("docker.io", "xfsprogs", "parted", "gdisk", "fdisk")
                .noneMatch(p -> p.contains("jdk") || p.contains("jre") || p.contains("java"));
        assertThat(bare.initScript()).isEqualTo(NodeImageRecipe.standard("bookworm").initScript());
        assertThat(bare.files()).extracting(NodeImageRecipe.ImageFile::path)
                .as("no dockerd start-up: there is no dockerd until a playbook installs one")
                .doesNotContain(NodeImageRecipe.DOCKERD_STEP_PATH)
                .contains(NodeImageRecipe.KERNEL_RW_STEP_PATH, NodeImageRecipe.DOCKER_DAEMON_CONFIG_PATH);
        assertThat(bare.files()).filteredOn(f -> f.path().equals(NodeImageRecipe.DOCKER_DAEMON_CONFIG_PATH))
                .singleElement().satisfies(f -> assertThat(f.content())
                        .contains("\"default-runtime\": \"rigger-lab\"", NodeImageRecipe.RUNC_WRAPPER_PATH));
        assertThat(bare.files()).filteredOn(f -> f.path().equals(NodeImageRecipe.KERNEL_RW_STEP_PATH))
                .singleElement().satisfies(f -> assertThat(f.content()).contains("remount,rw /sys")
                        .doesNotContain("dockerd"));
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
        assertThat(recipe.files()).filteredOn(f -> f.path().equals(NodeImageRecipe.DOCKERD_STEP_PATH)).singleElement()
                .extracting(NodeImageRecipe.ImageFile::content).asString().startsWith("#!/bin/sh\n")
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

package dev.rigger.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a lab node image is made of. The image tag is a hash of it, so a changed recipe builds a new image
 * and an unchanged one is reused: the image in dockerd is the cache.
 */
record NodeImageRecipe(NodeImageKind kind, String suite, List<String> packages, String initScript, String sshdConfig,
                       String dpkgConfig, List<ImageFile> files, String runcWrapper, List<String> unusedFiles) {
    static final String INIT_PATH = "/usr/local/sbin/rigger-lab-init";
    static final String INIT_STEPS_DIR = "/usr/local/lib/rigger-lab/init.d";
    static final String SSHD_CONFIG_PATH = "/etc/ssh/sshd_config.d/rigger-lab.conf";
    static final String DPKG_CONFIG_PATH = "/etc/dpkg/dpkg.cfg.d/rigger-lab-nodoc";
    static final String DOCKERD_STEP_PATH = INIT_STEPS_DIR + "/20-dockerd";
    static final String RUNC_WRAPPER_PATH = "/usr/local/sbin/rigger-lab-runc";
    static final String DOCKERD_LOG = "/var/log/dockerd.log";
    static final String KERNEL_RW_STEP_PATH = INIT_STEPS_DIR + "/10-kernel-rw";
    static final String DOCKER_DAEMON_CONFIG_PATH = "/etc/docker/daemon.json";
    private static final String EXECUTABLE = "rwxr-xr-x";
    private static final String READABLE = "rw-r--r--";

    // What a host needs for rigger's modules and for peers such as Ansible (python3). No Java: the
    // controller ships its own runtime, as it must to a bare cloud host.
    static final List<String> PACKAGES = List.of("openssh-server", "xfsprogs", "iproute2", "util-linux",
            "python3", "parted", "gdisk", "fdisk", "ca-certificates", "procps", "kmod", "iputils-ping",
            // Docker in Docker: ECS and the simulator run as containers on each node; docker.io brings
            // containerd, runc, tini and iptables along
            "docker.io");

    // Programs docker.io and containerd install that a node's dockerd never runs: libnetwork's test tools,
    // the containerd CLI and the v1 shims (dockerd uses io.containerd.runc.v2). About 68 MB.
    static final List<String> UNUSED_FILES = List.of("/usr/bin/dnet", "/usr/sbin/ovrouter", "/usr/bin/ctr",
            "/usr/bin/containerd-shim", "/usr/bin/containerd-shim-runc-v1");

    // What a minimal cloud image has that rigger and its peers rely on: sshd, python3 (Ansible) and apt (in
    // minbase) with what apt needs to fetch over HTTPS. No Docker, no xfsprogs, no partitioning tools, no Java:
    // a playbook for a cloud host has to install them.
    static final List<String> BARE_PACKAGES = List.of("openssh-server", "python3", "ca-certificates", "iproute2",
            "procps", "util-linux", "kmod");

    /** A file the lab puts into the rootfs, with its permissions ("rwxr-xr-x"). */
    record ImageFile(String path, String content, String mode) {
    }

    NodeImageRecipe {
        packages = List.copyOf(packages);
        files = List.copyOf(files);
        unusedFiles = List.copyOf(unusedFiles);
    }

    static NodeImageRecipe of(NodeImageKind kind, String suite) {
        return switch (kind) {
            case FULL -> standard(suite);
            case BARE -> bare(suite);
        };
    }

    /** The full node image: Docker started by the init script, xfsprogs and the partitioning tools present. */
    static NodeImageRecipe standard(String suite) {
        return new NodeImageRecipe(NodeImageKind.FULL, suite, PACKAGES, resource("node-init.sh"),
                resource("sshd-lab.conf"), resource("dpkg-nodoc.cfg"),
                List.of(new ImageFile(DOCKERD_STEP_PATH, resource("dockerd-start.sh"), EXECUTABLE)),
                resource("lab-runc.py"), UNUSED_FILES);
    }

    /**
     * The bare image: a minimal cloud host. It keeps what stands in for a VM's kernel and hypervisor, not for
     * packages, so that a Docker engine installed later by apt works as on a VM: writable /sys, /proc/sys and
     * cgroups, and the runc wrapper as Docker's default runtime (daemon.json, which the docker.io package
     * does not ship and so leaves alone).
     */
    static NodeImageRecipe bare(String suite) {
        return new NodeImageRecipe(NodeImageKind.BARE, suite, BARE_PACKAGES, resource("node-init.sh"),
                resource("sshd-lab.conf"), resource("dpkg-nodoc.cfg"),
                List.of(new ImageFile(KERNEL_RW_STEP_PATH, resource("kernel-rw.sh"), EXECUTABLE),
                        new ImageFile(DOCKER_DAEMON_CONFIG_PATH, resource("bare-daemon.json"), READABLE)),
                resource("lab-runc.py"), List.of());
    }

    /** The first 12 hex digits of the sha256 over everything that goes into the image. */
    String tag() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> parts = new ArrayList<>(List.of(suite, String.join(",", packages), initScript,
                    sshdConfig, dpkgConfig));
            for (ImageFile file : files) {
                parts.add(file.content());
                // The dockerd step's path and mode are as old as the recipe and were never hashed; leaving them
                // out keeps the full image's tag, so existing full images and nodes stay current.
                if (!file.path().equals(DOCKERD_STEP_PATH)) {
                    parts.add(file.path() + " " + file.mode());
                }
            }
            parts.add(runcWrapper);
            parts.add(String.join(",", unusedFiles));
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    String image() {
        return kind.repository() + ":" + tag();
    }

    private static String resource(String name) {
        try (InputStream in = NodeImageRecipe.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the lab jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

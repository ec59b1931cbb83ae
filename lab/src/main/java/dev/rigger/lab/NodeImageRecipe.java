package dev.rigger.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a lab node image is made of. The image tag is a hash of it, so a changed recipe builds a new image
 * and an unchanged one is reused: the image in dockerd is the cache.
 */
record NodeImageRecipe(String suite, List<String> packages, String initScript, String sshdConfig, String dpkgConfig,
                       String dockerdStep, String runcWrapper) {
    static final String REPOSITORY = "rigger-lab-node";
    static final String INIT_PATH = "/usr/local/sbin/rigger-lab-init";
    static final String INIT_STEPS_DIR = "/usr/local/lib/rigger-lab/init.d";
    static final String SSHD_CONFIG_PATH = "/etc/ssh/sshd_config.d/rigger-lab.conf";
    static final String DPKG_CONFIG_PATH = "/etc/dpkg/dpkg.cfg.d/rigger-lab-nodoc";
    static final String DOCKERD_STEP_PATH = INIT_STEPS_DIR + "/20-dockerd";
    static final String RUNC_WRAPPER_PATH = "/usr/local/sbin/rigger-lab-runc";
    static final String DOCKERD_LOG = "/var/log/dockerd.log";

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

    NodeImageRecipe {
        packages = List.copyOf(packages);
    }

    static NodeImageRecipe standard(String suite) {
        return new NodeImageRecipe(suite, PACKAGES, resource("node-init.sh"), resource("sshd-lab.conf"),
                resource("dpkg-nodoc.cfg"), resource("dockerd-start.sh"), resource("lab-runc.py"));
    }

    /** The first 12 hex digits of the sha256 over everything that goes into the image. */
    String tag() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(suite, String.join(",", packages), initScript, sshdConfig, dpkgConfig,
                    dockerdStep, runcWrapper, String.join(",", UNUSED_FILES))) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    String image() {
        return REPOSITORY + ":" + tag();
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

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
record NodeImageRecipe(String suite, List<String> packages, String initScript, String sshdConfig, String dpkgConfig) {
    static final String REPOSITORY = "rigger-lab-node";
    static final String INIT_PATH = "/usr/local/sbin/rigger-lab-init";
    static final String INIT_STEPS_DIR = "/usr/local/lib/rigger-lab/init.d";
    static final String SSHD_CONFIG_PATH = "/etc/ssh/sshd_config.d/rigger-lab.conf";
    static final String DPKG_CONFIG_PATH = "/etc/dpkg/dpkg.cfg.d/rigger-lab-nodoc";

    // What a host needs for rigger's modules and for peers such as Ansible (python3). No Java: the
    // controller ships its own runtime, as it must to a bare cloud host.
    static final List<String> PACKAGES = List.of("openssh-server", "xfsprogs", "iproute2", "util-linux",
            "python3", "parted", "gdisk", "fdisk", "ca-certificates", "procps", "kmod", "iputils-ping");

    NodeImageRecipe {
        packages = List.copyOf(packages);
    }

    static NodeImageRecipe standard(String suite) {
        return new NodeImageRecipe(suite, PACKAGES, resource("node-init.sh"), resource("sshd-lab.conf"),
                resource("dpkg-nodoc.cfg"));
    }

    /** The first 12 hex digits of the sha256 over everything that goes into the image. */
    String tag() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(suite, String.join(",", packages), initScript, sshdConfig, dpkgConfig)) {
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

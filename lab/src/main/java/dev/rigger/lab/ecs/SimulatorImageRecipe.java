package dev.rigger.lab.ecs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What the ECS simulator image is made of. Its tag is a hash of the simulator jar, the runtime's modules, the
 * JDK that makes the runtime and the image settings, so an unchanged recipe reuses the image in dockerd.
 */
record SimulatorImageRecipe(String jarSha256, List<String> modules, String jdk, List<String> changes) {
    SimulatorImageRecipe {
        modules = List.copyOf(modules);
        changes = List.copyOf(changes);
    }

    static SimulatorImageRecipe of(byte[] jar, List<String> modules, String jdk, List<String> changes) {
        return new SimulatorImageRecipe(HexFormat.of().formatHex(sha256().digest(jar)), modules, jdk, changes);
    }

    /** The first 12 hex digits of the sha256 over everything that goes into the image. */
    String tag() {
        MessageDigest sha = sha256();
        sha.update(jarSha256.getBytes(StandardCharsets.UTF_8));
        for (String part : List.of(String.join(",", modules), jdk, String.join("\n", changes))) {
            sha.update((byte) 0);
            sha.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    String image() {
        return EcsSimulatorImage.REPOSITORY + ":" + tag();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

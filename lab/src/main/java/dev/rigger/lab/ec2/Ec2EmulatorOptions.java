package dev.rigger.lab.ec2;

import dev.rigger.lab.LabOptions;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the EC2 emulator: its TCP port on 127.0.0.1 (0 = any free port, see {@link Ec2Emulator#endpoint()}),
 * the region it claims to be, the lab whose hosts are its instances and where that lab keeps its files.
 */
public record Ec2EmulatorOptions(int port, String region, String labName, Path stateRoot) {
    public static final int DEFAULT_PORT = 4566;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_LAB = "ec2";

    public Ec2EmulatorOptions {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(labName, "labName");
        Objects.requireNonNull(stateRoot, "stateRoot");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("EC2 emulator port must be 0..65535, was " + port);
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new IllegalArgumentException("region '" + region + "': expected a name like us-east-1");
        }
        labOptions(labName, stateRoot);
    }

    public static Ec2EmulatorOptions defaults() {
        return new Ec2EmulatorOptions(DEFAULT_PORT, DEFAULT_REGION, DEFAULT_LAB, LabOptions.DEFAULT_STATE_ROOT);
    }

    public Ec2EmulatorOptions withPort(int newPort) {
        return new Ec2EmulatorOptions(newPort, region, labName, stateRoot);
    }

    public Ec2EmulatorOptions withRegion(String newRegion) {
        return new Ec2EmulatorOptions(port, newRegion, labName, stateRoot);
    }

    public Ec2EmulatorOptions withLabName(String newLabName) {
        return new Ec2EmulatorOptions(port, region, newLabName, stateRoot);
    }

    public Ec2EmulatorOptions withStateRoot(Path newStateRoot) {
        return new Ec2EmulatorOptions(port, region, labName, newStateRoot);
    }

    /** The options of the lab that holds the instances ({@code Lab.of(...).down} removes them all). */
    public LabOptions labOptions() {
        return labOptions(labName, stateRoot);
    }

    /** {@code <stateRoot>/<lab>/ec2-state.json}. */
    public Path stateFile() {
        return labOptions().labDir().resolve("ec2-state.json");
    }

    private static LabOptions labOptions(String labName, Path stateRoot) {
        return LabOptions.defaults().withName(labName).withNodes(1).withStateRoot(stateRoot);
    }
}

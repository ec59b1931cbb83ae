package dev.rigger.lab.ec2;

import dev.rigger.lab.NodeImageKind;

import java.util.List;
import java.util.Optional;

/** An AMI of the emulator's catalogue and the lab node image that stands behind its instances. */
record Ec2Image(String imageId, String name, String ownerId, boolean isPublic, String description, NodeImageKind kind) {
    static final String UBUNTU_OWNER = "099720109477";

    /** Canonical's Ubuntu 22.04: a fresh cloud host has little, so the bare image stands behind it. */
    static final Ec2Image UBUNTU = new Ec2Image("ami-0c7217cdde317cfec",
            "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240101", UBUNTU_OWNER, true,
            "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image (a bare rigger lab node: sshd, python3, apt)",
            NodeImageKind.BARE);

    /** The account's own image with Docker, xfsprogs and the partitioning tools: the nodes of `rigger lab up`. */
    static final Ec2Image LAB_FULL = new Ec2Image("ami-0fa11ab0de0c0f011", "rigger-lab-node-full", Ec2Ids.ACCOUNT,
            false, "rigger lab node with Docker, xfsprogs and the partitioning tools", NodeImageKind.FULL);

    static final List<Ec2Image> CATALOG = List.of(UBUNTU, LAB_FULL);

    static Optional<Ec2Image> byId(String imageId) {
        return CATALOG.stream().filter(i -> i.imageId.equals(imageId)).findFirst();
    }

    /** Whether DescribeImages' {@code Owner} value names this image's owner ("self", "amazon" or an account). */
    boolean ownedBy(String owner) {
        return switch (owner) {
            case "self" -> ownerId.equals(Ec2Ids.ACCOUNT);
            case "amazon" -> ownerId.equals(UBUNTU_OWNER);
            default -> ownerId.equals(owner);
        };
    }

    /** EC2's error for an image id that is not in the catalogue. */
    static Ec2ApiException notFound(String imageId) {
        return new Ec2ApiException(imageId.startsWith("ami-") ? "InvalidAMIID.NotFound" : "InvalidAMIID.Malformed",
                "The image id '[" + imageId + "]' does not exist");
    }
}

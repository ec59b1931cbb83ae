package dev.rigger.lab;

/**
 * Which node image a host is made from. {@link #FULL} is what {@code rigger lab up} nodes run: Docker,
 * xfsprogs and the partitioning tools are already there. {@link #BARE} has only what a minimal cloud image
 * has (sshd, python3, apt), so a playbook must install what it needs, as on a fresh cloud instance.
 */
public enum NodeImageKind {
    FULL("rigger-lab-node"),
    BARE("rigger-lab-bare");

    private final String repository;

    NodeImageKind(String repository) {
        this.repository = repository;
    }

    /** The image repository in dockerd; the tag is the recipe's hash. */
    public String repository() {
        return repository;
    }
}

package dev.rigger.controller.cli;

import dev.rigger.lab.Lab;
import dev.rigger.lab.LabInventory;
import dev.rigger.lab.LabNode;
import dev.rigger.lab.LabNodeStatus;
import dev.rigger.lab.LabOptions;
import dev.rigger.lab.LabStatus;
import dev.rigger.lab.ec2.Ec2Emulator;
import dev.rigger.lab.ec2.Ec2EmulatorOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code rigger lab up|down|status}: local hosts for trying everything on one machine. */
@Command(name = "lab", description = "Local lab hosts (containers with their own data disks).",
        mixinStandardHelpOptions = true,
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Ec2.class})
final class LabCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("rigger lab: say up, down or status");
    }

    /** Which lab, for every lab subcommand. */
    static final class Selection {
        @Option(names = "--name", description = "lab name (default: ${DEFAULT-VALUE})", defaultValue = LabOptions.DEFAULT_NAME)
        String name;

        @Option(names = "--state", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = ".rigger")
        Path stateDir;

        LabOptions options() {
            return LabOptions.defaults().withName(name).withStateRoot(stateDir.resolve("lab"));
        }
    }

    @Command(name = "up", description = "Make (or complete) the lab and wait until every node's sshd answers.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Selection lab;

        @Option(names = "--nodes", description = "number of nodes (default: ${DEFAULT-VALUE})", defaultValue = "3")
        int nodes;

        @Option(names = "--disk-size", description = "size of each node's data disk (default: ${DEFAULT-VALUE})", defaultValue = "4G")
        String diskSize;

        @Option(names = "--no-docker", description = "nodes without their own dockerd: sshd, python3, the disk tools and"
                + " the data disk only, so that many fit on one machine (host preparation, benchmarks)")
        boolean noDocker;

        @Override
        public Integer call() {
            LabOptions options;
            try {
                options = lab.options().withNodes(nodes).withDiskSize(diskSize);
                if (noDocker) {
                    options = options.withDocker(false);
                }
            } catch (IllegalArgumentException e) {
                System.err.println("rigger: " + e.getMessage());
                return RiggerCli.BAD_INPUT;
            }
            LabInventory inventory = Lab.of(options).up(System.out::println);
            for (LabNode n : inventory.nodes()) {
                System.out.printf("%-8s %-15s %s%n", n.name(), n.address(), n.loopDevice() == null ? "" : n.loopDevice());
            }
            System.out.println("inventory: " + options.labDir().resolve(LabInventory.FILE));
            return RiggerCli.OK;
        }
    }

    @Command(name = "down", description = "Remove the lab: containers, network, volumes, loop devices, files.")
    static final class Down implements Callable<Integer> {
        @Mixin
        Selection lab;

        @Override
        public Integer call() {
            Lab.of(lab.options()).down(System.out::println);
            return RiggerCli.OK;
        }
    }

    @Command(name = "status", description = "Show the lab's nodes and whether their sshd answers.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Selection lab;

        @Override
        public Integer call() {
            LabStatus status = Lab.of(lab.options()).status();
            if (status.empty()) {
                System.out.println("lab " + status.labName() + ": not up");
                return RiggerCli.OK;
            }
            System.out.println("lab " + status.labName() + ": network " + status.network() + " " + status.subnet()
                    + ", image " + status.image() + (status.imagePresent() ? "" : " (missing)"));
            for (LabNodeStatus n : status.nodes()) {
                System.out.printf("%-8s %-9s %-15s %-12s ssh %s%n", n.name(), n.containerState(),
                        n.address() == null ? "-" : n.address(), n.loopDevice() == null ? "-" : n.loopDevice(),
                        n.sshAnswering() ? "answers" : "silent");
            }
            return RiggerCli.OK;
        }
    }

    @Command(name = "ec2", mixinStandardHelpOptions = true,
            description = {"Serve the EC2 API on 127.0.0.1, backed by lab nodes, until stopped (Ctrl-C).",
                    "It accepts only requests signed with the key it makes at each start and writes, readable by its"
                            + " user only, to <state>/lab/<name>/ec2-credentials (AWS shared-credentials format):"
                            + " an instance is root on this machine."})
    static final class Ec2 implements Callable<Integer> {
        @Option(names = "--port", description = "port on 127.0.0.1 (default: ${DEFAULT-VALUE})", defaultValue = "4566")
        int port;

        @Option(names = "--name", description = "name of the lab its instances live in (default: ${DEFAULT-VALUE})",
                defaultValue = Ec2EmulatorOptions.DEFAULT_LAB)
        String name;

        @Option(names = "--state", description = "state directory (default: ${DEFAULT-VALUE})", defaultValue = ".rigger")
        Path stateDir;

        @Override
        public Integer call() throws InterruptedException {
            Ec2EmulatorOptions options;
            try {
                options = Ec2EmulatorOptions.defaults().withPort(port).withLabName(name).withStateRoot(stateDir.resolve("lab"));
            } catch (IllegalArgumentException e) {
                System.err.println("rigger: " + e.getMessage());
                return RiggerCli.BAD_INPUT;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Ec2Emulator emulator = Ec2Emulator.start(options);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                emulator.close();
                stopped.countDown();
            }, "ec2-emulator-stop"));
            System.out.println("EC2 emulator on " + emulator.endpoint() + " (region " + options.region()
                    + ", instances in lab '" + name + "'); point the AWS playbooks at it with -e @playbooks/vars/ec2-emulator.json");
            System.out.println("credentials (this run only): " + Ec2Emulator.credentialsFile(options)
                    + "; for the AWS CLI: export AWS_SHARED_CREDENTIALS_FILE=" + Ec2Emulator.credentialsFile(options).toAbsolutePath());
            stopped.await();
            return RiggerCli.OK;
        }
    }
}

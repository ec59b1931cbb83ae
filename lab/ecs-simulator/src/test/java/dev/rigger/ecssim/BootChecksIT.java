package dev.rigger.ecssim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator refuses to boot, like ECS, when the host was not prepared the way ECS needs. */
class BootChecksIT {
    private static final Duration EXIT = Duration.ofSeconds(30);

    private EcsHostLayout layout;

    @BeforeEach
    void layout() throws Exception {
        Prerequisites.requireRootWithXfsTools();
        layout = EcsHostLayout.create();
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (layout != null) {
            layout.close();
        }
    }

    private String refusedBoot() throws Exception {
        try (SimulatorProcess simulator = SimulatorProcess.start(layout.root(), Map.of())) {
            int exit = simulator.awaitExit(EXIT);
            String output = simulator.output();
            assertThat(exit).as("exit code of a refused boot; output:\n%s", output).isEqualTo(1);
            assertThat(output.lines().findFirst()).as("first log line").hasValue("boot operation begin");
            assertThat(output).as("nothing is served").doesNotContain("listening");
            return output;
        }
    }

    @Test
    void refusesASettingThatIsNotANumber() throws Exception {
        try (SimulatorProcess simulator = SimulatorProcess.start(layout.root(),
                Map.of("ECSSIM_BOOT_DELAY_SEC", "soon"))) {
            assertThat(simulator.awaitExit(EXIT)).isEqualTo(1);
            assertThat(simulator.output())
                    .contains("Error: ECSSIM_BOOT_DELAY_SEC must be a non-negative integer, got \"soon\"");
        }
    }

    @Test
    void refusesToBootWithoutNetworkJson() throws Exception {
        Files.delete(layout.path("/host/data/network.json"));

        assertThat(refusedBoot()).contains("Error: network json file not found: "
                + layout.path("/host/data/network.json"));
    }

    @Test
    void namesTheKeyThatNetworkJsonLacks() throws Exception {
        ObjectNode network = layout.networkJson();
        network.remove("mgmt_interface_name");
        layout.writeNetworkJson(network);

        assertThat(refusedBoot()).contains("Error: network json file lacks key(s) mgmt_interface_name")
                .contains(layout.path("/host/data/network.json").toString());
    }

    @Test
    void refusesNetworkJsonThatIsNotJson() throws Exception {
        Files.writeString(layout.path("/host/data/network.json"), "data_ip=10.0.0.1\n");

        assertThat(refusedBoot()).contains("Error: network json file is not valid JSON");
    }

    @Test
    void refusesToBootWithoutSeedsFile() throws Exception {
        Files.delete(layout.path("/host/files/seeds"));

        assertThat(refusedBoot()).contains("Error: seeds file not found: " + layout.path("/host/files/seeds"));
    }

    @Test
    void refusesSeedsThatAreNotCommaSeparatedIpv4s() throws Exception {
        layout.writeSeeds("10.11.12.1 10.11.12.2");

        assertThat(refusedBoot()).contains("Error: seeds file must hold comma-separated IPv4 addresses, found \"10.11.12.1 10.11.12.2\"");
    }

    @Test
    void refusesAnIdJsonWithoutAgentId() throws Exception {
        layout.writeIdJson("{\"node_uuid\": \"x\"}");

        assertThat(refusedBoot()).contains("Error: id json file lacks key agent_id")
                .contains(layout.path("/host/data/id.json").toString());
    }

    @Test
    void refusesAHostDirectoryNotOwnedByUid444() throws Exception {
        layout.chown("/host", 0);

        assertThat(refusedBoot()).contains("Error: host directory is owned by uid 0, expected uid 444: "
                + layout.path("/host"));
    }

    @Test
    void refusesToBootWithoutDataDirectory() throws Exception {
        Files.delete(layout.path("/data/is_community_edition"));
        Files.delete(layout.path("/data"));

        assertThat(refusedBoot()).contains("Error: data directory not found: " + layout.path("/data"));
    }

    @Test
    void refusesToBootWithoutDisksDirectory() throws Exception {
        Files.delete(layout.path("/disks"));

        assertThat(refusedBoot()).contains("Error: partition root not found: " + layout.path("/disks"));
    }

    @Test
    void refusesToBootWithoutAnXfsMountBelowDae() throws Exception {
        Files.createDirectories(layout.path("/dae/uuid-1"));

        assertThat(refusedBoot()).contains("Error: no XFS filesystem mounted below " + layout.path("/dae"));
    }

    @Test
    void refusesATmpfsWhereTheXfsDataMountIsExpected() throws Exception {
        Path mountPoint = layout.path("/dae/uuid-1");
        Files.createDirectories(mountPoint);
        Commands.run("mount", "-t", "tmpfs", "-o", "size=1m,uid=444", "tmpfs", mountPoint.toString());
        try {
            assertThat(refusedBoot()).contains("Error: no XFS filesystem mounted below " + layout.path("/dae"));
        } finally {
            Commands.run("umount", mountPoint.toString());
        }
    }

    @Test
    void bootsWithoutAnXfsMountOnlyWhenTheMountCheckIsSkippedExplicitly() throws Exception {
        try (SimulatorProcess simulator = SimulatorProcess.start(layout.root(), Map.of("ECSSIM_SKIP_MOUNT_CHECK", "1"))) {
            simulator.awaitReady();

            assertThat(simulator.output()).contains("warning: XFS mount check skipped (ECSSIM_SKIP_MOUNT_CHECK=1)");
            simulator.stop();
        }
    }

    @Test
    void refusesAnXfsDataMountNotOwnedByUid444() throws Exception {
        try (XfsLoopMount xfs = XfsLoopMount.create(layout.path("/xfs.img"), layout.path("/dae/uuid-1"))) {
            Commands.run("chown", "0:0", xfs.mountPoint().toString());

            assertThat(refusedBoot()).contains("Error: XFS data mount is owned by uid 0, expected uid 444: "
                    + xfs.mountPoint());
        }
    }

    @Test
    void keepsItsPortsClosedDuringTheBootDelayAndOpensThemAfter() throws Exception {
        try (XfsLoopMount xfs = XfsLoopMount.create(layout.path("/xfs.img"), layout.path("/disks/uuid-7"));
             SimulatorProcess simulator = SimulatorProcess.start(layout.root(),
                     Map.of("ECSSIM_BOOT_DELAY_SEC", "600"))) {
            simulator.awaitLine("starting services, ready in 600 s", Duration.ofSeconds(60));

            assertThat(simulator.output()).contains("data mounts " + layout.path("/disks/uuid-7"));
            for (int port : new int[] {simulator.mgmtPort, simulator.dtPort}) {
                assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    }
                }).as("port %d while booting", port).isInstanceOf(ConnectException.class);
            }
            assertThat(simulator.isAlive()).isTrue();
            simulator.stop();
        }
    }

    @Test
    void bootsWhenTheHostIsPreparedLikeEcsNeedsIt() throws Exception {
        try (XfsLoopMount xfs = XfsLoopMount.create(layout.path("/xfs.img"), layout.path("/dae/uuid-1"));
             SimulatorProcess simulator = SimulatorProcess.start(layout.root(), Map.of())) {
            simulator.awaitReady();

            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", simulator.mgmtPort), 2000);
            }
            assertThat(simulator.output().lines().findFirst()).hasValue("boot operation begin");
            assertThat(simulator.output()).contains("data mounts " + xfs.mountPoint());
            simulator.stop();
        }
    }
}

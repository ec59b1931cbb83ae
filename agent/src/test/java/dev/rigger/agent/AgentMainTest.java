package dev.rigger.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line and the connect loop's exits that need no controller. */
class AgentMainTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    @Test
    void runPrintsTheResultAndExitsNonZeroOnlyWhenItFailed() throws Exception {
        assertThat(AgentMain.run(new String[] {"run", "command", "{\"argv\":[\"true\"]}"}, print)).isEqualTo(AgentMain.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"status\" : \"changed\"");
        assertThat(AgentMain.run(new String[] {"run", "command", "{\"argv\":[\"false\"]}"}, print)).isEqualTo(AgentMain.EXIT_FAILED);
        assertThat(AgentMain.run(new String[] {"run", "command", "{\"argv\":[\"false\"]}", "--check"}, print))
                .as("check mode runs nothing").isEqualTo(AgentMain.EXIT_OK);
    }

    @Test
    void badUsageExitsWith2() throws Exception {
        assertThat(AgentMain.run(new String[] {}, print)).isEqualTo(AgentMain.EXIT_USAGE);
        assertThat(AgentMain.run(new String[] {"explode"}, print)).isEqualTo(AgentMain.EXIT_USAGE);
        assertThat(AgentMain.run(new String[] {"run", "file", "[1]"}, print)).isEqualTo(AgentMain.EXIT_USAGE);
        assertThat(AgentMain.run(new String[] {"connect", "--host-name", "h"}, print)).as("no port").isEqualTo(AgentMain.EXIT_USAGE);
    }

    @Test
    void connectWithoutATokenOnStdinExitsWith2() throws Exception {
        int code = new AgentRuntime("node1", "127.0.0.1", 1).run(new BufferedReader(new StringReader("")));
        assertThat(code).isEqualTo(AgentMain.EXIT_USAGE);
    }

    @Test
    void connectToAPortNobodyListensOnExitsWith4() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int code = new AgentRuntime("node1", "127.0.0.1", port).run(new BufferedReader(new StringReader("secret-token\n")));
        assertThat(code).isEqualTo(AgentMain.EXIT_BRIDGE);
    }
}

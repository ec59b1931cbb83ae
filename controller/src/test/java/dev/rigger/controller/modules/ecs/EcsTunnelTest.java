package dev.rigger.controller.modules.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EcsTunnelTest {
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
               1: 0100007F:115B 0100007F:9A3E 01 00000000:00000000 00:00000000 00000000     0        0 2 1
            """;
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue
               0: 00000000000000000000000000000000:115B 00000000000000000000000000000000:0000 0A 00000000:00000000
            """;

    @Test
    void aListeningSocketOnThePortCountsAndAnEstablishedOneDoesNot() {
        assertThat(EcsTunnel.listening(TCP, 22)).isTrue();
        assertThat(EcsTunnel.listening(TCP, 4443)).as("only a connection to 4443, nothing listens").isFalse();
        assertThat(EcsTunnel.listening(TCP + TCP6, 4443)).as("the IPv6 wildcard").isTrue();
        assertThat(EcsTunnel.listening("", 4443)).isFalse();
    }
}

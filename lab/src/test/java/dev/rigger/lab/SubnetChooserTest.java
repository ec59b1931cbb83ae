package dev.rigger.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubnetChooserTest {
    @Test
    void skipsEverySubnetThatOverlapsAnExistingNetwork() {
        assertThat(SubnetChooser.choose(List.of("172.17.0.0/16", "172.30.0.0/24", "172.30.1.0/24")))
                .isEqualTo("172.30.2.0/24");
    }

    @Test
    void aWideNetworkCoversAllItsSlash24s() {
        assertThat(SubnetChooser.choose(List.of("172.30.0.0/16"))).isEqualTo("172.31.0.0/24");
    }

    @Test
    void nodesGetAddressesInTheSubnet() {
        assertThat(SubnetChooser.prefix("172.30.7.0/24")).isEqualTo("172.30.7.");
        assertThat(SubnetChooser.range("10.1.2.3/8")).containsExactly(0x0A000000L, 0x0AFFFFFFL);
    }
}

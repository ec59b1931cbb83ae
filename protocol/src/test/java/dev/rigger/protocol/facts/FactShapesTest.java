package dev.rigger.protocol.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each shape takes what honest hosts report and refuses what would break out of a hosts line, a seeds list or a path. */
class FactShapesTest {
    private static final String HUGE = "1".repeat(1_000_000);

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "172.30.0.12", "255.255.255.255", "192.0.2.2"})
    void ipv4LiteralsAreAccepted(String ip) {
        assertThat(FactShapes.isIpv4(ip)).isTrue();
        assertThat(FactShapes.isIpAddress(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1\n6.6.6.6 node1", "1.2.3.4,6.6.6.6", "10.0.0.1 node1", "10.0.0.1#", "10.0.0.1 ",
            " 10.0.0.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.", ".1.2.3",
            "localhost", "example.com", "0x7f.0.0.1", "2130706433", "1.2.3.4\u202e", "\u0661.2.3.4", "１.2.3.4", "", "...."})
    void textThatIsNotAnIpv4LiteralIsRefused(String text) {
        assertThat(FactShapes.isIpv4(text)).as(FactShapes.quote(text)).isFalse();
        assertThat(FactShapes.isIpAddress(text)).as(FactShapes.quote(text)).isFalse();
    }

    @Test
    void aNameThatResolvesIsNotAnAddress() {
        // a lookup would turn these into addresses; the shape never looks anything up
        assertThat(FactShapes.isIpAddress("localhost")).isFalse();
        assertThat(FactShapes.isIpAddress("ip6-localhost")).isFalse();
        assertThat(FactShapes.isIpv4(HUGE)).isFalse();
        assertThat(FactShapes.isIpv6(HUGE)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "fd00::2", "fe80::a00:27ff:fe4e:66a1", "2001:db8:0:0:0:0:2:1", "2001:db8::2:1",
            "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "FD00::ABCD"})
    void ipv6LiteralsAreAccepted(String ip) {
        assertThat(FactShapes.isIpv6(ip)).isTrue();
        assertThat(FactShapes.isIpAddress(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "::1\n::2",
            "::1,::2", "fe80::1%eth0", "[::1]", ":1::", "1.2.3.4::", "::1.2.3", "::ffff:1.2.3.4:1", "fd00::2 node1"})
    void textThatIsNotAnIpv6LiteralIsRefused(String text) {
        assertThat(FactShapes.isIpv6(text)).as(FactShapes.quote(text)).isFalse();
    }

    @Test
    void aZoneIsAcceptedOnlyWhereAskedForAndOnlyAsAnInterfaceName() {
        assertThat(FactShapes.isIpAddressWithZone("fe80::1%eth0")).isTrue();
        assertThat(FactShapes.isIpAddressWithZone("10.0.0.1")).isTrue();
        assertThat(FactShapes.isIpAddressWithZone("10.0.0.1%eth0")).isFalse();
        assertThat(FactShapes.isIpAddressWithZone("fe80::1%eth0\n6.6.6.6")).isFalse();
        assertThat(FactShapes.isIpAddressWithZone("fe80::1%")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"node1", "node1.ecs.lab", "ip-172-31-0-2.ec2.internal", "a", "1node", "x-y", "vm"})
    void hostNamesAreAccepted(String name) {
        assertThat(FactShapes.isHostName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"node1\n6.6.6.6 node2", "node1 node2", "node1,node2", "node1#", "-node", "node-", "node..lab",
            ".node", "node.", "node_1", "6.6.6.6", "nöde", "node1\u202e", "node1\u200b", "", "node1/x", "a\tb"})
    void textThatIsNotAHostNameIsRefused(String text) {
        assertThat(FactShapes.isHostName(text)).as(FactShapes.quote(text)).isFalse();
    }

    @Test
    void hostNamesHaveTheirLengthLimits() {
        assertThat(FactShapes.isHostName("a".repeat(63))).isTrue();
        assertThat(FactShapes.isHostName("a".repeat(64))).as("a label of 64").isFalse();
        String name = ("a".repeat(61) + ".").repeat(4) + "a";
        assertThat(name).hasSize(249);
        assertThat(FactShapes.isHostName(name)).isTrue();
        assertThat(FactShapes.isHostName(name + "aaaaa")).as("longer than 253").isFalse();
        assertThat(FactShapes.isHostName(HUGE)).isFalse();
        assertThat(FactShapes.isDomainName("ecs.lab.")).as("resolv.conf may end a domain with a dot").isTrue();
        assertThat(FactShapes.isDomainName("ecs.lab..")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth0", "lo", "ens5", "eth0.100", "br-4f2a1b3c5d6e", "veth1234567890a", "wg0", "docker0", "ib0"})
    void interfaceNamesAreAccepted(String name) {
        assertThat(FactShapes.isInterfaceName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "eth0/x", "eth0:1", "eth 0", "eth0\n", "averyveryverylong0", "eth0\u202e", "éth0",
            "eth0\t"})
    void textThatIsNotAnInterfaceNameIsRefused(String text) {
        assertThat(FactShapes.isInterfaceName(text)).as(FactShapes.quote(text)).isFalse();
    }

    @Test
    void linkAddressesAreMacsOrTheAddressesTunnelsReport() {
        assertThat(FactShapes.isLinkAddress("02:42:ac:1f:00:02")).isTrue();
        assertThat(FactShapes.isLinkAddress("00:00:00:00:00:00")).isTrue();
        assertThat(FactShapes.isLinkAddress("80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:01"))
                .as("InfiniBand").isTrue();
        assertThat(FactShapes.isLinkAddress("0.0.0.0")).as("ipip").isTrue();
        assertThat(FactShapes.isLinkAddress("::")).as("ip6gre").isTrue();
        assertThat(FactShapes.isLinkAddress("02:42:ac:1f:00:2")).isFalse();
        assertThat(FactShapes.isLinkAddress("02:42:ac:1f:00:02\n")).isFalse();
        assertThat(FactShapes.isLinkAddress("02-42-ac-1f-00-02")).isFalse();
        assertThat(FactShapes.isLinkAddress("zz:42:ac:1f:00:02")).isFalse();
        assertThat(FactShapes.isLinkAddress("")).isFalse();
    }

    @Test
    void devicePathsAreCanonicalPathsUnderDev() {
        assertThat(FactShapes.isDevicePath("/dev/xvdf")).isTrue();
        assertThat(FactShapes.isDevicePath("/dev/nvme0n1p1")).isTrue();
        assertThat(FactShapes.isDevicePath("/dev/mapper/vg0-lv_data")).isTrue();
        assertThat(FactShapes.isDevicePath("/dev/disk/by-id/nvme-Amazon_EBS_vol0123:1")).isTrue();
        assertThat(FactShapes.isDevicePath("/dev/../etc/shadow")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/./xvdf")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev//xvdf")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/xvdf/")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/")).isFalse();
        assertThat(FactShapes.isDevicePath("/etc/shadow")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/xvdf /mnt")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/xvdf\n/dev/sda")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/xvdf,x")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/xvdf#")).isFalse();
        assertThat(FactShapes.isDevicePath("/dev/" + HUGE)).isFalse();
        assertThat(FactShapes.isDeviceName("xvdf")).isTrue();
        assertThat(FactShapes.isDeviceName("dm-0")).isTrue();
        assertThat(FactShapes.isDeviceName("sd/a")).isFalse();
        assertThat(FactShapes.isDeviceName("..")).isFalse();
    }

    @Test
    void mountPointsAreAbsoluteCanonicalAndOneLine() {
        assertThat(FactShapes.isMountPoint("/")).isTrue();
        assertThat(FactShapes.isMountPoint("/ecs/uuid-6d1c")).isTrue();
        assertThat(FactShapes.isMountPoint("/media/My Disk")).as("the kernel lists spaces, decoded").isTrue();
        assertThat(FactShapes.isMountPoint("relative/path")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs/../etc")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs/./x")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs//x")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs/")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs\n/dev/sda / xfs")).isFalse();
        assertThat(FactShapes.isMountPoint("/ecs\u202e")).isFalse();
        assertThat(FactShapes.isMountPoint("/" + "a".repeat(5000))).isFalse();
    }

    @Test
    void sizesTokensAndTextHaveTheirShapes() {
        assertThat(FactShapes.isMajorMinor("259:0")).isTrue();
        assertThat(FactShapes.isMajorMinor("259:0\n")).isFalse();
        assertThat(FactShapes.isToken("LVM2_member", 64)).isTrue();
        assertThat(FactShapes.isToken("fuse.sshfs", 64)).isTrue();
        assertThat(FactShapes.isToken("6.1.0-28-amd64", 64)).isTrue();
        assertThat(FactShapes.isToken("ndots:5", 64)).isTrue();
        assertThat(FactShapes.isToken("xfs,rw", 64)).isFalse();
        assertThat(FactShapes.isToken("xfs rw", 64)).isFalse();
        assertThat(FactShapes.isMountOption("lowerdir=/a:/b")).isTrue();
        assertThat(FactShapes.isMountOption("rw,suid")).isFalse();
        assertThat(FactShapes.isUuid("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4")).isTrue();
        assertThat(FactShapes.isUuid("ABCD-1234")).isTrue();
        assertThat(FactShapes.isUuid("abcd 1234")).isFalse();
        assertThat(FactShapes.isText("Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", FactShapes.TEXT_MAX)).isTrue();
        assertThat(FactShapes.isText("Debian GNU/Linux", FactShapes.TEXT_MAX)).isTrue();
        assertThat(FactShapes.isText("Ubuntu 22.04 “Jammy” — Ünïcode", FactShapes.TEXT_MAX)).isTrue();
        assertThat(FactShapes.isText("a\nb", FactShapes.TEXT_MAX)).isFalse();
        assertThat(FactShapes.isText("a\u001b[31mred", FactShapes.TEXT_MAX)).as("a terminal escape").isFalse();
        assertThat(FactShapes.isText("abc\u202edcba", FactShapes.TEXT_MAX)).as("a direction override").isFalse();
        assertThat(FactShapes.isText("abc\u2066x", FactShapes.TEXT_MAX)).as("a direction isolate").isFalse();
        assertThat(FactShapes.isText("a\u2028b", FactShapes.TEXT_MAX)).as("a line separator").isFalse();
        assertThat(FactShapes.isText(HUGE, FactShapes.TEXT_MAX)).isFalse();
        assertThat(FactShapes.isMessage("statvfs /mnt/nfs did not return\n\tin time", FactShapes.MESSAGE_MAX)).isTrue();
        assertThat(FactShapes.isMessage("a\u001b[2Jb", FactShapes.MESSAGE_MAX)).isFalse();
    }

    @Test
    void aQuotedValueShowsWhatItHoldsOnOneLineAndShortened() {
        assertThat(FactShapes.quote("10.0.0.1\n6.6.6.6 node1")).isEqualTo("\"10.0.0.1\\n6.6.6.6 node1\"");
        assertThat(FactShapes.quote("a\u202eb\u001bc\"d\\")).isEqualTo("\"a\\u202eb\\u001bc\\\"d\\\\\"");
        assertThat(FactShapes.quote(HUGE)).startsWith("\"" + "1".repeat(100) + "\"")
                .endsWith("... (1000000 characters)").hasSizeLessThan(140);
        assertThat(FactShapes.quote(null)).isEqualTo("null");
    }
}

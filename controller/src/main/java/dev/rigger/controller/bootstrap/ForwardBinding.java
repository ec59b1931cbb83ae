package dev.rigger.controller.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where sshd really bound the remote forward to the bridge. rigger asks for 127.0.0.1, but the SSH protocol does not
 * report the address bound, and OpenSSH with {@code GatewayPorts yes} binds the wildcard address whatever the client
 * asks: anyone on the network could then reach the controller's bridge. So the host's own socket table is read.
 */
final class ForwardBinding {

    private ForwardBinding() {
    }

    /** Why the forward must not be used, or null when every listener on its port is on loopback (or none is seen). */
    static String refusal(String where, int port, List<String> listeners) {
        for (String listener : listeners) {
            InetAddress address = address(listener);
            if (address == null || !address.isLoopbackAddress()) {
                return where + ": sshd bound the agent's forward to "
                        + (address == null ? listener : address.getHostAddress()) + ":"
                        + port + ", not to loopback only: the controller's bridge would be open to the network"
                        + " (GatewayPorts yes in the host's sshd_config?); set GatewayPorts no or clientspecified in"
                        + " /etc/ssh/sshd_config and reload sshd";
            }
        }
        return null;
    }

    /** {@code 0100007F:9C40} is 127.0.0.1, {@code 00000000:9C40} is 0.0.0.0; tcp6 has four such words. */
    static InetAddress address(String listener) {
        int colon = listener.indexOf(':');
        String hex = colon < 0 ? "" : listener.substring(0, colon);
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        byte[] bytes = new byte[hex.length() / 2];
        try {
            for (int word = 0; word < bytes.length / 4; word++) {
                for (int i = 0; i < 4; i++) {
                    // each 32-bit word is printed in host (little-endian) order
                    int at = word * 8 + (3 - i) * 2;
                    bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
                }
            }
            return InetAddress.getByAddress(bytes);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }
}

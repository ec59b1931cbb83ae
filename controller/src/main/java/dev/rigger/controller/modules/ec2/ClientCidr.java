package dev.rigger.controller.modules.ec2;

/**
 * Who may reach a cluster from outside: an IPv4 CIDR given by the user, never a default. There is no EC2
 * call that tells a caller its own public address, and the local address of the route to the endpoint is
 * wrong behind NAT (a laptop, a CI runner), so the address is asked for. The whole internet
 * ({@code 0.0.0.0/0}) only when named: {@code world}.
 */
final class ClientCidr {
    static final String WORLD = "world";

    private static final String CHOICES = "give your egress address as a /32 (what https://checkip.amazonaws.com"
            + " shows from the controller, e.g. 203.0.113.7/32; behind NAT it is the NAT's public address), a range"
            + " such as 198.51.100.0/24, or 'world' to open to 0.0.0.0/0";

    private ClientCidr() {
    }

    /**
     * @param field the argument's name, for the message
     * @param value the user's text (null when not given)
     * @return the CIDR to put in the rules
     */
    static String parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("args." + field + ": required (playbook var client_cidr): " + CHOICES);
        }
        String v = value.strip();
        if (v.equals(WORLD)) {
            return "0.0.0.0/0";
        }
        String[] parts = v.split("/", -1);
        if (parts.length != 2 || !parts[0].matches("(\\d{1,3}\\.){3}\\d{1,3}") || !parts[1].matches("\\d{1,2}")) {
            throw new IllegalArgumentException("args." + field + ": expected an IPv4 CIDR such as 203.0.113.7/32, got '"
                    + v + "': " + CHOICES);
        }
        for (String octet : parts[0].split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("args." + field + ": '" + v + "' is not an IPv4 address: " + CHOICES);
            }
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix > 32) {
            throw new IllegalArgumentException("args." + field + ": prefix /" + prefix + " is longer than 32 bits");
        }
        if (prefix == 0) {
            throw new IllegalArgumentException("args." + field + ": '" + v + "' opens the cluster to the whole internet;"
                    + " write 'world' if that is what you want");
        }
        return v;
    }
}

package dev.rigger.controller.agents;

/**
 * A host reported facts that do not have their shape (a newline in an address, a comma in a host name):
 * they are not used, not cached, and the host takes no part in the run. The message names the host, each
 * bad field by its JSON pointer, and its value quoted.
 */
public class FactsRefusedException extends RuntimeException {
    private final String host;
    private final String reason;

    public FactsRefusedException(String host, String problems) {
        super(host + ": facts refused: " + problems);
        this.host = host;
        this.reason = "facts refused: " + problems;
    }

    public String host() {
        return host;
    }

    /** The message without the host's name: {@code facts refused: /defaultIpv4/address: expected ...}. */
    public String reason() {
        return reason;
    }
}

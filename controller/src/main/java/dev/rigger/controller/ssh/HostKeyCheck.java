package dev.rigger.controller.ssh;

import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * Travels with one connection attempt (as a MINA connection-context attribute) so that the host key
 * verifier knows which inventory host it is checking and can hand back why it refused the key: MINA
 * itself only reports "Server key did not validate".
 */
final class HostKeyCheck {

    static final AttributeKey<HostKeyCheck> KEY = new AttributeKey<>();

    private final SshTarget target;
    private volatile String refusal;

    HostKeyCheck(SshTarget target) {
        this.target = target;
    }

    SshTarget target() {
        return target;
    }

    void refuse(String reason) {
        refusal = reason;
    }

    String refusal() {
        return refusal;
    }
}

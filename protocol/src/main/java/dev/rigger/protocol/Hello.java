package dev.rigger.protocol;

import dev.rigger.protocol.facts.HostFacts;

/** The agent's first message: who it is, the one-time token it read from stdin, and its facts. */
public record Hello(int v, String host, String token, String agentVersion, HostFacts facts) {
    public static Hello of(String host, String token, String agentVersion, HostFacts facts) {
        return new Hello(ProtocolVersion.CURRENT, host, token, agentVersion, facts);
    }

    @Override
    public String toString() {
        // the token is a secret: never let it reach a log line through toString
        return "Hello[v=" + v + ", host=" + host + ", agentVersion=" + agentVersion + "]";
    }
}

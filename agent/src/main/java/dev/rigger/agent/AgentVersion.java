package dev.rigger.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from the build (the controller compares it with the jar it shipped). */
public final class AgentVersion {
    private AgentVersion() {
    }

    public static String get() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/rigger-agent.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a version is informational only
        }
        return "unknown";
    }
}

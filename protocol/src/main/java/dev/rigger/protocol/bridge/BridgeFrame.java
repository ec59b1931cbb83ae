package dev.rigger.protocol.bridge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One frame of the Vert.x TCP event-bus bridge. Client frames have type {@code send}, {@code publish},
 * {@code register}, {@code unregister} or {@code ping}; the bridge answers with {@code message},
 * {@code pong} or {@code err}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeFrame(String type, String address, String replyAddress, Map<String, String> headers,
                          JsonNode body, Boolean send, String message, Integer failureCode,
                          String failureType, String sourceAddress) {

    public static BridgeFrame send(String address, JsonNode body, String replyAddress) {
        return new BridgeFrame("send", address, replyAddress, Map.of(), body, null, null, null, null, null);
    }

    public static BridgeFrame publish(String address, JsonNode body) {
        return new BridgeFrame("publish", address, null, Map.of(), body, null, null, null, null, null);
    }

    public static BridgeFrame register(String address) {
        return new BridgeFrame("register", address, null, Map.of(), null, null, null, null, null, null);
    }

    public static BridgeFrame ping() {
        return new BridgeFrame("ping", null, null, null, null, null, null, null, null, null);
    }
}

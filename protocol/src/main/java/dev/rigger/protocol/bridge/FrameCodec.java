package dev.rigger.protocol.bridge;

import dev.rigger.protocol.ProtocolException;
import dev.rigger.protocol.ProtocolJson;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** The bridge's framing: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. */
public final class FrameCodec {
    /** Larger frames are refused: no message of ours comes near it, so it can only be garbage. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;

    public static byte[] encode(BridgeFrame frame) {
        try {
            byte[] json = ProtocolJson.MAPPER.writeValueAsBytes(frame);
            return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
        } catch (IOException e) {
            throw new ProtocolException("cannot encode frame", e);
        }
    }

    public static void write(OutputStream out, BridgeFrame frame) throws IOException {
        out.write(encode(frame));
        out.flush();
    }

    /** Reads one frame; returns null at a clean end of stream. */
    public static BridgeFrame read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new ProtocolException("frame length " + length + " out of range");
        }
        byte[] json = new byte[length];
        in.readFully(json);
        return ProtocolJson.MAPPER.readValue(json, BridgeFrame.class);
    }

    private FrameCodec() {
    }
}

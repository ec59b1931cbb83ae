package dev.rigger.playbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a playbook (or an inventory, or a vars file) as text, refusing what is not one: a device or FIFO ({@code /dev/zero} would be read
 * until memory runs out), a directory, a file too large to be a playbook, bytes that are not UTF-8.
 */
final class PlaybookFiles {

    /** Far above any real playbook (the largest shipped one is a few KiB), far below trouble. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** Why a file cannot be read; line and column are 0 unless the fault is at a place in it. */
    static final class Unreadable extends Exception {
        private final int line;
        private final int column;

        Unreadable(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    static String read(Path file) throws Unreadable {
        byte[] bytes;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new Unreadable("is a directory, not a file", 0, 0);
            }
            if (!attributes.isRegularFile()) {
                throw new Unreadable("not a regular file (a device, FIFO or socket)", 0, 0);
            }
            if (attributes.size() > MAX_BYTES) {
                throw new Unreadable("too large: " + attributes.size() + " bytes (at most " + MAX_BYTES + ")", 0, 0);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Unreadable("no such file", 0, 0);
        } catch (AccessDeniedException e) {
            throw new Unreadable("permission denied", 0, 0);
        } catch (IOException e) {
            throw new Unreadable("cannot read: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
                    0, 0);
        }
        if (bytes.length > MAX_BYTES) {
            throw new Unreadable("too large: more than " + MAX_BYTES + " bytes", 0, 0);
        }
        String text = decode(bytes);
        // editors on some systems start UTF-8 files with a byte-order mark; it is no part of the JSON
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Strict UTF-8: a bad byte is an error at its line and column, never a replacement character. */
    static String decode(byte[] bytes) throws Unreadable {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw new Unreadable(String.format("not UTF-8 text: byte 0x%02x cannot start or continue a character",
                    bytes[at] & 0xff), line, column);
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    private PlaybookFiles() {
    }
}

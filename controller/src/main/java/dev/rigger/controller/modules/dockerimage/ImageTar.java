package dev.rigger.controller.modules.dockerimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code docker save} tar holds, read from its {@code manifest.json} without unpacking: the image
 * id and tags, so a host that already has that image needs nothing shipped. Other entries are skipped.
 */
record ImageTar(Path path, long size, List<Entry> images) {
    private static final int BLOCK = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Entry(String id, List<String> tags) {
    }

    static ImageTar read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("image tar " + path + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            while (true) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) {
                    break;
                }
                String name = string(header, 345, 155).isEmpty() ? string(header, 0, 100)
                        : string(header, 345, 155) + "/" + string(header, 0, 100);
                long size = size(header, path);
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (name.equals("manifest.json") || name.equals("./manifest.json")) {
                    return new ImageTar(path, Files.size(path), entries(in.readNBytes((int) size), path));
                }
                skipFully(in, padded, path);
            }
        }
        throw new IOException(path + " is not an image archive of docker save: it has no manifest.json");
    }

    /** The id of the image tagged {@code name}, or null. */
    String idOf(String name) {
        return images.stream().filter(e -> e.tags().contains(name)).map(Entry::id).findFirst().orElse(null);
    }

    List<String> tags() {
        return images.stream().flatMap(e -> e.tags().stream()).toList();
    }

    private static List<Entry> entries(byte[] manifest, Path path) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode image : JSON.readTree(manifest)) {
            String config = image.path("Config").asText("");
            // "<hex>.json" (docker save up to 24) or "blobs/sha256/<hex>" (OCI layout, docker 25+)
            String hex = config.substring(config.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
            if (hex.isEmpty()) {
                throw new IOException("manifest.json in " + path + " names no image config");
            }
            List<String> tags = new ArrayList<>();
            image.path("RepoTags").forEach(t -> tags.add(t.asText()));
            entries.add(new Entry("sha256:" + hex, List.copyOf(tags)));
        }
        return entries;
    }

    private static long size(byte[] header, Path path) throws IOException {
        if ((header[124] & 0x80) != 0) {
            // base-256, for entries of 8 GiB and more
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xff);
            }
            return size;
        }
        String octal = string(header, 124, 12).trim();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException(path + " is not a tar archive (bad entry size '" + octal + "')", e);
        }
    }

    private static void skipFully(InputStream in, long count, Path path) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException(path + " ends in the middle of an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String string(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}

package dev.rigger.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sparse disk files on loop devices, through losetup(8): the kernel interface has no Java binding. */
final class LoopDevices {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELETED = " (deleted)";

    /** A loop device and the file behind it, as the kernel reports it. */
    record Attachment(String device, Path backingFile, boolean backingFileDeleted) {
    }

    /** Makes {@code file} a sparse file of exactly {@code bytes} bytes if it does not exist yet. */
    void createSparse(Path file, long bytes) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                return;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the disk file " + file, e);
        }
    }

    /** Attaches {@code file} to the next free loop device with partition scanning on; returns /dev/loopN. */
    String attach(Path file) {
        String device = Commands.run("losetup", "--find", "--show", "--partscan", file.toString())
                .orThrow().stdout().strip();
        if (!device.startsWith("/dev/loop")) {
            throw new LabException("losetup attached " + file + " but printed '" + device + "', not a loop device");
        }
        return device;
    }

    /** The loop device currently backed by {@code file}, if any. */
    Optional<String> deviceOf(Path file) {
        Path real = realPath(file);
        return list().stream().filter(a -> !a.backingFileDeleted() && a.backingFile().equals(real))
                .map(Attachment::device).findFirst();
    }

    /** Every attachment whose backing file lies (or lay, before it was deleted) below {@code dir}. */
    List<Attachment> under(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path real = realPath(dir);
        return list().stream()
                .filter(a -> a.backingFile().startsWith(absolute) || a.backingFile().startsWith(real))
                .toList();
    }

    /** Detaches {@code device}; a device that is already gone counts as detached. */
    void detach(String device) {
        Commands.Result result = Commands.run("losetup", "--detach", device);
        if (!result.ok() && list().stream().anyMatch(a -> a.device().equals(device))) {
            result.orThrow();
        }
    }

    List<Attachment> list() {
        String out = Commands.run("losetup", "--list", "--json", "--output", "NAME,BACK-FILE").orThrow().stdout();
        if (out.isBlank()) {
            return List.of();
        }
        try {
            List<Attachment> attachments = new ArrayList<>();
            for (JsonNode dev : JSON.readTree(out).path("loopdevices")) {
                String back = dev.path("back-file").asText("");
                boolean deleted = back.endsWith(DELETED);
                if (deleted) {
                    back = back.substring(0, back.length() - DELETED.length());
                }
                if (!back.isEmpty()) {
                    attachments.add(new Attachment(dev.path("name").asText(), Path.of(back), deleted));
                }
            }
            return attachments;
        } catch (IOException e) {
            throw new LabException("cannot parse `losetup --list --json`: " + e.getMessage(), e);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}

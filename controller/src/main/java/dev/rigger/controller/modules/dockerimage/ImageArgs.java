package dev.rigger.controller.modules.dockerimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;

/** The arguments of {@code docker_image}, checked. */
record ImageArgs(String name, Source source, Path path, boolean present, boolean force) {

    enum Source { PULL, CONTROLLER, FILE }

    static ImageArgs parse(ObjectNode args) {
        String name = args.path("name").asText("").strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("args.name: required (repo:tag)");
        }
        Source source = switch (args.path("source").asText("controller")) {
            case "pull" -> Source.PULL;
            case "controller" -> Source.CONTROLLER;
            case "file" -> Source.FILE;
            default -> throw new IllegalArgumentException("args.source: must be pull, controller or file, was '"
                    + args.path("source").asText() + "'");
        };
        String state = args.path("state").asText("present").toLowerCase(Locale.ROOT);
        if (!state.equals("present") && !state.equals("absent")) {
            throw new IllegalArgumentException("args.state: must be present or absent, was '" + state + "'");
        }
        JsonNode path = args.get("path");
        if (source == Source.FILE && state.equals("present") && (path == null || path.asText("").isBlank())) {
            throw new IllegalArgumentException("args.path: required with source file (a tar made by docker save)");
        }
        return new ImageArgs(withTag(name), source, path == null ? null : Path.of(path.asText()),
                state.equals("present"), args.path("force").asBoolean(false));
    }

    /** {@code repo} means {@code repo:latest} to Docker; saying so keeps ids and tags comparable. */
    static String withTag(String name) {
        if (name.contains("@")) {
            return name;
        }
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) >= 0 ? name : name + ":latest";
    }
}

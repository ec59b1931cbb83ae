package dev.rigger.agent.modules;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code force} argument of a destructive module: {@code false}, {@code true} (overwrite a signature,
 * a partition table), or {@code "held"}, which also overwrites a device another layer uses (an LVM
 * physical volume, an MD RAID member, a dm-crypt backing device). {@code true} alone never destroys a
 * device that holds up something else, whose loss would not show until that layer is next read.
 */
public enum Force {
    NO, YES, HELD;

    public static Force from(ModuleArgs args) {
        JsonNode v = args.raw("force");
        if (v == null || v.isNull()) {
            return NO;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? YES : NO;
        }
        if (v.isTextual() && v.asText().equals("held")) {
            return HELD;
        }
        throw new ArgsException(args.where("force") + ": expected true, false or \"held\", got " + v);
    }

    public boolean overwrites() {
        return this != NO;
    }
}

package dev.rigger.agent.modules.mount;

import dev.rigger.agent.facts.MountFacts;

/** One fstab(5) line: {@code source mountpoint type options dump pass}. */
record FstabEntry(String source, String mountpoint, String type, String options, String dump, String pass) {

    /** The entry of an fstab line, or null for a comment, a blank or a malformed line. */
    static FstabEntry parse(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] f = t.split("\\s+");
        if (f.length < 4) {
            return null;
        }
        return new FstabEntry(f[0], MountFacts.unescape(f[1]), f[2], f[3],
                f.length > 4 ? f[4] : "0", f.length > 5 ? f[5] : "0");
    }

    String render() {
        return String.join(" ", source, MountFacts.escape(mountpoint), type, options, dump, pass);
    }
}

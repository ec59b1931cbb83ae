package dev.rigger.controller.ssh;

/** Quoting for the POSIX shell that runs every exec command on the host. */
public final class Shell {

    private Shell() {
    }

    /** One argument, single-quoted so the remote shell takes it literally. */
    public static String quote(String argument) {
        if (!argument.isEmpty() && argument.matches("[A-Za-z0-9_./:=@%+,-]+")) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}

package dev.rigger.controller.bootstrap;

/**
 * A path on the host as {@code stat -c '%u %f %n'} shows it, without following a final symbolic link.
 *
 * @param uid  the owner
 * @param mode the raw mode: type bits and permission bits
 * @param path the path asked about
 */
record PathStat(int uid, int mode, String path) {

    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int LINK = 0120000;

    /** Parses {@code <uid> <hex mode> <path>}; null when the line has another shape. */
    static PathStat parse(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return null;
        }
        try {
            return new PathStat(Integer.parseInt(parts[0]), Integer.parseInt(parts[1], 16), parts[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean isLink() {
        return (mode & TYPE_MASK) == LINK;
    }

    boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    boolean isRegularFile() {
        return (mode & TYPE_MASK) == REGULAR;
    }

    int permissions() {
        return mode & 07777;
    }

    /** {@code 0775}, as chmod takes it. */
    String octal() {
        return String.format("%04o", permissions());
    }
}

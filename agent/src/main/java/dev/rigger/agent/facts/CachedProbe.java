package dev.rigger.agent.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The last answer of a probe that forks a command, reused while the files that decide the answer are
 * unchanged and the answer is younger than {@code maxAge}. A fork is most of what a gather costs, and
 * {@code getconf} or {@code hostname -f} say the same thing until their configuration changes.
 */
final class CachedProbe<T> {
    private final List<Path> dependsOn;
    private final Duration maxAge;
    private volatile Entry<T> last;

    private record Entry<T>(String stamp, long atNanos, T value) {
    }

    CachedProbe(List<Path> dependsOn, Duration maxAge) {
        this.dependsOn = List.copyOf(dependsOn);
        this.maxAge = maxAge;
    }

    /** The cached answer for {@code key}, or the probe's new one; a probe that throws caches nothing. */
    T get(String key, Supplier<T> probe) {
        String stamp = key + "|" + stamp();
        Entry<T> e = last;
        long now = System.nanoTime();
        if (e != null && e.stamp.equals(stamp) && now - e.atNanos < maxAge.toNanos()) {
            return e.value;
        }
        T value = probe.get();
        last = new Entry<>(stamp, now, value);
        return value;
    }

    /** Modification time, change time and size of each file; a missing file is a state too. */
    private String stamp() {
        StringBuilder b = new StringBuilder();
        for (Path p : dependsOn) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                b.append(a.lastModifiedTime().toMillis()).append('/').append(a.size());
                Object ctime = Files.getAttribute(p, "unix:ctime");
                b.append('/').append(ctime);
            } catch (IOException | UnsupportedOperationException e) {
                b.append('-');
            }
            b.append(';');
        }
        return b.toString();
    }
}

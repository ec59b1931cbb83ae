package dev.rigger.agent.modules.preallocate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;

/**
 * The {@code preallocate} arguments, checked at the edge.
 *
 * @param path         mountpoint of the XFS filesystem that gets the bins (they live at its root)
 * @param binSizeBytes {@code binSizeGiB} (a number, fractions allowed if they come to whole bytes) or
 *                     {@code binSize} (a size string like "256M", or bytes) in bytes; 10 GiB when neither is given
 * @param spare        bins' worth of space left free
 * @param owner        owner of the bins, or null to leave it
 * @param group        group of the bins, or null to leave it
 * @param device       the device that must be mounted at {@code path}, or null for whatever is
 * @param fstab        where a line for {@code path} is looked up when mounting again
 */
record PreallocateOptions(String path, long binSizeBytes, int spare, String owner, String group, String device,
                          Path fstab) {
    static final Path DEFAULT_FSTAB = Path.of("/etc/fstab");
    private static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

    static PreallocateOptions parse(ObjectNode raw) {
        ModuleArgs args = new ModuleArgs(raw);
        String path = args.requiredString("path");
        if (!path.startsWith("/")) {
            throw new ArgsException("args.path: expected the absolute path of a mountpoint, got \"" + path + "\"");
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (args.has("binSizeGiB") && args.has("binSize")) {
            throw new ArgsException("args.binSize: give binSizeGiB (a number of GiB) or binSize (a size like \"256M\"), not both");
        }
        long binSize;
        if (args.has("binSize")) {
            Long bytes = args.size("binSize");
            if (bytes == null || bytes <= 0) {
                throw new ArgsException("args.binSize: expected a size above 0 like \"256M\" or \"10G\", got " + args.raw("binSize"));
            }
            binSize = bytes;
        } else {
            binSize = binSizeBytes(args.raw("binSizeGiB"));
        }
        return new PreallocateOptions(path, binSize, spare(args.raw("spare")),
                args.principal("owner"), args.principal("group"), args.string("device", null),
                Path.of(args.string("fstabPath", DEFAULT_FSTAB.toString())));
    }

    static long binSizeBytes(JsonNode v) {
        if (v == null || v.isNull()) {
            return 10L << 30;
        }
        if (!v.isNumber()) {
            throw new ArgsException("args.binSizeGiB: expected a number of GiB like 10 or 0.25, got " + v);
        }
        BigDecimal bytes = v.decimalValue().multiply(GIB);
        if (bytes.signum() <= 0) {
            throw new ArgsException("args.binSizeGiB: expected more than 0, got " + v);
        }
        BigInteger whole;
        try {
            whole = bytes.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new ArgsException("args.binSizeGiB: " + v + " GiB is not a whole number of bytes (" + bytes.toPlainString() + ")");
        }
        if (whole.bitLength() > 62) {
            throw new ArgsException("args.binSizeGiB: " + v + " is too large");
        }
        return whole.longValueExact();
    }

    static int spare(JsonNode v) {
        if (v == null || v.isNull()) {
            return 1;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            throw new ArgsException("args.spare: expected a whole number of bins (0 or more), got " + v);
        }
        return v.asInt();
    }

    boolean fstabIsDefault() {
        return fstab.equals(DEFAULT_FSTAB);
    }
}

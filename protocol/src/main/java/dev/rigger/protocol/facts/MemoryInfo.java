package dev.rigger.protocol.facts;

/**
 * Memory and swap beyond {@link HostFacts#memTotalBytes()}, in bytes, from /proc/meminfo (kB × 1024).
 * A field is null when the kernel does not report it ({@code MemAvailable} appeared in Linux 3.14).
 *
 * @param freeBytes      {@code MemFree}: memory not used at all
 * @param availableBytes {@code MemAvailable}: what new programs can get without swapping (free plus
 *                       reclaimable cache); the figure to compare a requirement against
 * @param swapTotalBytes {@code SwapTotal}
 * @param swapFreeBytes  {@code SwapFree}
 */
public record MemoryInfo(Long freeBytes, Long availableBytes, Long swapTotalBytes, Long swapFreeBytes) {
}

package dev.rigger.lab.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** One page of a Describe answer and the opaque token for the next (an offset, base64-encoded). */
record Page<T>(List<T> items, String nextToken) {
    static <T> Page<T> of(List<T> all, Integer maxResults, String token) {
        int offset = 0;
        if (token != null) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (!decoded.startsWith("offset:")) {
                    throw new IllegalArgumentException(decoded);
                }
                offset = Integer.parseInt(decoded.substring("offset:".length()));
            } catch (IllegalArgumentException e) {
                throw Ec2ApiException.invalid("NextToken", token, "The token is not valid.");
            }
        }
        if (maxResults == null) {
            return new Page<>(all.subList(Math.min(offset, all.size()), all.size()), null);
        }
        int end = Math.min(all.size(), offset + maxResults);
        List<T> items = all.subList(Math.min(offset, all.size()), end);
        String next = end < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + end).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(items, next);
    }
}

package dev.keyward.core;

import java.util.List;

/** One page of keys, newest first; {@code nextCursor} is null on the last page. */
public record KeyPage(List<ApiKey> keys, String nextCursor) {
    public KeyPage {
        keys = List.copyOf(keys);
    }
}

package dev.keyward.core;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link WebhookSender} that keeps each post and answers what it is told: a status, or an exception. */
final class RecordingSender implements WebhookSender {
    record Post(URI url, Map<String, String> headers, String body) {
    }

    final List<Post> posts = new ArrayList<>();
    int status = 204;
    IOException failure;

    @Override
    public int post(URI url, Map<String, String> headers, String body) throws IOException {
        posts.add(new Post(url, Map.copyOf(headers), body));
        if (failure != null) {
            throw failure;
        }
        return status;
    }
}

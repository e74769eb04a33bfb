package dev.keyward.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The event types a webhook endpoint may subscribe to: the types of the events Keyward publishes
 * for every committed change of a key or an account's settings. A test event ({@link #TEST}) goes
 * only to the endpoint it was sent to, whatever it subscribed to.
 */
public final class WebhookEventTypes {
    public static final String TEST = "webhook.test";
    public static final SortedSet<String> ALL = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(
            "key.created", "key.updated", "key.rotated", "key.deleted", "key.secret_viewed", "key.leaked",
            "key.expiring", "key.expired", "settings.updated")));

    private WebhookEventTypes() {
    }

    /**
     * The types as stored: at least one, each one of {@link #ALL} (repeats count once).
     *
     * @param types null for a member that was not a string
     * @throws KeywardException {@link ErrorCode#INVALID_WEBHOOK_EVENTS} otherwise
     */
    public static SortedSet<String> of(Collection<String> types) {
        if (types == null || types.isEmpty()) {
            throw invalid();
        }
        SortedSet<String> chosen = new TreeSet<>();
        for (String type : types) {
            if (type == null || !ALL.contains(type)) {
                throw invalid();
            }
            chosen.add(type);
        }
        return Collections.unmodifiableSortedSet(chosen);
    }

    /** The answer to events that are missing, empty, not an array or name an unknown type. */
    public static KeywardException invalid() {
        List<String> names = new ArrayList<>(ALL);
        return new KeywardException(ErrorCode.INVALID_WEBHOOK_EVENTS,
                "'events' must be a non-empty JSON array of event types: " + String.join(", ", names) + ".");
    }
}

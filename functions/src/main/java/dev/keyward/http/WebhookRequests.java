package dev.keyward.http;

import dev.keyward.core.AccountIds;
import dev.keyward.core.ErrorCode;
import dev.keyward.core.KeywardException;
import dev.keyward.core.WebhookEventTypes;
import dev.keyward.core.Webhooks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The webhook routes' bodies, parsed into the typed requests {@code core} takes. */
public final class WebhookRequests {
    private WebhookRequests() {
    }

    /** {@code POST /accounts/{accountId}/webhooks {"url": "https://...", "events": ["key.deleted", ...]}}. */
    public static Webhooks.NewWebhook newWebhook(ApiRequest request) {
        return newWebhook(request.jsonObject(Set.of("url", "events")), request.pathParameter("accountId"));
    }

    /**
     * The optional body of {@code POST .../rotate-secret}: {@code {"overlapSeconds": 0..86400}}.
     * No body, or one without the member, asks for the default (null); {@code accountId} is checked
     * first. The range is checked by {@link Webhooks#rotateSecret}.
     */
    public static Long overlapSeconds(ApiRequest request, String accountId) {
        AccountIds.require(accountId);
        if (!request.hasBody()) {
            return null;
        }
        Map<String, Object> body = request.jsonObject(Set.of("overlapSeconds"));
        if (!body.containsKey("overlapSeconds")) {
            return null;
        }
        Long seconds = ApiRequest.wholeNumber(body.get("overlapSeconds"));
        if (seconds == null) {
            throw new KeywardException(ErrorCode.INVALID_OVERLAP_SECONDS,
                    "overlapSeconds must be a whole number from 0 to " + Webhooks.MAX_OVERLAP_SECONDS + ".");
        }
        return seconds;
    }

    /** A register body, parsed; {@code accountId} is checked first. */
    public static Webhooks.NewWebhook newWebhook(Map<String, Object> body, String accountId) {
        AccountIds.require(accountId);
        String url = JsonBodies.optionalString(body, "url", ErrorCode.INVALID_WEBHOOK_URL);
        if (url == null) {
            throw new KeywardException(ErrorCode.INVALID_WEBHOOK_URL, "'url' is required: the https URL to post events to.");
        }
        if (!(body.get("events") instanceof Collection<?> items)) {
            throw WebhookEventTypes.invalid();
        }
        List<String> types = new ArrayList<>(items.size());
        for (Object item : items) {
            types.add(item instanceof String type ? type : null);
        }
        return new Webhooks.NewWebhook(url, WebhookEventTypes.of(types));
    }
}

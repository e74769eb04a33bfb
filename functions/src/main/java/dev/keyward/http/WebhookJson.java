package dev.keyward.http;

import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.Webhooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Webhook endpoints as the API shows them: never a signing secret, but where it is given once. */
public final class WebhookJson {
    private WebhookJson() {
    }

    public static Map<String, Object> of(WebhookEndpoint endpoint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", endpoint.id());
        json.put("url", endpoint.url());
        json.put("events", List.copyOf(endpoint.events()));
        json.put("createdAt", endpoint.createdAt().toString());
        json.put("lastDelivery", endpoint.lastDelivery() == null ? null : delivery(endpoint.lastDelivery()));
        List<Map<String, Object>> recent = new ArrayList<>();
        endpoint.recentDeliveries().forEach(delivery -> recent.add(delivery(delivery)));
        json.put("recentDeliveries", recent);
        return json;
    }

    /** A new endpoint, with its signing secret (shown this once). */
    public static Map<String, Object> withSecret(WebhookEndpoint endpoint, String secret) {
        Map<String, Object> json = of(endpoint);
        json.put("secret", secret);
        return json;
    }

    /** A rotation's answer: the new secret (shown this once) and when the previous one stops signing. */
    public static Map<String, Object> rotated(Webhooks.RotatedSecret rotated) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("secret", rotated.secret());
        json.put("previousSecretValidUntil", rotated.previousValidUntil() == null ? null : rotated.previousValidUntil().toString());
        return json;
    }

    public static Map<String, Object> list(List<WebhookEndpoint> endpoints) {
        List<Map<String, Object>> items = new ArrayList<>();
        endpoints.forEach(endpoint -> items.add(of(endpoint)));
        return Map.of("webhooks", items);
    }

    public static Map<String, Object> delivery(WebhookEndpoint.Delivery delivery) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("eventId", delivery.eventId());
        json.put("eventType", delivery.eventType());
        json.put("at", delivery.at().toString());
        json.put("attempt", delivery.attempt());
        json.put("outcome", delivery.outcome().wireName());
        json.put("responseStatus", delivery.responseStatus());
        json.put("error", delivery.error());
        return json;
    }
}

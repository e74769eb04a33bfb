package dev.keyward.events;

import dev.keyward.aws.EventItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events in a batch of the keys table's stream records, as Lambda hands them to the publisher
 * (and as the local API reads them): the document of each new item that holds one
 * ({@link EventItems#EVENT}). Every other record (a key's change, an item that TTL removed) is no
 * event; the template's filter keeps most of them away, this keeps the rest.
 */
public final class StreamRecords {
    private StreamRecords() {
    }

    /** @param records the {@code Records} of a DynamoDB stream event, as JSON gives them */
    public static List<String> events(List<?> records) {
        List<String> events = new ArrayList<>();
        for (Object record : records) {
            if (!(record instanceof Map<?, ?> fields) || !"INSERT".equals(fields.get("eventName"))) {
                continue;
            }
            if (fields.get("dynamodb") instanceof Map<?, ?> change && change.get("NewImage") instanceof Map<?, ?> image
                    && image.get(EventItems.EVENT) instanceof Map<?, ?> attribute && attribute.get("S") instanceof String json) {
                events.add(json);
            }
        }
        return events;
    }
}

package dev.keyward.events;

import dev.keyward.aws.EventItems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads the keys table's stream as Lambda's event source mapping does when deployed, for the
 * local API and the tests: the events of the records since the last poll go to the sink, and the
 * poller moves past them only once the sink accepted them. A sink that fails gets the same events
 * again at the next poll, with the same ids.
 */
public final class StreamPoller {
    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final EventSink sink;
    private final Map<String, String> positions = new HashMap<>();

    public StreamPoller(DynamoDbStreamsClient streams, String streamArn, EventSink sink) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.sink = sink;
    }

    /**
     * Publishes what the stream holds since the last poll that succeeded.
     *
     * @return how many events the sink accepted
     * @throws RuntimeException the sink's failure: nothing is skipped, the next poll starts where this one did
     */
    public synchronized int poll() {
        int published = 0;
        for (Shard shard : streams.describeStream(d -> d.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = positions.get(shard.shardId());
            if (iterator == null) {
                iterator = streams.getShardIterator(g -> g.streamArn(streamArn).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            }
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = streams.getRecords(g -> g.shardIterator(from));
                List<String> events = events(page.records());
                if (!events.isEmpty()) {
                    sink.publish(events);
                    published += events.size();
                }
                positions.put(shard.shardId(), page.nextShardIterator() == null ? from : page.nextShardIterator());
                if (page.records().isEmpty() || page.nextShardIterator() == null) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        return published;
    }

    static List<String> events(List<Record> records) {
        List<String> events = new ArrayList<>();
        for (Record record : records) {
            if (!"INSERT".equals(record.eventNameAsString()) || record.dynamodb() == null) {
                continue;
            }
            AttributeValue event = record.dynamodb().newImage().get(EventItems.EVENT);
            if (event != null && event.s() != null) {
                events.add(event.s());
            }
        }
        return events;
    }
}

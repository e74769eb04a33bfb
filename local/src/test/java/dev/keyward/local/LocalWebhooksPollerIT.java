package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.DependencyUnavailableException;
import dev.keyward.core.WebhookDelivery;
import dev.keyward.core.WebhookEndpoint;
import dev.keyward.core.WebhookPorts;
import dev.keyward.core.WebhookStore;
import dev.keyward.core.Webhooks;
import dev.keyward.handler.DeliverWebhooksHandler;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import dev.keyward.it.WebhookReceiver;
import dev.keyward.runtime.Keyward;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local delivery queue and its poller over the emulator, with the delivery function's ports
 * failing on purpose: nothing handed to the queue is lost.
 */
@ExtendWith(AwsEnvironment.class)
class LocalWebhooksPollerIT {
    @Test
    void an_event_whose_fan_out_failed_comes_back_after_its_wait_and_is_delivered_with_its_id(Aws aws) throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(0)) {
            WebhookPorts real = Keyward.webhooks(aws.settings(), aws.clients(), Clock.systemUTC(), true);
            Webhooks.Registered endpoint = new Webhooks(real).register("acme-fanout",
                    new Webhooks.NewWebhook(receiver.url.toString(), new TreeSet<>(List.of("key.created"))),
                    "arn:aws:iam::123456789012:user/local-developer");
            receiver.control(endpoint.secret(), List.of(), 5.0);
            // DynamoDB busy at the first fan-out: its Query fails as the adapter fails it
            AtomicInteger lists = new AtomicInteger();
            WebhookPorts failingOnce = new WebhookPorts(new FailingFirstList(real.store(), lists), real.secrets(), real.urls(),
                    real.sender(), real.clock(), real.log());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            LocalWebhooks.Plan plan = LocalWebhooks.Plan.of(CfnYaml.read(Path.of("../infra/template.yaml")));
            // the deployed schedule but a second's wait, so the test does not wait 30 s
            WebhookDelivery delivery = new WebhookDelivery(failingOnce, List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)));
            try (LocalWebhooks webhooks = LocalWebhooks.start(aws.settings(), aws.clients(), plan,
                    queueUrl -> new DeliverWebhooksHandler(delivery, Keyward.deliveryQueue(aws.clients(), queueUrl)),
                    new PrintStream(printed, true, StandardCharsets.UTF_8))) {
                assertNotNull(webhooks, printed.toString(StandardCharsets.UTF_8));
                String document = "{\"id\":\"evt_01M97NHD1FH76QVGQEJDYWSX1G\",\"type\":\"key.created\",\"version\":\"1\","
                        + "\"time\":\"2026-12-07T07:12:23.087Z\",\"accountId\":\"acme-fanout\",\"keyId\":\"key_01M97NHCSB3S103TH6WR003G5K\","
                        + "\"clientId\":\"kw_cid_UGCrMNcj3l1z0b3oc4W4ja\",\"actor\":{\"type\":\"admin\",\"id\":null},"
                        + "\"data\":{\"expiresAt\":null,\"scopes\":[]}}";
                webhooks.sink().publish(List.of(document));

                Instant deadline = Instant.now().plusSeconds(30);
                while (receiver.deliveries().isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                List<Map<String, Object>> deliveries = receiver.deliveries();
                assertEquals(1, deliveries.size(), "delivered once the fan-out worked: " + deliveries);
                assertEquals("evt_01M97NHD1FH76QVGQEJDYWSX1G", deliveries.get(0).get("webhookId"));
                assertEquals(Boolean.TRUE, deliveries.get(0).get("verified"));
                assertTrue(lists.get() >= 2, "the event was fanned out again after the failure");
            }
        }
    }

    /** A store whose first list fails as DynamoDB's adapter fails when AWS is busy. */
    private static final class FailingFirstList extends ForwardingWebhookStore {
        private final AtomicInteger lists;

        FailingFirstList(WebhookStore store, AtomicInteger lists) {
            super(store);
            this.lists = lists;
        }

        @Override
        public List<WebhookEndpoint> list(String accountId) {
            if (lists.incrementAndGet() == 1) {
                throw new DependencyUnavailableException("DynamoDB", new IllegalStateException("throttled"));
            }
            return super.list(accountId);
        }
    }
}

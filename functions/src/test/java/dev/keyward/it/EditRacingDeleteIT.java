package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.keyward.it.AwsEnvironment.Aws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Edit (which reads the key, then its secret) while the key is being deleted. */
@ExtendWith(AwsEnvironment.class)
class EditRacingDeleteIT {
    private static final int ROUNDS = 25;

    @Test
    void edit_answersOnly200Or404_whileTheKeyIsDeleted(Aws aws) throws Exception {
        Api api = new Api(aws.service());
        Map<Integer, Integer> answers = new TreeMap<>();
        List<String> bodies = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String account = "race-" + round;
                String keyId = (String) api.createKey(account, "Warehouse Dashboard").get("id");
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<List<APIGatewayProxyResponseEvent>>> editors = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    // an admin who keeps clicking Edit until the key is gone
                    editors.add(CompletableFuture.supplyAsync(() -> {
                        await(start);
                        List<APIGatewayProxyResponseEvent> seen = new ArrayList<>();
                        for (int n = 0; n < 50; n++) {
                            APIGatewayProxyResponseEvent response = api.get.handleRequest(Events.get(account, keyId), null);
                            seen.add(response);
                            if (response.getStatusCode() != 200) {
                                break;
                            }
                        }
                        return seen;
                    }, threads));
                }
                CompletableFuture<APIGatewayProxyResponseEvent> delete = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return api.delete.handleRequest(Events.delete(account, keyId), null);
                }, threads);
                start.countDown();
                assertEquals(204, delete.get().getStatusCode(), delete.get().getBody());
                for (CompletableFuture<List<APIGatewayProxyResponseEvent>> editor : editors) {
                    for (APIGatewayProxyResponseEvent response : editor.get()) {
                        answers.merge(response.getStatusCode(), 1, Integer::sum);
                        if (response.getStatusCode() != 200 && response.getStatusCode() != 404) {
                            bodies.add(response.getBody());
                        }
                    }
                }
                Invariants.assertHold(aws, account);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(Set.of(200, 404).containsAll(answers.keySet()), answers + " " + bodies);
    }

    private static void await(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

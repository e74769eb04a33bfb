package dev.keyward.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.keyward.handler.Functions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Priming's run over ports answering from memory walks the found-key path in every round, as
 * {@link Priming} runs it: the same handler, the same event, {@link Priming#ROUNDS} times.
 */
class InMemoryPrimingTest {

    @Test
    void everyOfflinePriming_answersTheFoundKeysPath_inEveryRound() throws IOException {
        for (Functions function : Functions.values()) {
            PrimingPlan plan = function.priming();
            if (plan == null || !plan.inMemory()) {
                continue;
            }
            InMemoryServices services = new InMemoryServices();
            RequestStreamHandler handler = function.over(services);
            byte[] event = plan.authorizerEvent() ? Priming.authorizerEvent(services.allowedAuthorization())
                    : Priming.proxyEvent(function.method(), function.path(), plan.inMemoryBody());
            for (int round = 1; round <= Priming.ROUNDS; round++) {
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(event), answer, null);
                Map<String, Object> json = JSON.std.mapFrom(answer.toByteArray());
                if (plan.authorizerEvent()) {
                    assertTrue(answer.toString().contains("\"Allow\""), function + " round " + round + ": " + answer);
                } else {
                    assertEquals(expected(function), json.get("statusCode"), function + " round " + round + ": " + answer);
                }
            }
        }
    }

    private static int expected(Functions function) {
        return switch (function) {
            case CREATE_KEY -> 201;
            case DELETE_KEY -> 204;
            default -> 200;
        };
    }
}

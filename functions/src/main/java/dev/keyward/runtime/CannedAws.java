package dev.keyward.runtime;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * For priming the found-item paths through the SDK itself: an HTTP client that never opens a
 * connection but answers DynamoDB's and Secrets Manager's JSON protocols from memory, so the
 * SDK's own marshalling, signing, response handling and unmarshalling, and the adapters' code for
 * an item that exists, run before the snapshot. What is written through it (PutItem,
 * TransactWriteItems' Puts, CreateSecret) is kept, and read back by GetItem, Query and
 * GetSecretValue; every other call is answered as a success. Nothing is ever deleted, so a
 * function that deletes finds its item again on the next walk. It only ever serves the clients
 * {@link CannedServices} builds for priming: no real data, no real credentials.
 */
final class CannedAws implements SdkHttpClient {
    private static final String DYNAMO = "DynamoDB_20120810.";
    private static final String SECRETS = "secretsmanager.";

    /** Items by pk, then sk, as DynamoDB's JSON holds them. */
    private final Map<String, Map<String, Map<String, Object>>> items = new ConcurrentHashMap<>();
    /** Secret strings by name. */
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    /** What {@link #answer} answers: the JSON body and the headers AWS sends with it (not its length). */
    record Answer(byte[] json, Map<String, String> headers) {
    }

    /**
     * The answer to one call: {@code target} is its {@code X-Amz-Target} header, {@code body} its
     * JSON. Also served over HTTP on the loopback interface by {@link LoopbackAws}.
     */
    Answer answer(String target, InputStream body) throws IOException {
        Map<String, Object> request = body(body);
        boolean dynamo = target.startsWith(DYNAMO);
        Map<String, Object> answer = dynamo ? dynamo(target.substring(DYNAMO.length()), request)
                : secrets(target.substring(target.indexOf('.') + 1), request);
        byte[] json = JSON.std.asBytes(answer);
        if (!dynamo) {
            return new Answer(json, Map.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-RequestId", "priming"));
        }
        // DynamoDB sends the CRC32 of every answer, and the SDK checks it
        CRC32 crc = new CRC32();
        crc.update(json);
        return new Answer(json, Map.of("Content-Type", "application/x-amz-json-1.0", "x-amzn-RequestId", "priming",
                "x-amz-crc32", Long.toString(crc.getValue())));
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                Optional<InputStream> body = request.contentStreamProvider().map(p -> p.newStream());
                Answer answer = answer(target, body.orElseGet(() -> new ByteArrayInputStream(new byte[0])));
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(200)
                        .putHeader("Content-Length", Integer.toString(answer.json().length));
                answer.headers().forEach(response::putHeader);
                return HttpExecuteResponse.builder()
                        .response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.json())))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    private Map<String, Object> dynamo(String operation, Map<String, Object> body) {
        switch (operation) {
            case "PutItem" -> keep(map(body.get("Item")));
            case "TransactWriteItems" -> {
                for (Object write : list(body.get("TransactItems"))) {
                    Map<String, Object> put = map(map(write).get("Put"));
                    if (!put.isEmpty()) {
                        keep(map(put.get("Item")));
                    }
                }
            }
            case "GetItem" -> {
                Map<String, Object> key = map(body.get("Key"));
                Map<String, Object> item = item(key);
                return item == null ? Map.of() : Map.of("Item", item);
            }
            case "UpdateItem" -> {
                Map<String, Object> key = map(body.get("Key"));
                Map<String, Object> item = item(key);
                return item == null ? Map.of() : Map.of("Attributes", item);
            }
            case "Query" -> {
                String pk = s(map(body.get("ExpressionAttributeValues")).get(":pk"));
                Map<String, Map<String, Object>> partition = items.get(pk);
                List<Object> found = partition == null ? List.of() : new ArrayList<>(partition.values());
                if ("COUNT".equals(body.get("Select"))) {
                    return Map.of("Count", found.size(), "ScannedCount", found.size());
                }
                return Map.of("Items", found, "Count", found.size(), "ScannedCount", found.size());
            }
            default -> {
                // DeleteItem, and anything else: a success that changes nothing
            }
        }
        return Map.of();
    }

    private Map<String, Object> secrets(String operation, Map<String, Object> body) {
        String name = operation.equals("CreateSecret") ? (String) body.get("Name") : name((String) body.get("SecretId"));
        if (operation.equals("CreateSecret") || operation.equals("PutSecretValue")) {
            secrets.put(name, (String) body.get("SecretString"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-Primed");
        answer.put("Name", name);
        answer.put("VersionId", "00000000-0000-0000-0000-000000000000");
        if (operation.equals("GetSecretValue") && secrets.containsKey(name)) {
            answer.put("SecretString", secrets.get(name));
            answer.put("VersionStages", List.of("AWSCURRENT"));
            answer.put("CreatedDate", 1.7670336E9);
        }
        return answer;
    }

    /** A secret's name, given its name or the ARN this client handed out. */
    private static String name(String secretId) {
        if (secretId == null || !secretId.startsWith("arn:")) {
            return secretId;
        }
        String name = secretId.substring(secretId.indexOf(":secret:") + ":secret:".length());
        return name.endsWith("-Primed") ? name.substring(0, name.length() - "-Primed".length()) : name;
    }

    private Map<String, Object> item(Map<String, Object> key) {
        Map<String, Map<String, Object>> partition = items.get(s(key.get("pk")));
        return partition == null ? null : partition.get(s(key.get("sk")));
    }

    private void keep(Map<String, Object> item) {
        if (!item.isEmpty()) {
            items.computeIfAbsent(s(item.get("pk")), pk -> new ConcurrentHashMap<>()).put(s(item.get("sk")), item);
        }
    }

    private static Map<String, Object> body(InputStream stream) throws IOException {
        try (InputStream in = stream) {
            byte[] json = in.readAllBytes();
            return json.length == 0 ? Map.of() : JSON.std.mapFrom(json);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    /** The string of a DynamoDB attribute value ({"S": ...}). */
    private static String s(Object attribute) {
        Object s = map(attribute).get("S");
        return s == null ? "" : s.toString();
    }

    @Override
    public String clientName() {
        return "KeywardPriming";
    }

    @Override
    public void close() {
    }
}

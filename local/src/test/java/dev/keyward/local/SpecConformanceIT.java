package dev.keyward.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.core.WebhookPorts;
import dev.keyward.core.WebhookUrls;
import dev.keyward.runtime.Keyward;
import dev.keyward.runtime.Services;
import dev.keyward.runtime.Wiring;
import dev.keyward.runtime.WithWebhooks;
import dev.keyward.it.AwsEnvironment;
import dev.keyward.it.AwsEnvironment.Aws;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * infra/openapi.yaml and the API agree: schemathesis (pinned in local/conformance/requirements.txt,
 * installed into .venv by make) generates requests from the spec, positive and negative, and
 * checks every answer against it, over HTTP to the local API with the real handlers and the
 * emulator. Configuration and budget: local/conformance/schemathesis.toml.
 */
@ExtendWith(AwsEnvironment.class)
class SpecConformanceIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CASES = Pattern.compile("(\\d+) generated, (\\d+) passed");
    /** The least number of generated cases the run must reach to count. */
    private static final int MIN_CASES = 500;

    @Test
    void schemathesis_shouldFindNoDisagreement(Aws aws) throws Exception {
        Path schemathesis = ROOT.resolve(System.getProperty("keyward.venv", ".venv")).resolve("bin/schemathesis");
        assertTrue(Files.isExecutable(schemathesis),
                schemathesis + " is missing: run 'make test' (it installs local/conformance/requirements.txt into .venv)");
        Gateway gateway = new Gateway(RouteTable.load(ROOT.resolve("infra/openapi.yaml"), ROOT.resolve("infra/template.yaml")),
                Replies.EVENTS, LocalApi.handlersOver(services(aws)), LocalApi.authorizersOver(services(aws)));
        try (LocalServer server = new LocalServer(gateway, new Console(null), "127.0.0.1", 0, 64, false)) {
            server.start();
            Map<String, Object> key = createKey(server.port());
            Path log = Path.of("target/schemathesis.log").toAbsolutePath();
            ProcessBuilder run = new ProcessBuilder(schemathesis.toString(), "--no-color",
                    "--config-file", ROOT.resolve("local/conformance/schemathesis.toml").toString(),
                    "run", ROOT.resolve("infra/openapi.yaml").toString(), "--url", "http://127.0.0.1:" + server.port())
                    .directory(Path.of("target").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            run.environment().put("SCHEMATHESIS_HOOKS", "keyward_formats");
            run.environment().put("PYTHONPATH", ROOT.resolve("local/conformance").toString());
            run.environment().put("KEYWARD_CLIENT_ID", (String) key.get("clientId"));
            run.environment().put("KEYWARD_CLIENT_SECRET", (String) key.get("clientSecret"));
            Process process = run.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("schemathesis ran over 10 minutes; see " + log);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "schemathesis found disagreements (" + log + "):\n" + output);
            Matcher cases = CASES.matcher(output);
            assertTrue(cases.find(), "no case count in " + log);
            int generated = Integer.parseInt(cases.group(1));
            assertTrue(generated >= MIN_CASES, "only " + generated + " cases generated; the budget is at least " + MIN_CASES);
            System.out.println("schemathesis: " + cases.group() + " (" + log + ")");
        }
    }

    /** A key whose credentials schemathesis calls /whoami with. */
    private static Map<String, Object> createKey(int port) throws IOException {
        byte[] body = "{\"name\":\"Conformance\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer created = RawHttp.exchange(port, RawHttp.concat(RawHttp.request("POST", "/accounts/conformance/keys",
                "Content-Type: application/json", "Content-Length: " + body.length), body));
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    private static Services services(Aws aws) throws IOException {
        Wiring keys = new Wiring(aws.service().ports(), Keyward.keyUsage(aws.settings(), aws.clients(), Clock.systemUTC()),
                Keyward.leakResponder(aws.settings(), aws.clients(), aws.service().ports(), Clock.systemUTC()),
                dev.keyward.core.ReportSignatures.none(), Keyward.verifier(aws.settings(), aws.clients(), Clock.systemUTC()),
                LocalApi.routeScopes(ROOT.resolve("infra/template.yaml"), java.util.Map.of()));
        // webhook endpoints and secrets in the emulator; no URL schemathesis makes up is looked up
        // or posted to: every host "resolves" to one public address and answers 204
        WebhookPorts real = Keyward.webhooks(aws.settings(), aws.clients(), Clock.systemUTC(), false);
        InetAddress somewherePublic = InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 215, 14});
        WebhookPorts webhooks = new WebhookPorts(real.store(), real.secrets(),
                new WebhookUrls(host -> new InetAddress[] {somewherePublic}, false), (url, headers, body) -> 204,
                Clock.systemUTC(), real.log());
        return new WithWebhooks(keys, webhooks, null);
    }
}

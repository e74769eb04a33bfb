package dev.keyward.local;

import dev.keyward.runtime.ScanningKeys;
import dev.keyward.core.ReportSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * Plays the secret scanner on this machine. The local API trusts one key pair of its own,
 * {@code local/state/secret-scanning.{key,pub}} (made on first use, never deployed), unless
 * {@code SECRET_SCANNING_PUBLIC_KEYS} names others as in Lambda; {@link #main} signs a report
 * with it and posts it, as GitHub does:
 * <pre>
 *   local/report-leak.sh kw_sec_... [url]
 * </pre>
 */
public final class LocalScanner {
    static final String KEY_ID = "keyward-local-scanner";
    private static final String PRIVATE_FILE = "secret-scanning.key";
    private static final String PUBLIC_FILE = "secret-scanning.pub";

    private LocalScanner() {
    }

    /** The keys the local API checks reports against. */
    static ReportSignatures signatures(Map<String, String> env, Path root) {
        String configured = env.get(ScanningKeys.VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return ScanningKeys.parse(configured);
        }
        return ReportSignatures.fromPem(Map.of(KEY_ID, read(ensureKeyPair(root.resolve("local/state")).resolve(PUBLIC_FILE))));
    }

    /** Makes the local key pair unless it exists; answers its folder. */
    static synchronized Path ensureKeyPair(Path folder) {
        try {
            if (!Files.exists(folder.resolve(PUBLIC_FILE)) || !Files.exists(folder.resolve(PRIVATE_FILE))) {
                Files.createDirectories(folder);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                var pair = generator.generateKeyPair();
                Files.writeString(folder.resolve(PRIVATE_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(folder.resolve(PUBLIC_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code body} with the local private key: the {@code Github-Public-Key-Signature} value. */
    static String sign(Path folder, String body) {
        try {
            String base64 = read(folder.resolve(PRIVATE_FILE)).replaceAll("-----[A-Z ]+-----|\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(body.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code LocalScanner API_BASE TOKEN [URL]}: posts a signed one-token report and prints the answer. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: LocalScanner http://127.0.0.1:3000 kw_sec_... [where it was found]");
            System.exit(2);
        }
        String url = args.length > 2 ? args[2] : "https://github.com/octo-org/octo-repo/blob/main/config.env";
        String body = "[{\"token\":" + quote(args[1]) + ",\"type\":\"keyward_client_secret\",\"url\":" + quote(url)
                + ",\"source\":\"content\"}]";
        Path folder = ensureKeyPair(Path.of(System.getenv().getOrDefault("KEYWARD_ROOT", ".")).resolve("local/state"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0] + "/secret-scanning/reports"))
                .header("Content-Type", "application/json")
                .header("Github-Public-Key-Identifier", KEY_ID)
                .header("Github-Public-Key-Signature", sign(folder, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
        System.exit(response.statusCode() == 200 ? 0 : 1);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

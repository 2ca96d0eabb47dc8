package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.qbosync.testsupport.TestContextProperties;
import io.qbosync.testsupport.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Both ports over TLS from a Spring Boot PEM SSL bundle (the set-up docs/security.md describes), with a
 * self-signed certificate made by keytool for this run: the session cookies and the XSRF-TOKEN cookie carry
 * {@code Secure} (and SameSite=Lax) because the requests are secure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TlsSessionCookieIT {

    private static final String PASSWORD = TestUsers.OPERATOR_PASSWORD;
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dataDir;

    @TempDir
    static Path certificates;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        writeSelfSignedPem(certificates);
        TestContextProperties.registerLightContext(registry, dataDir);
        registry.add("management.server.port", () -> "0");
        registry.add("spring.ssl.bundle.pem.qbosync.keystore.certificate", () -> "file:" + certificates.resolve("cert.pem"));
        registry.add("spring.ssl.bundle.pem.qbosync.keystore.private-key", () -> "file:" + certificates.resolve("key.pem"));
        registry.add("server.ssl.bundle", () -> "qbosync");
        registry.add("management.server.ssl.bundle", () -> "qbosync");
        TestUsers.register(registry);
    }

    @LocalServerPort
    int appPort;

    @LocalManagementPort
    int managementPort;

    @Test
    void cookiesAreSecureOverTlsOnBothPorts() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificates))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        for (Object[] port : List.of(new Object[] {appPort, SecurityConfig.APP_SESSION_COOKIE},
                new Object[] {managementPort, "JSESSIONID"})) {
            String login = "https://127.0.0.1:" + port[0] + "/login";
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(login)).header("Accept", "text/html")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            String xsrf = setCookie(page, "XSRF-TOKEN");
            assertThat(xsrf).as(login).containsIgnoringCase("; Secure").containsIgnoringCase("SameSite=Lax");
            String token = xsrf.substring("XSRF-TOKEN=".length(), xsrf.indexOf(';'));

            HttpResponse<String> loggedIn = client.send(HttpRequest.newBuilder(URI.create(login))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", "XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token)
                    .POST(HttpRequest.BodyPublishers.ofString("username=operator&password=" + PASSWORD)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(loggedIn.statusCode()).isEqualTo(302);
            assertThat(setCookie(loggedIn, (String) port[1])).as(login).containsIgnoringCase("; Secure")
                    .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
        }
    }

    private static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + response.headers().map()));
    }

    /** keytool makes a PKCS12 key pair for 127.0.0.1; its key and certificate are written as PEM for the bundle. */
    private static void writeSelfSignedPem(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "qbosync", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD),
                "-keypass", new String(STORE_PASSWORD)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("qbosync", STORE_PASSWORD);
        Certificate certificate = keyStore.getCertificate("qbosync");
        Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", certificate.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(Path dir) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            trust.load(in, STORE_PASSWORD);
        }
        KeyStore certificateOnly = KeyStore.getInstance(KeyStore.getDefaultType());
        certificateOnly.load(null, null);
        certificateOnly.setCertificateEntry("qbosync", trust.getCertificate("qbosync"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(certificateOnly);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

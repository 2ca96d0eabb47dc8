package io.qbosync.component.qbo.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenCipherTest {

    private static String randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void roundTripWithFreshNonces() {
        TokenCipher c = TokenCipher.fromBase64(randomKey());
        String a = c.encrypt("RT1-secret-refresh", "realm:refresh_token");
        String b = c.encrypt("RT1-secret-refresh", "realm:refresh_token");
        assertThat(a).startsWith("v2:").doesNotContain("RT1-secret-refresh").isNotEqualTo(b);
        assertThat(c.decrypt(a, "realm:refresh_token")).isEqualTo("RT1-secret-refresh");
        assertThat(c.encrypt(null, "x")).isNull();
    }

    @Test
    void ciphertextIsBoundToItsContextAndKey() {
        TokenCipher c = TokenCipher.fromBase64(randomKey());
        String sealed = c.encrypt("token", "r1:access_token");
        assertThatThrownBy(() -> c.decrypt(sealed, "r2:access_token")).isInstanceOf(IllegalStateException.class);
        TokenCipher other = TokenCipher.fromBase64(randomKey());
        assertThatThrownBy(() -> other.decrypt(sealed, "r1:access_token")).isInstanceOf(IllegalStateException.class);
        String tampered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "B" : "A") + "=";
        assertThatThrownBy(() -> c.decrypt(tampered, "r1:access_token")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsShortKeys() {
        assertThatThrownBy(() -> TokenCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatesTheKeyFileOnceAndReusesIt(@TempDir Path dataDir) throws Exception {
        TokenCipher first = TokenCipher.fromConfig("", List.of(), dataDir, true);
        Path keyFile = dataDir.resolve("keys/token.key");
        assertThat(keyFile).exists();
        String keyText = Files.readString(keyFile);
        assertThat(Base64.getDecoder().decode(keyText.strip())).hasSize(32);
        String sealed = first.encrypt("x", "ctx");
        TokenCipher second = TokenCipher.fromConfig(null, List.of(), dataDir, true);
        assertThat(second.decrypt(sealed, "ctx")).isEqualTo("x");
        assertThat(Files.readString(keyFile)).isEqualTo(keyText);
    }

    @Test
    void configuredKeyWinsOverTheFile(@TempDir Path dataDir) {
        String key = randomKey();
        TokenCipher c = TokenCipher.fromConfig(key, List.of(), dataDir, true);
        assertThat(dataDir.resolve("keys/token.key")).doesNotExist();
        assertThat(TokenCipher.fromBase64(key).decrypt(c.encrypt("y", "ctx"), "ctx")).isEqualTo("y");
    }
}

package io.qbosync.component.qbo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key ids, rotation, values from before key ids, and the demo's generated key file. */
class TokenKeysTest {

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void storedValuesNameTheKeyThatSealedThem() {
        byte[] key = randomKey();
        TokenCipher cipher = new TokenCipher(key);
        String sealed = cipher.encrypt("RT1", "ctx");
        assertThat(cipher.currentKeyId()).matches("[0-9a-f]{8}").isEqualTo(TokenCipher.keyId(key));
        assertThat(sealed).startsWith("v2:" + cipher.currentKeyId() + ":");
        assertThat(cipher.isCurrent(sealed)).isTrue();
        assertThat(new TokenCipher(randomKey()).currentKeyId()).isNotEqualTo(cipher.currentKeyId());
    }

    @Test
    void aRotatedKeyStillReadsWhatThePreviousKeySealedAndSealsWithTheNewOne() {
        byte[] oldKey = randomKey();
        byte[] newKey = randomKey();
        String sealedByOld = new TokenCipher(oldKey).encrypt("secret", "ctx");

        TokenCipher rotated = new TokenCipher(newKey, List.of(oldKey));
        assertThat(rotated.decrypt(sealedByOld, "ctx")).isEqualTo("secret");
        assertThat(rotated.isCurrent(sealedByOld)).isFalse();
        String resealed = rotated.encrypt("secret", "ctx");
        assertThat(rotated.isCurrent(resealed)).isTrue();
        assertThat(new TokenCipher(newKey).decrypt(resealed, "ctx")).isEqualTo("secret");

        TokenCipher withoutOld = new TokenCipher(newKey);
        assertThatThrownBy(() -> withoutOld.decrypt(sealedByOld, "ctx"))
                .hasMessageContaining("was sealed with key " + TokenCipher.keyId(oldKey))
                .hasMessageContaining("qbosync.crypto.previous-keys");
    }

    @Test
    void valuesFromBeforeKeyIdsOpenWithAnyConfiguredKey() throws Exception {
        byte[] oldKey = randomKey();
        String legacy = legacyV1(oldKey, "secret", "ctx");
        assertThat(TokenCipher.isLegacy(legacy)).isTrue();
        TokenCipher rotated = new TokenCipher(randomKey(), List.of(oldKey));
        assertThat(rotated.decrypt(legacy, "ctx")).isEqualTo("secret");
        assertThat(rotated.isCurrent(legacy)).isFalse();
        assertThatThrownBy(() -> new TokenCipher(randomKey()).decrypt(legacy, "ctx"))
                .hasMessageContaining("Cannot decrypt");
    }

    @Test
    void theGeneratedDemoKeyFileIsOwnerOnlyFromTheStart(@TempDir Path dataDir) throws Exception {
        TokenCipher first = TokenCipher.fromConfig("", List.of(), dataDir, true);
        Path file = dataDir.resolve("keys/token.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("token.key");
        }
        String sealed = first.encrypt("x", "ctx");
        assertThat(TokenCipher.fromConfig(null, List.of(), dataDir, true).decrypt(sealed, "ctx")).isEqualTo("x");
    }

    @Test
    void productionRefusesAMissingKeyAndGeneratesNothing(@TempDir Path dataDir) {
        assertThatThrownBy(() -> TokenCipher.fromConfig("", List.of(), dataDir, false))
                .isInstanceOf(TokenCipher.MissingTokenKeyException.class);
        assertThat(dataDir.resolve("keys")).doesNotExist();
        String key = Base64.getEncoder().encodeToString(randomKey());
        assertThat(TokenCipher.fromConfig(key, List.of(), dataDir, false).currentKeyId())
                .isEqualTo(TokenCipher.keyId(Base64.getDecoder().decode(key)));
    }

    /** The format written before key ids: {@code v1:} + Base64(nonce ‖ ciphertext ‖ tag). */
    static String legacyV1(byte[] key, String plaintext, String context) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    }
}

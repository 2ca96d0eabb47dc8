package io.qbosync.component.qbo.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts OAuth tokens and client secrets for storage with AES-256-GCM. Each value gets a random 96-bit nonce and
 * is bound (as associated data) to a context such as {@code realm:column}, so a ciphertext copied to another row or
 * column does not decrypt. Stored form: {@code v1:} + Base64(nonce ‖ ciphertext ‖ tag).
 */
public final class TokenCipher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCipher.class);
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    /** @param key 32 bytes of key material */
    public TokenCipher(byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("The token encryption key must be 32 bytes (Base64 of 32 random bytes)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** Key from Base64 text (the {@code qbosync.crypto.key} property). */
    public static TokenCipher fromBase64(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("qbosync.crypto.key is not valid Base64", e);
        }
        return new TokenCipher(raw);
    }

    /**
     * The configured key, or when none is set, the key in {@code dataDir/keys/token.key}, generated there on first
     * use (with a warning: production must set {@code qbosync.crypto.key}, e.g. from a secret store).
     */
    public static TokenCipher fromConfig(String base64Key, Path dataDir) {
        if (base64Key != null && !base64Key.isBlank()) {
            return fromBase64(base64Key);
        }
        Path file = dataDir.resolve("keys").resolve("token.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    restrictPermissions(file);
                    LOG.warn("qbosync.crypto.key is not set: generated a token encryption key in {}. Production must"
                            + " set qbosync.crypto.key (Base64 of 32 random bytes) from a secret store, and keep it:"
                            + " stored tokens cannot be read without it.", file.toAbsolutePath());
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            } else {
                LOG.warn("qbosync.crypto.key is not set: using the generated key in {} (set the property in"
                        + " production)", file.toAbsolutePath());
            }
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token key file " + file, e);
        }
    }

    private static void restrictPermissions(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException notPosix) {
            // best effort on file systems without POSIX permissions
        }
    }

    /** Encrypts {@code plaintext} bound to {@code context}; null stays null. */
    public String encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Token encryption failed", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt} with the same context; null stays null.
     *
     * @throws IllegalStateException when the key or context is wrong or the value was altered
     */
    public String decrypt(String stored, String context) {
        if (stored == null) {
            return null;
        }
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("Stored secret for " + context + " is not in the encrypted format");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot decrypt the stored secret for " + context
                    + " (wrong qbosync.crypto.key, or the value was altered)");
        }
    }

    @Override
    public String toString() {
        return "TokenCipher[AES-256-GCM]";
    }
}

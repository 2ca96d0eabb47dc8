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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encrypts OAuth tokens and client secrets for storage with AES-256-GCM. Each value gets a random 96-bit nonce and
 * is bound (as associated data) to a context such as {@code realm:column}, so a ciphertext copied to another row or
 * column does not decrypt.
 *
 * <p>Stored form {@code v2:<key id>:} + Base64(nonce ‖ ciphertext ‖ tag). The key id is derived from the key (8 hex
 * digits of a SHA-256), so it needs no configuration and cannot disagree with the key. Rotation: the current key
 * encrypts, the current and every previous key decrypt (by id), and {@link #isCurrent} tells a caller which values
 * to re-encrypt. Values from before key ids ({@code v1:}) are tried against every key.
 */
public final class TokenCipher {

    private static final Logger LOG = LoggerFactory.getLogger(TokenCipher.class);
    private static final String LEGACY_PREFIX = "v1:";
    private static final String PREFIX = "v2:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private record Key(String id, SecretKeySpec spec) {
    }

    private final Key current;
    /** Every key that may decrypt, current first. */
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** @param key 32 bytes of key material */
    public TokenCipher(byte[] key) {
        this(key, List.of());
    }

    /**
     * @param key      32 bytes: the key that encrypts
     * @param previous older keys (32 bytes each) that still decrypt what they sealed
     */
    public TokenCipher(byte[] key, List<byte[]> previous) {
        this.current = key(key);
        keys.put(current.id(), current);
        for (byte[] old : previous) {
            Key k = key(old);
            keys.putIfAbsent(k.id(), k);
        }
    }

    /** Key from Base64 text (the {@code qbosync.crypto.key} property). */
    public static TokenCipher fromBase64(String base64Key) {
        return new TokenCipher(decodeKey(base64Key, "qbosync.crypto.key"));
    }

    /**
     * The configured key (with its predecessors), or, when none is set and a generated key is allowed (a demo), the
     * key in {@code dataDir/keys/token.key}, generated there with owner-only permissions on first use.
     *
     * @param base64Key        {@code qbosync.crypto.key}; blank when unset
     * @param previousKeys     {@code qbosync.crypto.previous-keys}: Base64 keys that still decrypt
     * @param dataDir          where a generated key lives
     * @param generatedAllowed false in production: a missing key is then refused, because a generated key sits next
     *                         to the data it protects (one backup of the data directory holds both)
     * @throws MissingTokenKeyException when no key is set and a generated one is not allowed
     */
    public static TokenCipher fromConfig(String base64Key, List<String> previousKeys, Path dataDir,
                                         boolean generatedAllowed) {
        List<byte[]> previous = new ArrayList<>();
        for (int i = 0; i < previousKeys.size(); i++) {
            if (!previousKeys.get(i).isBlank()) {
                previous.add(decodeKey(previousKeys.get(i), "qbosync.crypto.previous-keys[" + i + "]"));
            }
        }
        if (base64Key != null && !base64Key.isBlank()) {
            TokenCipher cipher = new TokenCipher(decodeKey(base64Key, "qbosync.crypto.key"), previous);
            LOG.info("Token encryption key {} (plus {} previous key(s) for reading)", cipher.currentKeyId(),
                    cipher.keys.size() - 1);
            return cipher;
        }
        if (!generatedAllowed) {
            throw new MissingTokenKeyException();
        }
        return new TokenCipher(generatedKey(dataDir), previous);
    }

    /** The id of the key that encrypts, as it appears in stored values. */
    public String currentKeyId() {
        return current.id();
    }

    /** Whether {@code stored} was sealed by the current key (null counts as current: nothing to re-encrypt). */
    public boolean isCurrent(String stored) {
        return stored == null || stored.startsWith(PREFIX + current.id() + ":");
    }

    /** Whether {@code stored} predates key ids (and so any context the caller has since added). */
    public static boolean isLegacy(String stored) {
        return stored != null && stored.startsWith(LEGACY_PREFIX);
    }

    /** Encrypts {@code plaintext} bound to {@code context} with the current key; null stays null. */
    public String encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, current.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Token encryption failed", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt} with the same context; null stays null.
     *
     * @throws IllegalStateException when no configured key sealed it, the context differs or the value was altered
     */
    public String decrypt(String stored, String context) {
        if (stored == null) {
            return null;
        }
        if (stored.startsWith(PREFIX)) {
            int colon = stored.indexOf(':', PREFIX.length());
            String id = colon < 0 ? "" : stored.substring(PREFIX.length(), colon);
            Key key = keys.get(id);
            if (key == null) {
                throw new IllegalStateException("The stored secret for " + context + " was sealed with key " + id
                        + ", which is neither qbosync.crypto.key (" + current.id()
                        + ") nor listed in qbosync.crypto.previous-keys");
            }
            return open(key, stored.substring(colon + 1), context);
        }
        if (stored.startsWith(LEGACY_PREFIX)) {
            for (Key key : keys.values()) {
                try {
                    return open(key, stored.substring(LEGACY_PREFIX.length()), context);
                } catch (IllegalStateException wrongKey) {
                    // try the next one
                }
            }
            throw cannotOpen(context);
        }
        throw new IllegalStateException("Stored secret for " + context + " is not in the encrypted format");
    }

    private static String open(Key key, String base64, String context) {
        try {
            byte[] all = Base64.getDecoder().decode(base64);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw cannotOpen(context);
        }
    }

    private static IllegalStateException cannotOpen(String context) {
        return new IllegalStateException("Cannot decrypt the stored secret for " + context
                + " (wrong qbosync.crypto.key, or the value or a field it is bound to was altered)");
    }

    private static Key key(byte[] raw) {
        if (raw == null || raw.length != 32) {
            throw new IllegalArgumentException("The token encryption key must be 32 bytes (Base64 of 32 random bytes)");
        }
        return new Key(keyId(raw), new SecretKeySpec(raw.clone(), "AES"));
    }

    /** 8 hex digits of SHA-256 over a label and the key: names the key without revealing it. */
    static String keyId(byte[] raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("qbo-sync token key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeKey(String base64, String property) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " is not valid Base64", e);
        }
    }

    /**
     * The demo's generated key. The file is created with owner-only permissions in the same call that creates it
     * (never written first and restricted afterwards), then filled; a racing process that created it first wins.
     */
    private static byte[] generatedKey(Path dataDir) {
        Path file = dataDir.resolve("keys").resolve("token.key");
        try {
            if (!Files.exists(file)) {
                createOwnerOnlyDirectory(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                try {
                    Path tmp = file.resolveSibling("token.key." + ProcessHandle.current().pid() + ".tmp");
                    Files.deleteIfExists(tmp);
                    createOwnerOnlyFile(tmp);
                    Files.write(tmp, Base64.getEncoder().encode(fresh), StandardOpenOption.WRITE);
                    // A link cannot replace an existing file: the first process to finish wins, whole.
                    Files.createLink(file, tmp);
                    Files.delete(tmp);
                    LOG.warn("qbosync.crypto.key is not set: generated a token encryption key in {} (demo only;"
                            + " production refuses to start without qbosync.crypto.key).", file.toAbsolutePath());
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                } catch (UnsupportedOperationException noLinks) {
                    Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                }
            } else {
                LOG.warn("qbosync.crypto.key is not set: using the generated key in {} (demo only)",
                        file.toAbsolutePath());
            }
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token key file " + file, e);
        }
    }

    private static void createOwnerOnlyFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<Set<PosixFilePermission>> rwx = PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"));
        try {
            Files.createDirectories(dir, rwx);
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    @Override
    public String toString() {
        return "TokenCipher[AES-256-GCM, key " + current.id() + ", " + (keys.size() - 1) + " previous]";
    }

    /** No {@code qbosync.crypto.key} on a production node. */
    public static final class MissingTokenKeyException extends IllegalStateException {
        MissingTokenKeyException() {
            super("qbosync.crypto.key is not set");
        }
    }
}

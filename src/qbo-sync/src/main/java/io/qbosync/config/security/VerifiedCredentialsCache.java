package io.qbosync.config.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.springframework.security.core.Authentication;

/**
 * User/password pairs that passed the password check a moment ago, so that a script sending the same Basic header
 * on every call costs one bcrypt check per TTL instead of one per call.
 *
 * <ul>
 *   <li>Keyed by SHA-256 over a random per-process salt, the user and the password: the password itself is never
 *       kept, and a key is useless outside this process.</li>
 *   <li>Only successes are stored, by the caller, after the real check; a failed attempt never is.</li>
 *   <li>Entries expire after the TTL and the table holds at most {@code maxEntries} (the oldest go first).</li>
 *   <li>Nothing invalidates an entry early, because nothing needs to: users and passwords come from properties and
 *       are fixed for the life of the process (nothing changes them at run time); a new password means a restart,
 *       which starts with an empty cache and a new salt.</li>
 * </ul>
 */
public final class VerifiedCredentialsCache {

    private record Entry(Authentication verified, long expiresNanos) {
    }

    private final byte[] salt = new byte[32];
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries;

    public VerifiedCredentialsCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    VerifiedCredentialsCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
        new SecureRandom().nextBytes(salt);
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > VerifiedCredentialsCache.this.maxEntries;
            }
        };
    }

    /** The authentication a recent check produced for exactly this user and password, or null. */
    public Authentication get(String user, String password) {
        if (ttlNanos == 0) {
            return null;
        }
        String key = key(user, password);
        long now = nanoClock.getAsLong();
        synchronized (entries) {
            Entry entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            if (now - entry.expiresNanos() >= 0) {
                entries.remove(key);
                return null;
            }
            return entry.verified();
        }
    }

    /** Remembers a successful check; {@code verified} must hold no credentials. */
    public void put(String user, String password, Authentication verified) {
        if (ttlNanos == 0) {
            return;
        }
        String key = key(user, password);
        long expires = nanoClock.getAsLong() + ttlNanos;
        synchronized (entries) {
            // Re-inserting moves the pair to the young end, so the size bound drops the least recently verified.
            entries.remove(key);
            entries.put(key, new Entry(verified, expires));
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private String key(String user, String password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            byte[] name = user.getBytes(StandardCharsets.UTF_8);
            // The length keeps ("ab","c") and ("a","bc") apart.
            sha256.update(new byte[] {(byte) (name.length >>> 24), (byte) (name.length >>> 16),
                    (byte) (name.length >>> 8), (byte) name.length});
            sha256.update(name);
            sha256.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package io.qbosync.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Time as QBO shows it: the company's zone, MetaData without fractions, envelope {@code time} with millis. */
final class CompanyClock {
    private static final DateTimeFormatter META = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter ENVELOPE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Clock clock;
    private final ZoneId zone;

    CompanyClock(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    long nowMillis() {
        return clock.millis();
    }

    ZoneId zone() {
        return zone;
    }

    String metaTime(long millis) {
        return META.format(Instant.ofEpochMilli(millis).atZone(zone));
    }

    String envelopeTime() {
        return ENVELOPE.format(Instant.ofEpochMilli(clock.millis()).atZone(zone));
    }

    LocalDate today() {
        return LocalDate.ofInstant(Instant.ofEpochMilli(clock.millis()), zone);
    }

    /**
     * Parses a timestamp as clients send it in {@code changedSince} or queries: with an offset, without
     * one (company zone), or a bare date (start of that day in the company zone).
     */
    Instant parseInstant(String text) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // fall through to the zone-less forms
        }
        try {
            return java.time.LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // fall through
        }
        return LocalDate.parse(t).atStartOfDay(zone).toInstant();
    }
}

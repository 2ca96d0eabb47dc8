package io.qbosync.source.feed;

/** Postal address as the source keeps it. */
public record SourceAddress(String line1, String line2, String city, String region, String postalCode, String country) {
}

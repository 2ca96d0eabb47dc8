package io.qbosync.source.feed;

/** An organisation in the source system; billed companies become QBO customers named after the company. */
public record SourceCompany(
        String id,
        String name,
        String email,
        String phone,
        SourceAddress address,
        String updatedAt) {
}

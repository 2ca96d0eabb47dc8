package io.qbosync.source.feed;

/**
 * A person in the source system (association member, client contact). Billed contacts become QBO customers.
 * {@code email} may be null: such contacts match by company or display name only.
 */
public record SourceContact(
        String id,
        String firstName,
        String lastName,
        String email,
        String phone,
        String companyId,
        SourceAddress address,
        String updatedAt) {
}

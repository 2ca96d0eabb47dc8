package io.qbosync.mapping;

/**
 * The QBO item an invoice's lines post to, and the rule that chose it.
 *
 * @param rule    e.g. {@code memberships/Gold Membership}, {@code events/All Events (fallback)}, {@code default}
 * @param itemSku SKU of the QBO item (matched by SKU, then by name)
 */
public record MappingRule(String rule, String itemSku) {
}

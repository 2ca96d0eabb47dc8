package io.qbosync.sandbox;

/** A new version of an entity produced by a write, applied to memory and H2 together. */
record Change(EntityRules rules, Stored stored) {
}

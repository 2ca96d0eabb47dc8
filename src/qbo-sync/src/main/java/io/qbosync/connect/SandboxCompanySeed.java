package io.qbosync.connect;

/**
 * QBO data a new sandbox company starts with (accounts, items, the vendors and employee some source names collide
 * with), in the sandbox's {@code /seed} format. Supplied by the demo wiring next to the sample source whose data it
 * matches; without one a new sandbox company starts empty.
 */
@FunctionalInterface
public interface SandboxCompanySeed {

    String json();
}

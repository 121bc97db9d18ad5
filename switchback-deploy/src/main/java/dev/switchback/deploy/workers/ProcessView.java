package dev.switchback.deploy.workers;

/**
 * One process of a slot in {@code upgrade status}: the web process ("web") or a worker instance.
 *
 * @param health   "healthy", or what the last check saw; "-" when not running
 * @param restarts restarts after an exit (null for the web process, whose restarts the failover history records)
 */
public record ProcessView(String name, int instance, Long pid, Integer port, String state, String health, Integer restarts) {
}

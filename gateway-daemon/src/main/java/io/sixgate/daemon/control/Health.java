package io.sixgate.daemon.control;

/**
 * {@code GET /v1/health}: whether the worker answers its command queue.
 *
 * @param status        {@code ok}, or {@code worker not responding}.
 * @param uptimeSeconds since the daemon started.
 * @param config        the configuration file it runs.
 * @param workers       worker threads.
 * @param ports         ports.
 * @param nat64         {@code none}, {@code siit} or {@code stateful}.
 */
public record Health(String status, long uptimeSeconds, String config, int workers, int ports, String nat64)
{
    public boolean ok()
    {
        return "ok".equals(status);
    }
}

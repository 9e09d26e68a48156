package io.sixgate.core.pipeline;

/**
 * Something a stage did that is not a frame's final verdict and that operators still need to
 * see: an ARP request answered, a neighbour learned, an ICMP error held back by the rate limit.
 * Implemented by one enum per concern, like {@link DropReason}; each constant is one counter
 * ({@code event stage/label} in the counters file), counted with {@code Stage.count(EVENT)}.
 */
public interface StageEvent
{
    /**
     * @return short kebab-case label, unique within the stage, e.g. {@code "request-answered"}.
     */
    String label();

    /**
     * @return position of the event within its enum, as given by {@link Enum#ordinal()}.
     */
    int ordinal();
}

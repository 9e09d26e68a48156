package io.sixgate.nat64.stateful;

/**
 * Which worker's shard a restored session belongs to: the one IPv4 replies to its pool4
 * transport address are steered to (the static BIB entry's holder, else the port's owner in the
 * pool4 partition), so the session is found where its traffic arrives.
 */
@FunctionalInterface
public interface SessionOwnership
{
    /** For one worker: every session is its own. */
    SessionOwnership EVERY_SESSION = (protocol, pool4Address, pool4Port) -> true;

    /**
     * @param protocol     a {@link io.sixgate.nat64.state.SessionProtocol} index.
     * @param pool4Address the session's pool4 address.
     * @param pool4Port    its pool4 port or ICMP identifier.
     * @return whether the shard being restored owns the session.
     */
    boolean owns(int protocol, int pool4Address, int pool4Port);
}

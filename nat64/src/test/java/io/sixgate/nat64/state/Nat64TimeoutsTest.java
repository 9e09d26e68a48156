package io.sixgate.nat64.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Nat64TimeoutsTest
{
    private static final long MINUTE_NS = 60_000_000_000L;

    @Test
    void defaultsAreRfc6146Section4Values()
    {
        final Nat64Timeouts defaults = Nat64Timeouts.RFC_6146_DEFAULTS;
        assertEquals(5 * MINUTE_NS, defaults.udpNs());
        assertEquals(124 * MINUTE_NS, defaults.tcpEstablishedNs());
        assertEquals(4 * MINUTE_NS, defaults.tcpTransitoryNs());
        assertEquals(MINUTE_NS, defaults.icmpNs());
        assertEquals(2 * MINUTE_NS, Nat64Timeouts.UDP_MIN_NS);
    }

    @Test
    void tcpLifetimeFollowsTheTransitionsTimeoutKind()
    {
        final Nat64Timeouts timeouts = new Nat64Timeouts(1, 2, 3, 4);
        assertEquals(2, timeouts.tcpNs(TcpStateMachine.TIMEOUT_ESTABLISHED));
        assertEquals(3, timeouts.tcpNs(TcpStateMachine.TIMEOUT_TRANSITORY));
        assertEquals(0, timeouts.tcpNs(TcpStateMachine.TIMEOUT_UNCHANGED));
        assertEquals(1, timeouts.lifetimeNs(SessionProtocol.UDP));
        assertEquals(4, timeouts.lifetimeNs(SessionProtocol.ICMP));
        assertEquals(3, timeouts.lifetimeNs(SessionProtocol.TCP));
    }

    @Test
    void rejectsNonPositiveLifetimes()
    {
        assertThrows(IllegalArgumentException.class, () -> new Nat64Timeouts(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Nat64Timeouts(1, -1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Nat64Timeouts(1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Nat64Timeouts(1, 1, 1, 0));
    }
}

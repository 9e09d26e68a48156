package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IfreqTest
{
    @Test
    void namesTakeTheFirstSixteenBytesNulTerminated()
    {
        final byte[] ifreq = Ifreq.named("sg-vpc0");

        assertEquals(Ifreq.LENGTH, ifreq.length);
        assertEquals('s', ifreq[0]);
        assertEquals(0, ifreq[7]);
        assertEquals("sg-vpc0", Ifreq.name(ifreq));
        assertEquals("fifteen-chars-x", Ifreq.name(Ifreq.named("fifteen-chars-x")));
    }

    @Test
    void refusesNamesTheKernelCannotHold()
    {
        assertThrows(IllegalArgumentException.class, () -> Ifreq.named(""));
        assertThrows(IllegalArgumentException.class, () -> Ifreq.named("sixteen-chars-xx"));
    }

    @Test
    void flagsAndMtuShareTheUnionAtOffsetSixteen()
    {
        final byte[] ifreq = Ifreq.named("tap0");
        Ifreq.flags(ifreq, TapDevice.IFF_TAP | TapDevice.IFF_NO_PI);

        assertEquals(TapDevice.IFF_TAP | TapDevice.IFF_NO_PI, Ifreq.flags(ifreq));
        Ifreq.mtu(ifreq, 9000);
        assertEquals(9000, Ifreq.mtu(ifreq));
        assertEquals("tap0", Ifreq.name(ifreq));
    }
}

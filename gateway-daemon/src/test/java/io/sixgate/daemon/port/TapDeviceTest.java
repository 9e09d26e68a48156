package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens real TAP devices (root). Devices are named {@code sgt<pid><n>}; a created one vanishes
 * when closed, and the one test that makes a persistent device deletes it. None is brought up,
 * so nothing is sent on them; bringing up is covered in the namespace end-to-end test.
 */
class TapDeviceTest
{
    private static final String PREFIX = "sgt" + ProcessHandle.current().pid() % 100_000;

    @BeforeEach
    void requireRoot()
    {
        RootRequirement.require("ip");
    }

    @Test
    void createsADeviceThatGoesAwayWhenClosed() throws Exception
    {
        final String name = PREFIX + "a";
        assertEquals(0, LibC.INSTANCE.if_nametoindex(name), "left over from an earlier run: " + name);
        try (TapDevice tap = TapDevice.open(name))
        {
            assertEquals(name, tap.name());
            assertTrue(tap.created());
            assertNotEquals(0, LibC.INSTANCE.if_nametoindex(name));
            final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            assertEquals(0, tap.fd().read(buffer, 0, buffer.capacity()), "non-blocking: EAGAIN reads as 0");
        }
        assertEquals(0, LibC.INSTANCE.if_nametoindex(name), "a created TAP lives as long as its descriptor");
    }

    @Test
    void setsTheMtuWithAnIoctl() throws Exception
    {
        try (TapDevice tap = TapDevice.open(PREFIX + "m"))
        {
            LinkControl.setMtu(tap.name(), 1400);

            assertEquals(1400, LinkControl.mtu(tap.name()));
            assertFalse(LinkControl.isUp(tap.name()));
        }
    }

    @Test
    void setsTheTransmitQueueLengthWithAnIoctl() throws Exception
    {
        try (TapDevice tap = TapDevice.open(PREFIX + "q"))
        {
            final int kernelDefault = LinkControl.txQueueLength(tap.name());
            LinkControl.setTxQueueLength(tap.name(), 16_384);

            assertEquals(16_384, LinkControl.txQueueLength(tap.name()), "was " + kernelDefault);
        }
    }

    @Test
    void attachesToAnExistingPersistentTapAndLeavesIt() throws Exception
    {
        final String name = PREFIX + "p";
        run("ip", "tuntap", "add", "dev", name, "mode", "tap");
        try
        {
            try (TapDevice tap = TapDevice.open(name))
            {
                assertFalse(tap.created());
            }
            assertNotEquals(0, LibC.INSTANCE.if_nametoindex(name), "an attached TAP stays after close");
        }
        finally
        {
            run("ip", "tuntap", "del", "dev", name, "mode", "tap");
        }
    }

    @Test
    void aTapSomeoneElseHoldsIsBusy() throws Exception
    {
        final String name = PREFIX + "b";
        try (TapDevice first = TapDevice.open(name))
        {
            assertTrue(first.created());
            final PortOpenException ex = assertThrows(PortOpenException.class, () -> TapDevice.open(name));

            assertEquals("cannot attach to TAP device " + name + ": Device or resource busy (another process has it open)",
                ex.getMessage());
        }
    }

    @Test
    void anInterfaceThatIsNotATapIsRefused()
    {
        final PortOpenException ex = assertThrows(PortOpenException.class, () -> TapDevice.open("lo"));

        assertEquals("cannot attach to TAP device lo: Invalid argument (an interface of that name exists and is not"
            + " a single-queue TAP device; pick another ports[].device or delete it)", ex.getMessage());
    }

    @Test
    void createsAMultiQueueDeviceWithOneDescriptorPerQueue() throws Exception
    {
        final String name = PREFIX + "q";
        try (TapDevice tap = TapDevice.open(name, 3))
        {
            assertTrue(tap.created());
            assertEquals(3, tap.fds().length);
            assertEquals(3, java.util.Arrays.stream(tap.fds()).mapToInt(fd -> fd.intValue()).distinct().count());
            assertTrue(output("ip", "-d", "link", "show", name).contains("multi_queue"), "IFF_MULTI_QUEUE");
            final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            for (final io.netty.channel.unix.FileDescriptor fd : tap.fds())
            {
                assertEquals(0, fd.read(buffer, 0, buffer.capacity()), "every queue non-blocking");
            }
        }
        assertEquals(0, LibC.INSTANCE.if_nametoindex(name), "gone with its last queue");
    }

    @Test
    void severalWorkersNeedAPersistentTapToBeMultiQueue() throws Exception
    {
        final String name = PREFIX + "s";
        run("ip", "tuntap", "add", "dev", name, "mode", "tap");
        try
        {
            final PortOpenException ex = assertThrows(PortOpenException.class, () -> TapDevice.open(name, 2));

            assertEquals("cannot attach to TAP device " + name + ": Invalid argument (an interface of that name exists and"
                + " is not a multi-queue TAP device, which several workers need: create it with 'ip tuntap add dev "
                + name + " mode tap multi_queue', or pick another ports[].device, or delete it)", ex.getMessage());
        }
        finally
        {
            run("ip", "tuntap", "del", "dev", name, "mode", "tap");
        }
    }

    private static String output(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        return output;
    }

    private static void run(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}

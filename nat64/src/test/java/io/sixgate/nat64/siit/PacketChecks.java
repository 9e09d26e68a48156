package io.sixgate.nat64.siit;

/**
 * The nat64 tests' name for {@link io.sixgate.core.packet.PacketChecks}, which moved to
 * gateway-core's test-jar so every module (the fuzz tests above all) checks emitted packets the
 * same way.
 */
public final class PacketChecks
{
    private PacketChecks()
    {
    }

    public static void assertValidChecksums(final byte[] packet)
    {
        io.sixgate.core.packet.PacketChecks.assertValidChecksums(packet);
    }
}

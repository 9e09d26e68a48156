package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;

import org.junit.jupiter.api.Test;

class RunChecksTest
{
    private static GatewayConfig config(final String yaml) throws Exception
    {
        return ConfigLoader.load("gw.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String refusal(final String yaml) throws Exception
    {
        final GatewayConfig config = config(yaml);
        return assertThrows(BadInputException.class, () -> RunChecks.check(config)).getMessage();
    }

    @Test
    void runsAnyNumberOfWorkers() throws Exception
    {
        assertDoesNotThrow(() -> RunChecks.check(config("workers: 2\nports: [{name: a, type: tap}]\n")));
        assertDoesNotThrow(() -> RunChecks.check(config("workers: 64\nports: [{name: a, type: pcap}]\n")));
    }

    @Test
    void runsPcapPortsBesideTapPorts() throws Exception
    {
        assertDoesNotThrow(() -> RunChecks.check(config("ports: [{name: a, type: tap}, {name: b, type: pcap}]\n")));
    }

    @Test
    void aPcapPortsSnapshotMustFitAFramePoolSlotToo() throws Exception
    {
        assertEquals("port b: mtu 4000 makes frames of up to 4018 bytes, but a frame-pool slot holds 1920"
            + " (slot-size 2048 minus 128 headroom); raise frame-pool.slot-size",
            refusal("ports: [{name: a, type: tap, offload: false}, {name: b, type: pcap, mtu: 4000}]\n"));
    }

    @Test
    void aPortsFramesMustFitAFramePoolSlot() throws Exception
    {
        assertEquals("port a: mtu 9000 makes frames of up to 9018 bytes, but a frame-pool slot holds 1920"
            + " (slot-size 2048 minus 128 headroom); raise frame-pool.slot-size",
            refusal("frame-pool: {slot-size: 2048}\nports: [{name: a, type: tap, mtu: 9000}]\n"));
        assertDoesNotThrow(() -> RunChecks.check(config(
            "frame-pool: {slot-size: 9216}\nports: [{name: a, type: tap, mtu: 9000}]\n")));
        assertDoesNotThrow(() -> RunChecks.check(config("ports: [{name: a, type: tap, mtu: 1500}]\n")));
        // With offloads the default slot holds 64 KiB: mtu 9000 fits.
        assertDoesNotThrow(() -> RunChecks.check(config("ports: [{name: a, type: tap, mtu: 9000, offload: true}]\n")));
    }
}

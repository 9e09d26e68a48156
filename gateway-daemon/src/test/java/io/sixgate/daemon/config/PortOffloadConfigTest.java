package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PortOffloadConfigTest
{
    private static GatewayConfig load(final String yaml) throws Exception
    {
        return ConfigLoader.load("config.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void offloadTrueTakesOffloadsWithSlotsForA64KibSuperPacket() throws Exception
    {
        final GatewayConfig config = load("ports: [{name: v6, type: tap, offload: true}]\n");
        assertTrue(config.ports().get(0).offload());
        assertEquals(FramePoolConfig.OFFLOAD_DEFAULT, config.framePool());
        assertEquals(65536, config.framePool().maxFrameLength());
    }

    @Test
    void aTapPortIsPlainByDefault() throws Exception
    {
        final GatewayConfig config = load("ports: [{name: v6, type: tap}]\n");
        assertFalse(config.ports().get(0).offload());
        assertEquals(FramePoolConfig.DEFAULT, config.framePool());
    }

    @Test
    void aPcapPortStaysPlain() throws Exception
    {
        final GatewayConfig config = load("ports: [{name: v6, type: pcap}]\n");
        assertFalse(config.ports().get(0).offload());
        assertEquals(FramePoolConfig.DEFAULT, config.framePool());
    }

    @Test
    void aGivenSlotSizeWinsOverTheOffloadDefault() throws Exception
    {
        final GatewayConfig config = load("frame-pool: {slot-size: 4096}\nports: [{name: v6, type: tap, offload: true}]\n");
        assertEquals(4096, config.framePool().slotSize());
        assertEquals(FramePoolConfig.OFFLOAD_DEFAULT_FRAMES, config.framePool().frames());
    }
}

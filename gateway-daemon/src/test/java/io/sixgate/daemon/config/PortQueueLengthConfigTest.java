package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PortQueueLengthConfigTest
{
    private static GatewayConfig load(final String yaml) throws Exception
    {
        return ConfigLoader.load("config.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTapPortAsksTheKernelForALongQueueByDefaultAndTakesAGivenOne() throws Exception
    {
        assertEquals(PortConfig.DEFAULT_QUEUE_LENGTH, load("ports: [{name: v6, type: tap}]\n").ports().get(0).queueLength());
        assertEquals(16_384, PortConfig.DEFAULT_QUEUE_LENGTH);
        assertEquals(2048, load("ports: [{name: v6, type: tap, queue-length: 2048}]\n").ports().get(0).queueLength());
    }

    @Test
    void aPcapPortHasNoQueueLength() throws Exception
    {
        assertEquals(0, load("ports: [{name: v6, type: pcap}]\n").ports().get(0).queueLength());
    }
}

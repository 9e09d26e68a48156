package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import io.sixgate.daemon.run.E2eTopology.Result;

/**
 * What the Linux stacks of the test namespaces counted, to say where packets were lost outside the
 * gateway: a namespace's TCP retransmissions ({@code /proc/net/snmp}, per network namespace) and a
 * device's statistics ({@code /sys/class/net/DEV/statistics}, which {@code ip netns exec} mounts
 * for the namespace).
 */
final class KernelStats
{
    private KernelStats()
    {
    }

    /**
     * @return {@code Tcp: RetransSegs} of the namespace: segments its TCP sent again.
     */
    static long tcpRetransmittedSegments(final String namespace) throws IOException, InterruptedException
    {
        final Result snmp = inNamespace(namespace, 10, "cat", "/proc/net/snmp");
        assertEquals(0, snmp.exit(), snmp.output());
        String[] names = null;
        for (final String line : snmp.output().split("\n"))
        {
            if (!line.startsWith("Tcp: "))
            {
                continue;
            }
            final String[] fields = line.trim().split("\\s+");
            if (names == null)
            {
                names = fields;
                continue;
            }
            final int index = Arrays.asList(names).indexOf("RetransSegs");
            return Long.parseLong(fields[index]);
        }
        throw new AssertionError("no Tcp RetransSegs in /proc/net/snmp of " + namespace + ": " + snmp.output());
    }

    /**
     * @return the namespace's {@code TcpExt} counters named (from {@code /proc/net/netstat}), in order:
     * e.g. {@code TCPLossProbes} (tail loss probes, a retransmission when the last ACKs are late or
     * lost), {@code TCPDSACKRecv} (the receiver said it already had what was sent again: the
     * retransmission was spurious, nothing of the data was lost).
     */
    static long[] tcpExt(final String namespace, final String... names) throws IOException, InterruptedException
    {
        final Result netstat = inNamespace(namespace, 10, "cat", "/proc/net/netstat");
        assertEquals(0, netstat.exit(), netstat.output());
        final String[] lines = netstat.output().split("\n");
        for (int i = 0; i + 1 < lines.length; i++)
        {
            if (lines[i].startsWith("TcpExt: ") && lines[i + 1].startsWith("TcpExt: "))
            {
                final List<String> header = Arrays.asList(lines[i].trim().split("\\s+"));
                final String[] values = lines[i + 1].trim().split("\\s+");
                final long[] found = new long[names.length];
                for (int n = 0; n < names.length; n++)
                {
                    found[n] = Long.parseLong(values[header.indexOf(names[n])]);
                }
                return found;
            }
        }
        throw new AssertionError("no TcpExt in /proc/net/netstat of " + namespace + ": " + netstat.output());
    }

    /**
     * @param stat e.g. {@code tx_dropped}: for a TAP, frames the kernel dropped because the reader
     *             (the daemon) did not take them fast enough from the device's queue.
     */
    static long link(final String namespace, final String device, final String stat)
        throws IOException, InterruptedException
    {
        final Result value = inNamespace(namespace, 10, "cat", "/sys/class/net/" + device + "/statistics/" + stat);
        assertEquals(0, value.exit(), namespace + " " + device + " " + stat + ": " + value.output());
        return Long.parseLong(value.output().trim());
    }

    /**
     * @return {@code rx_dropped}, {@code tx_dropped} of each device, for the test's figures.
     */
    static long[] drops(final String namespace, final List<String> devices) throws IOException, InterruptedException
    {
        final long[] drops = new long[devices.size() * 2];
        for (int i = 0; i < devices.size(); i++)
        {
            drops[2 * i] = link(namespace, devices.get(i), "rx_dropped");
            drops[2 * i + 1] = link(namespace, devices.get(i), "tx_dropped");
        }
        return drops;
    }
}

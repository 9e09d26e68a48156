package io.sixgate.nat64.conformance;

import java.util.List;

/**
 * One line of the corpus's {@code cases.tsv}: packets sent, packets expected, bytes ignored.
 *
 * @param suite     {@code siit} or {@code nat64}.
 * @param group     the suite's group (udp64, rfc7915, ...).
 * @param id        unique id of the case.
 * @param senders   port of each input packet ({@code n4}, {@code n6}), in sending order.
 * @param receiver  port where the expected packets must appear.
 * @param inputs    input packet files, relative to the corpus directory.
 * @param expected  expected packet files, in order.
 * @param ignored   zero-based byte offsets not compared, in every emitted packet.
 * @param env       settings that differ from the suite's base setup ({@code key=value} or
 *                  {@code eamt+V4=V6}).
 */
public record ConformanceCase(
    String suite,
    String group,
    String id,
    List<String> senders,
    String receiver,
    List<String> inputs,
    List<String> expected,
    int[] ignored,
    List<String> env)
{
    /**
     * @return whether byte {@code offset} of an emitted packet is compared.
     */
    public boolean compares(final int offset)
    {
        for (final int i : ignored)
        {
            if (i == offset)
            {
                return false;
            }
        }
        return true;
    }
}

package io.sixgate.core.pipeline;

/**
 * What a {@link Stage} decided for one frame, packed into an {@code int} so that the hot
 * path returns it without allocating.
 *
 * <pre>
 *   31      24 23                                 0
 *  +----------+------------------------------------+
 *  |   kind   |  value: stage id, port id or reason |
 *  +----------+------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li>{@link #KIND_NEXT}: continue with the stage whose id is the value;</li>
 *   <li>{@link #KIND_TX}: transmit on the port whose id is the value;</li>
 *   <li>{@link #KIND_DROP}: release the frame and count the drop reason whose pipeline-wide
 *       id is the value;</li>
 *   <li>{@link #KIND_CONSUMED}: the stage kept the frame (a queue waiting for a neighbour,
 *       reassembly) or released it after answering it locally (ARP, NDP, echo).</li>
 * </ul>
 */
public final class Verdict
{
    public static final int KIND_NEXT = 1;
    public static final int KIND_TX = 2;
    public static final int KIND_DROP = 3;
    public static final int KIND_CONSUMED = 4;

    /** Largest stage id, port id or drop reason id a verdict can carry. */
    public static final int MAX_VALUE = 0xFF_FFFF;

    public static final int CONSUMED = KIND_CONSUMED << 24;

    private static final int KIND_SHIFT = 24;

    private Verdict()
    {
    }

    public static int next(final int stageId)
    {
        return (KIND_NEXT << KIND_SHIFT) | stageId;
    }

    public static int tx(final int portId)
    {
        return (KIND_TX << KIND_SHIFT) | portId;
    }

    public static int drop(final int dropReasonId)
    {
        return (KIND_DROP << KIND_SHIFT) | dropReasonId;
    }

    public static int kind(final int verdict)
    {
        return verdict >>> KIND_SHIFT;
    }

    public static int value(final int verdict)
    {
        return verdict & MAX_VALUE;
    }

    public static String toString(final int verdict)
    {
        switch (kind(verdict))
        {
            case KIND_NEXT:
                return "next(" + value(verdict) + ")";
            case KIND_TX:
                return "tx(" + value(verdict) + ")";
            case KIND_DROP:
                return "drop(" + value(verdict) + ")";
            case KIND_CONSUMED:
                return "consumed";
            default:
                return "invalid(0x" + Integer.toHexString(verdict) + ")";
        }
    }
}

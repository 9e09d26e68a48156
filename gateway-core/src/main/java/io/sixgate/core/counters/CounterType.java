package io.sixgate.core.counters;

/**
 * The type ids of sixgate's counters in the counters file, so that readers ({@code sixgate
 * stat}, {@code /metrics}) can group them without parsing labels. Every counter's key holds
 * the worker id at {@link #KEY_WORKER_OFFSET} and the port, drop-reason or event id at
 * {@link #KEY_INDEX_OFFSET}.
 */
public enum CounterType
{
    /** Frames received on a port. */
    RX_FRAMES(1001, "rx"),
    /** Frames transmitted on a port. */
    TX_FRAMES(1002, "tx"),
    /** Frames dropped, one counter per drop reason. */
    DROPS(1003, "drop"),
    /** Frames consumed by a stage: answered locally, queued or reassembled. */
    CONSUMED_FRAMES(1004, "consumed"),
    /** Frames the gateway created: ICMP errors, fragments, replies, re-injected frames. */
    GENERATED_FRAMES(1005, "generated"),
    /**
     * Frames a port lost outside the pipeline: before the worker received them (the ingest
     * queue was full, a read failed) or after the pipeline counted them transmitted (the device
     * would block, a write failed). Kept apart from {@link #DROPS} so that the pipeline's
     * conservation (received + generated = transmitted + consumed + dropped) still holds.
     */
    PORT_DROPS(1006, "port-drop"),

    /** What stages did besides final verdicts, one counter per stage event (not frames). */
    EVENTS(1007, "event");

    public static final int KEY_WORKER_OFFSET = 0;
    public static final int KEY_INDEX_OFFSET = 4;

    private final int typeId;
    private final String label;

    CounterType(final int typeId, final String label)
    {
        this.typeId = typeId;
        this.label = label;
    }

    public int typeId()
    {
        return typeId;
    }

    public String label()
    {
        return label;
    }

    /**
     * @return the counter type with that id, or {@code null} for a counter that is not sixgate's.
     */
    public static CounterType ofTypeId(final int typeId)
    {
        for (final CounterType type : values())
        {
            if (type.typeId == typeId)
            {
                return type;
            }
        }
        return null;
    }
}

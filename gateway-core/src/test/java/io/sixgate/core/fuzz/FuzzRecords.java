package io.sixgate.core.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The layout of a packet fuzz input: one or more records, so a target with state (sessions,
 * neighbours, egress-only flows) sees a conversation, not one packet.
 *
 * <pre>
 *  record: control (1 byte) | length (2 bytes, big-endian) | that many bytes of frame (fewer at the end)
 *  control: bit 0     side: which port the frame enters (0 or 1)
 *           bit 1     repair: make the frame's checksums right first ({@link ChecksumRepair})
 *           bits 2-4  time that passes before the frame: 0, 1 ms, 1 s, 10 s, 1 min, 5 min, 2 h 5 min, 1 day
 * </pre>
 * At most {@link #MAX_RECORDS} records are read; the fuzzer can reach every field.
 */
public final class FuzzRecords
{
    public static final int MAX_RECORDS = 16;
    public static final int SIDE = 0x01;
    public static final int REPAIR = 0x02;

    private static final long[] ADVANCE_NS = {
        0, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(10),
        TimeUnit.MINUTES.toNanos(1), TimeUnit.MINUTES.toNanos(5), TimeUnit.MINUTES.toNanos(125), TimeUnit.DAYS.toNanos(1)};

    /**
     * One frame of an input.
     *
     * @param side      0 or 1.
     * @param repair    whether its checksums were made right.
     * @param advanceNs time that passes before it.
     * @param frame     its bytes, at most {@link FuzzInvariants#MAX_FRAME_BYTES}.
     */
    public record Record(int side, boolean repair, long advanceNs, byte[] frame)
    {
    }

    private FuzzRecords()
    {
    }

    /**
     * @param input      the fuzzer's bytes.
     * @param ipOffset   where the IP header starts in a frame (14 for Ethernet, 0 for raw IP), for the repair.
     * @return the records, repaired where asked.
     */
    public static List<Record> parse(final byte[] input, final int ipOffset)
    {
        final List<Record> records = new ArrayList<>();
        int position = 0;
        while (position < input.length && records.size() < MAX_RECORDS)
        {
            final int control = input[position] & 0xFF;
            final int declared = position + 2 < input.length
                ? (input[position + 1] & 0xFF) << 8 | input[position + 2] & 0xFF : 0;
            position += 3;
            final int length = Math.max(0, Math.min(Math.min(declared, FuzzInvariants.MAX_FRAME_BYTES),
                input.length - position));
            final byte[] frame = new byte[length];
            if (length > 0)
            {
                System.arraycopy(input, position, frame, 0, length);
            }
            position += length;
            final boolean repair = (control & REPAIR) != 0;
            if (repair)
            {
                ChecksumRepair.repair(frame, ipOffset);
            }
            records.add(new Record(control & SIDE, repair, ADVANCE_NS[(control >>> 2) & 7], frame));
        }
        return records;
    }

    /**
     * @return whether every record was repaired, so every emitted checksum must verify.
     */
    public static boolean allRepaired(final List<Record> records)
    {
        for (final Record record : records)
        {
            if (!record.repair())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds an input (seeds, and the tests that run the fuzz targets over known packets).
     */
    public static final class Builder
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /**
         * @param side      0 or 1.
         * @param advance   index into the time steps (0 = none .. 7 = one day).
         */
        public Builder frame(final int side, final int advance, final byte[] frame)
        {
            out.write(side & SIDE | REPAIR | (advance & 7) << 2);
            out.write(frame.length >>> 8);
            out.write(frame.length);
            out.writeBytes(frame);
            return this;
        }

        public Builder frame(final int side, final byte[] frame)
        {
            return frame(side, 0, frame);
        }

        public byte[] build()
        {
            return out.toByteArray();
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return one repaired record holding {@code frame}, entering on {@code side}.
     */
    public static byte[] single(final int side, final byte[] frame)
    {
        return builder().frame(side, frame).build();
    }
}

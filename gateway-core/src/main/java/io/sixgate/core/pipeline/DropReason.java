package io.sixgate.core.pipeline;

/**
 * Why a frame was dropped. Implemented by one enum per stage (VPP's "error" strings as
 * data): the enum constant is the reason, {@link #label()} is the name operators see in
 * counters and {@code sixgate stat}.
 *
 * <p>Enums implement {@link #ordinal()} already; the pipeline uses it to find the
 * reason's counter without a map lookup on the hot path.
 */
public interface DropReason
{
    /**
     * @return short kebab-case label, unique within the stage, e.g. {@code "truncated-header"}.
     */
    String label();

    /**
     * @return position of the reason within its enum, as given by {@link Enum#ordinal()}.
     */
    int ordinal();
}

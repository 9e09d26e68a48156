package io.sixgate.core.pipeline;

/**
 * Drops made by the {@link Pipeline} itself rather than by a stage.
 */
public enum PipelineDropReason implements DropReason
{
    /** A frame visited more stages than {@link Pipeline#MAX_STAGE_VISITS}: a loop in the graph. */
    STAGE_LOOP("stage-loop"),
    /** A stage generated more frames at once than the pending queue holds. */
    PENDING_OVERFLOW("pending-overflow"),
    /** A verdict named a port or stage the pipeline does not have: a wiring bug, counted. */
    BAD_VERDICT("bad-verdict"),
    /** The frame arrived on a port with no entry stage configured. */
    NO_ENTRY_STAGE("no-entry-stage");

    private final String label;

    PipelineDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}

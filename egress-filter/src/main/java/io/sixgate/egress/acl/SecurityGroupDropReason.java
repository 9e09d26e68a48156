package io.sixgate.egress.acl;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the security-group stage dropped a packet to or from a member.
 */
public enum SecurityGroupDropReason implements DropReason
{
    /** A new flow towards a member that no inbound rule of its groups allows (unsolicited inbound). */
    INBOUND_NOT_ALLOWED("inbound-not-allowed"),
    /** A new flow from a member that no outbound rule of its groups allows. */
    OUTBOUND_NOT_ALLOWED("outbound-not-allowed"),
    /** The connection table is full: the new flow is refused, tracked flows keep working. */
    STATE_TABLE_FULL("state-table-full"),
    /** The flow's initiating address holds its limit of tracked flows. */
    ADDRESS_FLOW_LIMIT("address-flow-limit");

    private final String label;

    SecurityGroupDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}

package io.sixgate.egress.acl;

import io.sixgate.core.pipeline.StageEvent;

/**
 * What the security-group stage did besides passing and dropping.
 */
public enum SecurityGroupEvent implements StageEvent
{
    /** A new flow was allowed by the rules and tracked. */
    FLOW_CREATED("flow-created"),
    /** An ICMP error about a tracked flow passed without a rule (RFC 4890 §4.3.1, RFC 6092 §3.2.1). */
    RELATED_ICMP_ERROR("related-icmp-error"),
    /** A member's packet to pool4 was left to NAT64, whose session is the flow's state. */
    NAT64_RETURN("nat64-return");

    private final String label;

    SecurityGroupEvent(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}

package io.sixgate.egress.acl;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the network-acl stage dropped a packet entering or leaving a subnet.
 */
public enum NetworkAclDropReason implements DropReason
{
    /** A deny rule of the destination subnet's ACL matched first. */
    INBOUND_DENIED("inbound-denied"),
    /** A deny rule of the source subnet's ACL matched first. */
    OUTBOUND_DENIED("outbound-denied"),
    /** No inbound rule of the destination subnet's ACL matched: the implicit final deny. */
    INBOUND_NO_RULE("inbound-no-rule"),
    /** No outbound rule of the source subnet's ACL matched: the implicit final deny. */
    OUTBOUND_NO_RULE("outbound-no-rule");

    private final String label;

    NetworkAclDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}

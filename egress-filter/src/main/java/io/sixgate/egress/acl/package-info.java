/**
 * Network ACLs (stateless, ordered, per subnet) and security groups (stateful, allow-only, per
 * member address) of the VPC, over one compiled first-match classifier ({@link
 * io.sixgate.egress.acl.AclClassifier}); the {@code network-acl} and {@code security-group} stages.
 */
package io.sixgate.egress.acl;

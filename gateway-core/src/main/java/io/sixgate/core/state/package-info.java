/**
 * Generic pieces of the off-heap flow-state tables shared by NAT64 sessions and the egress-only
 * filter: an open-addressing hash index with backward-shift delete, an entry allocator with an
 * intrusive free list, keyed hashing, and a freeable cache-aligned region.
 */
package io.sixgate.core.state;

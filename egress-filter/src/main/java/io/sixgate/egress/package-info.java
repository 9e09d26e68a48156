/** sixgate egress-filter module. */
package io.sixgate.egress;

/** sixgate nat64 module. */
package io.sixgate.nat64;

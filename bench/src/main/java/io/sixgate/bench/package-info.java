/** sixgate bench module. */
package io.sixgate.bench;

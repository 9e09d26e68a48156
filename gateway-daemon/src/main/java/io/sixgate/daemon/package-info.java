/** The sixgate program. */
package io.sixgate.daemon;

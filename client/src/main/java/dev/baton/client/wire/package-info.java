/**
 * The JSON bodies of Baton's HTTP API, shared by the node (which writes them) and the client (which
 * reads them). Records are immutable; a field the server did not send is {@code null} (objects) or
 * zero (numbers). Unknown fields are ignored by readers so that servers may add fields freely.
 */
package dev.baton.client.wire;

/**
 * How long a query waits for a free connection of a server's pool (or for a connection of its own to
 * open) before it fails. Without a bound, transactions that each hold a pool connection and wait for
 * another would wait for ever once they hold them all; with it they fail, roll back and free their
 * connections. Far above the waits of the key read under load (milliseconds); what holds a
 * connection for long (a verification, an export) with a small pool can make others reach it.
 */
export const CONNECTION_WAIT_MS = 30_000;

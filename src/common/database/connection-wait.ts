/**
 * How long a query waits for a free connection of a server's pool (or for a connection of its own to
 * open) before it fails. Without a bound, transactions that each hold a pool connection and wait for
 * another would wait for ever once they hold them all; with it they fail, roll back and free their
 * connections. Far above any wait under load, where a pool connection frees in milliseconds.
 */
export const CONNECTION_WAIT_MS = 30_000;

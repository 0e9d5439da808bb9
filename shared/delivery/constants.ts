/**
 * Default lease: how long one worker may hold a message while it calls Genesys. Longer than one whole
 * attempt (a token fetch, the call, and one 401 renewal, each bounded by GENESYS_TIMEOUT_MS) with room to
 * spare; a worker that dies holding it delays the message by at most this long.
 */
export const DEFAULT_LEASE_SECONDS = 60;

/**
 * Imported first by main.ts, before any native addon loads. @node-rs/argon2 allocates with
 * mimalloc, which by default keeps freed pages around for a while; each argon2id hash takes
 * 19 MiB, so a few hashing threads would otherwise hold on to ~20 MiB each after a burst of
 * sign-ins. Purging at once costs little beside the hash itself (bench/login.ts measured it).
 * An operator's own setting wins.
 */
process.env.MIMALLOC_PURGE_DELAY ??= '0';

-- The sector a third-party app's pairwise `sub` is made from (federation/claims.ts
-- pairwiseSubject): a random value drawn when the app is registered, so its people's `sub`
-- belongs to this registration alone (another app on its host, or one registered later under
-- the same client ID, cannot link them) and stays when the app moves to another host. Null for
-- a first-party app, and for a third-party app registered before this column: its sector is
-- still its redirect URIs' host, as the provider made it, kept here at its first change
-- (federation/clients.ts updateClient), so its people keep their `sub`.
alter table oidc_clients add column pairwise_sector text;

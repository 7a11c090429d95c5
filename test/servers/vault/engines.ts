// Mount type → engine. Built-in mounts (system, token, identity) exist in every namespace.
import type { Engine } from './context';
import { AUTH_ENGINES } from './auth';
import { identityEngine } from './identity';
import { kvEngine } from './kv';
import { leasedEngine } from './leases';
import { sysEngine } from './sys';
import { tokenEngine } from './tokens';
import { transitEngine } from './transit';

export const ENGINES: Record<string, Engine> = {
  system: sysEngine,
  token: tokenEngine,
  identity: identityEngine,
  kv: kvEngine,
  transit: transitEngine,
  leased: leasedEngine,
  ...AUTH_ENGINES,
};

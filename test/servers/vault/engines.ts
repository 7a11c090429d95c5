// Mount type → engine. Built-in mounts (system, token, identity, cubbyhole) exist in every namespace.
import type { Engine } from './context';
import { unsupportedPath } from './context';
import { approleEngine, ldapEngine, userpassEngine } from './auth';
import { certEngine } from './auth-cert';
import { jwtEngine, kubernetesEngine } from './auth-jwt';
import { identityEngine } from './identity';
import { kvEngine } from './kv';
import { leasedEngine } from './leases';
import { sysEngine } from './sys';
import { tokenEngine } from './token-store';
import { transitEngine } from './transit';

export const ENGINES: Record<string, Engine> = {
  system: sysEngine,
  token: tokenEngine,
  identity: identityEngine,
  // Cubbyhole is not implemented (nothing in the reference needs it).
  cubbyhole: { handle: () => unsupportedPath() },
  kv: kvEngine,
  transit: transitEngine,
  leased: leasedEngine,
  approle: approleEngine,
  userpass: userpassEngine,
  ldap: ldapEngine,
  kubernetes: kubernetesEngine,
  jwt: jwtEngine,
  oidc: jwtEngine,
  cert: certEngine,
};

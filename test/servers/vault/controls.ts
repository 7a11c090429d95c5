// Test-side set-up of the fake Vault (no HTTP involved): login roles and users, entities, JWTs the
// jwt and kubernetes logins accept, identity-token roles, transit keys and leased secrets.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { authMount } from './auth';
import type { AppRole, CertRole, JwtRole, KubernetesRole, PasswordUser, TokenSettings } from './auth';
import { oidcRoles } from './identity';
import { signJws } from './jws';
import type { JwsAlg } from './jws';
import { leasedDefs, liveLease } from './leases';
import type { Lease } from './leases';
import type { Mount, VaultState } from './state';
import { sanitizePolicies } from './tokens';
import { addKeyVersion, transitKeys } from './transit';
import type { TransitKeyType } from './transit';
import { base62 } from './util';
import type { JsonObject } from './util';

export interface RoleOptions {
  policies?: string[];
  /** Token TTL in seconds (default 768h). */
  tokenTtl?: number;
  tokenMaxTtl?: number;
  namespace?: string;
  /** Auth mount path (default: the method's name); may be nested ('team/approle'). */
  mount?: string;
}

export interface Controls {
  addAppRole(opts: RoleOptions & { roleName: string; roleId: string; secretId: string | string[] }): void;
  addUser(opts: RoleOptions & { username: string; password: string }): void;
  addLdapUser(opts: RoleOptions & { username: string; password: string }): void;
  /** Create an identity entity; returns its id. */
  createEntity(opts: { name?: string; metadata?: Record<string, string>; namespace?: string }): string;
  /** Sign a JWT the jwt mounts trust (default key, ES256) or with another key. Header {alg, typ: 'JWT'}. */
  signJwt(claims: JsonObject, opts?: { privateKey?: KeyObject; alg?: JwsAlg }): string;
  addJwtRole(opts: RoleOptions & { role: string; boundAudiences?: string[] }): void;
  addKubernetesRole(
    opts: RoleOptions & { role: string; boundServiceAccountNames: string[]; boundServiceAccountNamespaces: string[] },
  ): void;
  /** A projected service-account token signed by the key every kubernetes mount trusts. */
  kubernetesServiceAccountToken(opts: { namespace: string; name: string; uid?: string; expiresIn?: number }): string;
  /** A login with a client certificate issued by (or equal to) `certificate`. */
  addCertRole(opts: RoleOptions & { name: string; certificate: string | Buffer }): void;
  /** Returns the role's client_id (random unless given); `ttl` in seconds (default 24h). */
  addOidcRole(opts: { name: string; ttl?: number; clientId?: string; template?: string }): string;
  createTransitKey(name: string, type: TransitKeyType, opts?: { mount?: string; namespace?: string }): void;
  /** Returns the new latest version. */
  rotateTransitKey(name: string, opts?: { mount?: string; namespace?: string }): number;
  /** Register a dynamic secret at `path` (first segment = mount, created as type "leased"). */
  addLeasedSecret(
    path: string,
    dataFactory: () => JsonObject,
    ttlSeconds: number,
    opts?: { renewable?: boolean; namespace?: string },
  ): void;
  /** The lease if it is live (not revoked, not expired). */
  leaseInfo(leaseId: string): Lease | undefined;
}

export function controls(state: VaultState): Controls {
  const jwtKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const k8sKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const nsOf = (namespace?: string): string => state.namespace(namespace).path;
  const authAt = (type: string, o: RoleOptions): Mount =>
    state.addMount(nsOf(o.namespace), `auth/${(o.mount ?? type).replace(/^\/+|\/+$/g, '')}`, type);
  const settings = (o: RoleOptions): TokenSettings => ({
    policies: sanitizePolicies(o.policies ?? [], false),
    tokenTtl: o.tokenTtl,
    tokenMaxTtl: o.tokenMaxTtl,
  });
  const addRole = <R>(type: string, o: RoleOptions, name: string, role: R, key?: KeyObject): void => {
    const mount = authMount<R>(authAt(type, o));
    mount.roles.set(name, role);
    if (key && mount.publicKeys.length === 0) mount.publicKeys.push(key);
  };
  const transitMount = (opts: { mount?: string; namespace?: string } = {}) =>
    state.addMount(nsOf(opts.namespace), opts.mount ?? 'transit', 'transit');

  return {
    addAppRole: (o) =>
      addRole<AppRole>('approle', o, o.roleName, {
        ...settings(o),
        roleName: o.roleName,
        roleId: o.roleId,
        secretIds: new Set([o.secretId].flat()),
      }),
    addUser: (o) => addRole<PasswordUser>('userpass', o, o.username.toLowerCase(), { ...settings(o), password: o.password }),
    addLdapUser: (o) => addRole<PasswordUser>('ldap', o, o.username.toLowerCase(), { ...settings(o), password: o.password }),
    createEntity: (o) => state.createEntity({ nsPath: nsOf(o.namespace), name: o.name, metadata: o.metadata }).id,
    signJwt: (claims, o = {}) => signJws({ alg: o.alg ?? 'ES256', typ: 'JWT' }, claims, o.privateKey ?? jwtKey.privateKey),
    addJwtRole: (o) => addRole<JwtRole>('jwt', o, o.role, { ...settings(o), boundAudiences: o.boundAudiences ?? [] }, jwtKey.publicKey),
    addKubernetesRole: (o) =>
      addRole<KubernetesRole>(
        'kubernetes',
        o,
        o.role,
        {
          ...settings(o),
          boundServiceAccountNames: o.boundServiceAccountNames,
          boundServiceAccountNamespaces: o.boundServiceAccountNamespaces,
        },
        k8sKey.publicKey,
      ),
    kubernetesServiceAccountToken(o) {
      const iat = Math.floor(state.now() / 1000);
      const claims: JsonObject = {
        aud: ['https://kubernetes.default.svc.cluster.local'],
        exp: iat + (o.expiresIn ?? 3600),
        iat,
        iss: 'https://kubernetes.default.svc.cluster.local',
        'kubernetes.io': { namespace: o.namespace, serviceaccount: { name: o.name, uid: o.uid ?? '00000000-0000-4000-8000-000000000000' } },
        nbf: iat,
        sub: `system:serviceaccount:${o.namespace}:${o.name}`,
      };
      return signJws({ alg: 'ES256', kid: 'fake-k8s' }, claims, k8sKey.privateKey);
    },
    addCertRole: (o) =>
      addRole<CertRole>('cert', o, o.name, { ...settings(o), name: o.name, certificate: new X509Certificate(o.certificate) }),
    addOidcRole(o) {
      const clientId = o.clientId ?? base62(26);
      oidcRoles(state).set(o.name, { name: o.name, ttl: o.ttl ?? 86400, clientId, template: o.template });
      return clientId;
    },
    createTransitKey(name, type, opts = {}) {
      const key = { name, type, versions: new Map(), latest: 0 };
      addKeyVersion(state, key);
      transitKeys(transitMount(opts)).set(name, key);
    },
    rotateTransitKey(name, opts = {}) {
      const key = transitKeys(transitMount(opts)).get(name);
      if (!key) throw new Error(`fake vault: no transit key "${name}"`);
      return addKeyVersion(state, key);
    },
    addLeasedSecret(path, dataFactory, ttlSeconds, opts = {}) {
      const clean = path.replace(/^\/+|\/+$/g, '');
      const slash = clean.indexOf('/');
      if (slash < 0) throw new Error('fake vault: leased secret path needs a mount and a name, e.g. "database/creds/app"');
      const mount = state.addMount(nsOf(opts.namespace), clean.slice(0, slash), 'leased');
      leasedDefs(mount).set(clean.slice(slash + 1), { factory: dataFactory, ttl: ttlSeconds, renewable: opts.renewable ?? true });
    },
    leaseInfo: (leaseId) => liveLease(state, leaseId),
  };
}

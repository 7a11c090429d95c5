// Test-side control of the phase-2 engines: kubernetes/jwt/cert auth, identity OIDC keys and
// roles, transit keys and the leased-secret engine.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { certRoles } from './auth-cert';
import { jwtMount, k8sMount } from './auth-jwt';
import type { JwtRole, KubernetesRole } from './auth-jwt';
import type { ServerInfo } from './context';
import { enableAuthMount } from './control-auth';
import type { TokenRoleOptions } from './control-auth';
import { addOidcKey, oidc, randomClientId, rotateOidcKey } from './identity';
import { signJws, toPublicKey } from './jws';
import type { JwsAlg } from './jws';
import { leasedDefs, liveLease } from './leases';
import type { Lease } from './leases';
import type { VaultState } from './state';
import { sanitizePolicies } from './tokens';
import { addKeyVersion, transitKeys } from './transit';
import type { TransitKeyType } from './transit';
import type { JsonObject } from './util';

type PublicKeyInput = string | Buffer | KeyObject;

export interface Phase2Control {
  /** Key pair whose public half every jwt mount trusts unless configureJwtAuth sets other keys. */
  jwtTestKey: { privateKey: KeyObject; publicKey: KeyObject; alg: JwsAlg };
  /** Sign a JWT (default: jwtTestKey, ES256). Header is {alg, typ: 'JWT'} plus kid when given. */
  signJwt(claims: JsonObject, opts?: { privateKey?: KeyObject; alg?: JwsAlg; kid?: string }): string;
  configureJwtAuth(opts: {
    mount?: string;
    publicKeys?: PublicKeyInput[];
    boundIssuer?: string;
    defaultRole?: string;
    namespace?: string;
  }): void;
  addJwtRole(
    opts: TokenRoleOptions & {
      mount?: string;
      role: string;
      /** Added to the mount's trusted keys. */
      publicKey?: PublicKeyInput;
      roleType?: 'jwt' | 'oidc';
      boundAudiences?: string[];
      userClaim?: string;
      boundSubject?: string;
      boundClaims?: Record<string, string | string[]>;
      claimMappings?: Record<string, string>;
    },
  ): void;
  /** Public keys that sign service-account tokens (default: the server's own, see kubernetesServiceAccountToken). */
  configureKubernetes(opts: { mount?: string; publicKeys: PublicKeyInput[]; namespace?: string }): void;
  addKubernetesRole(
    opts: TokenRoleOptions & {
      mount?: string;
      role: string;
      boundServiceAccountNames: string[];
      boundServiceAccountNamespaces: string[];
      audience?: string;
      aliasNameSource?: 'serviceaccount_uid' | 'serviceaccount_name';
    },
  ): void;
  /** A projected service-account token signed by the server's Kubernetes key. */
  kubernetesServiceAccountToken(opts: {
    namespace: string;
    name: string;
    uid?: string;
    audience?: string | string[];
    expiresIn?: number;
  }): string;
  addCertRole(
    opts: TokenRoleOptions & {
      mount?: string;
      name: string;
      certificate: string | Buffer;
      displayName?: string;
      allowedCommonNames?: string[];
    },
  ): void;
  addOidcKey(opts: {
    name: string;
    algorithm?: JwsAlg;
    rotationPeriod?: number;
    verificationTtl?: number;
    allowedClientIds?: string[];
    namespace?: string;
  }): void;
  rotateOidcKey(name: string, namespace?: string): void;
  /**
   * Returns the role's client_id (random 26 characters unless given). `template` is Vault's
   * JSON text with unquoted placeholders, e.g. '{"groups": {{identity.entity.groups.names}}}'
   * (or its base64 form); `ttl` in seconds (default 24h).
   */
  addOidcRole(opts: { name: string; key?: string; ttl?: number; clientId?: string; template?: string; namespace?: string }): string;
  /** Change the issuer base used in identity tokens and discovery. */
  setIssuer(issuer: string): void;
  createTransitKey(name: string, type: TransitKeyType, opts?: { mount?: string; namespace?: string }): void;
  /** Returns the new latest version. */
  rotateTransitKey(name: string, opts?: { mount?: string; namespace?: string }): number;
  /** Register a dynamic secret at `path` (first segment = mount, created as type "leased"). */
  addLeasedSecret(
    path: string,
    dataFactory: () => JsonObject,
    ttlSeconds: number,
    opts?: { renewable?: boolean; maxTtl?: number; namespace?: string },
  ): void;
  leaseInfo(leaseId: string): Lease | undefined;
}

export async function phase2Control(state: VaultState, info: ServerInfo): Promise<Phase2Control> {
  const jwtKey = { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }), alg: 'ES256' as JwsAlg };
  const k8sKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const nsOf = (namespace?: string): string => state.namespace(namespace).path;
  const jwtState = (mountPath: string | undefined, namespace: string | undefined) => {
    const mount = enableAuthMount(state, 'jwt', mountPath, namespace);
    const s = jwtMount(mount);
    if (s.config.publicKeys.length === 0) s.config.publicKeys.push(jwtKey.publicKey);
    return s;
  };
  const k8sState = (mountPath: string | undefined, namespace: string | undefined) => {
    const s = k8sMount(enableAuthMount(state, 'kubernetes', mountPath, namespace));
    if (s.config.publicKeys.length === 0) s.config.publicKeys.push(k8sKey.publicKey);
    return s;
  };
  const tokenSettings = (o: TokenRoleOptions) => ({
    policies: sanitizePolicies(o.policies ?? [], false),
    tokenTtl: o.tokenTtl,
    tokenMaxTtl: o.tokenMaxTtl,
    renewable: o.renewable,
    tokenType: o.tokenType,
  });
  const transitMount = (opts: { mount?: string; namespace?: string } = {}) =>
    state.addMount(nsOf(opts.namespace), opts.mount ?? 'transit', 'transit');

  return {
    jwtTestKey: jwtKey,
    signJwt(claims, opts = {}) {
      const alg = opts.alg ?? (opts.privateKey ? 'RS256' : jwtKey.alg);
      const header: JsonObject = { alg, typ: 'JWT' };
      if (opts.kid) header.kid = opts.kid;
      return signJws(header, claims, opts.privateKey ?? jwtKey.privateKey);
    },
    configureJwtAuth(opts) {
      const s = jwtState(opts.mount, opts.namespace);
      if (opts.publicKeys) s.config.publicKeys = opts.publicKeys.map(toPublicKey);
      if (opts.boundIssuer !== undefined) s.config.boundIssuer = opts.boundIssuer;
      if (opts.defaultRole !== undefined) s.config.defaultRole = opts.defaultRole;
    },
    addJwtRole(opts) {
      const s = jwtState(opts.mount, opts.namespace);
      if (opts.publicKey) s.config.publicKeys.push(toPublicKey(opts.publicKey));
      const role: JwtRole = {
        name: opts.role,
        roleType: opts.roleType ?? 'jwt',
        boundAudiences: opts.boundAudiences ?? [],
        userClaim: opts.userClaim ?? 'sub',
        boundSubject: opts.boundSubject,
        boundClaims: opts.boundClaims,
        claimMappings: opts.claimMappings,
        ...tokenSettings(opts),
      };
      s.roles.set(role.name, role);
    },
    configureKubernetes(opts) {
      k8sState(opts.mount, opts.namespace).config.publicKeys = opts.publicKeys.map(toPublicKey);
    },
    addKubernetesRole(opts) {
      const role: KubernetesRole = {
        name: opts.role,
        boundServiceAccountNames: opts.boundServiceAccountNames,
        boundServiceAccountNamespaces: opts.boundServiceAccountNamespaces,
        audience: opts.audience,
        aliasNameSource: opts.aliasNameSource,
        ...tokenSettings(opts),
      };
      k8sState(opts.mount, opts.namespace).roles.set(role.name, role);
    },
    kubernetesServiceAccountToken(opts) {
      const iat = Math.floor(state.now() / 1000);
      const uid = opts.uid ?? '00000000-0000-4000-8000-000000000000';
      const claims: JsonObject = {
        aud:
          opts.audience === undefined
            ? ['https://kubernetes.default.svc.cluster.local']
            : Array.isArray(opts.audience)
              ? opts.audience
              : [opts.audience],
        exp: iat + (opts.expiresIn ?? 3600),
        iat,
        iss: 'https://kubernetes.default.svc.cluster.local',
        'kubernetes.io': { namespace: opts.namespace, serviceaccount: { name: opts.name, uid } },
        nbf: iat,
        sub: `system:serviceaccount:${opts.namespace}:${opts.name}`,
      };
      return signJws({ alg: 'ES256', kid: 'fake-k8s' }, claims, k8sKey.privateKey);
    },
    addCertRole(opts) {
      const mount = enableAuthMount(state, 'cert', opts.mount, opts.namespace);
      certRoles(mount).set(opts.name, {
        name: opts.name,
        certificate: new X509Certificate(opts.certificate),
        displayName: opts.displayName,
        allowedCommonNames: opts.allowedCommonNames,
        ...tokenSettings(opts),
      });
    },
    addOidcKey(opts) {
      addOidcKey(state, nsOf(opts.namespace), opts);
    },
    rotateOidcKey(name, namespace) {
      const key = oidc(state, nsOf(namespace)).keys.get(name);
      if (!key) throw new Error(`fake vault: no OIDC key "${name}"`);
      rotateOidcKey(state, key);
    },
    addOidcRole(opts) {
      const clientId = opts.clientId ?? randomClientId();
      oidc(state, nsOf(opts.namespace)).roles.set(opts.name, {
        name: opts.name,
        key: opts.key ?? 'default',
        ttl: opts.ttl ?? 86400,
        clientId,
        template: opts.template,
      });
      return clientId;
    },
    setIssuer(issuer) {
      info.issuer = issuer;
    },
    createTransitKey(name, type, opts = {}) {
      const keys = transitKeys(transitMount(opts));
      const key = { name, type, versions: new Map(), latest: 0 };
      addKeyVersion(state, key);
      keys.set(name, key);
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
      leasedDefs(mount).set(clean.slice(slash + 1), {
        factory: dataFactory,
        ttl: ttlSeconds,
        maxTtl: opts.maxTtl ?? 0,
        renewable: opts.renewable ?? true,
      });
    },
    leaseInfo: (leaseId) => liveLease(state, leaseId),
  };
}

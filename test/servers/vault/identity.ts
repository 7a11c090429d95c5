// Identity secrets engine, OIDC subset: named keys (real key pairs, rotation), roles, signed
// identity tokens, the discovery and JWKS documents, introspection, and entity read.
import type { KeyObject } from 'node:crypto';
import type { Ctx, Engine } from './context';
import { badRequest, reply, str, unsupportedOperation, unsupportedPath } from './context';
import { JWS_ALGS, generateKeyFor, publicJwk, signJws, verifyJws } from './jws';
import type { JwsAlg } from './jws';
import { renderTemplate } from './oidc-template';
import type { VaultState } from './state';
import { bareJson, base62, errorReply, uuid } from './util';
import type { JsonObject, Reply } from './util';

interface KeyVersion {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  createdMs: number;
  /** When a rotated-out key stops being published (verification_ttl after rotation). */
  retireAtMs?: number;
}

export interface OidcKey {
  name: string;
  algorithm: JwsAlg;
  rotationPeriod: number;
  verificationTtl: number;
  allowedClientIds: string[];
  current: KeyVersion;
  previous: KeyVersion[];
}

export interface OidcRole {
  name: string;
  key: string;
  ttl: number;
  clientId: string;
  template?: string;
}

interface OidcNamespace {
  keys: Map<string, OidcKey>;
  roles: Map<string, OidcRole>;
}

const stores = new WeakMap<VaultState, Map<string, OidcNamespace>>();

function newVersion(state: VaultState, alg: JwsAlg): KeyVersion {
  return { kid: uuid(), ...generateKeyFor(alg), createdMs: state.now() };
}

export function addOidcKey(
  state: VaultState,
  nsPath: string,
  opts: { name: string; algorithm?: JwsAlg; rotationPeriod?: number; verificationTtl?: number; allowedClientIds?: string[] },
): OidcKey {
  const algorithm = opts.algorithm ?? 'RS256';
  if (!JWS_ALGS.includes(algorithm)) throw new Error(`fake vault: unsupported OIDC key algorithm ${algorithm}`);
  const key: OidcKey = {
    name: opts.name,
    algorithm,
    rotationPeriod: opts.rotationPeriod ?? 86400,
    verificationTtl: opts.verificationTtl ?? 86400,
    allowedClientIds: opts.allowedClientIds ?? ['*'],
    current: newVersion(state, algorithm),
    previous: [],
  };
  oidc(state, nsPath).keys.set(key.name, key);
  return key;
}

/** OIDC state of a namespace; the `default` key (RS256, allowed_client_ids ["*"]) is created on first use. */
export function oidc(state: VaultState, nsPath: string): OidcNamespace {
  let byNs = stores.get(state);
  if (!byNs) stores.set(state, (byNs = new Map()));
  let ns = byNs.get(nsPath);
  if (!ns) {
    ns = { keys: new Map(), roles: new Map() };
    byNs.set(nsPath, ns);
    addOidcKey(state, nsPath, { name: 'default' });
  }
  return ns;
}

export function rotateOidcKey(state: VaultState, key: OidcKey): void {
  key.previous.push({ ...key.current, retireAtMs: state.now() + key.verificationTtl * 1000 });
  key.current = newVersion(state, key.algorithm);
}

export function issuerOf(ctx: Ctx): string {
  return `${ctx.server.issuer.replace(/\/+$/, '')}/v1/${ctx.ns.path}identity/oidc`;
}

function generateToken(ctx: Ctx, roleName: string): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const store = oidc(ctx.state, ctx.ns.path);
  const role = store.roles.get(roleName);
  if (!role) return badRequest(`role "${roleName}" not found`);
  const key = store.keys.get(role.key);
  if (!key) return badRequest(`key "${role.key}" not found`);
  if (!key.allowedClientIds.includes('*') && !key.allowedClientIds.includes(role.clientId)) {
    return badRequest(`the key "${key.name}" does not list the client ID of the role "${role.name}" as an allowed client ID`);
  }
  const entity = ctx.token?.entityId ? ctx.state.entities.get(ctx.token.entityId) : undefined;
  if (!entity) return badRequest("no entity associated with the request's token");
  const iat = Math.floor(ctx.state.now() / 1000);
  const claims: Record<string, unknown> = {
    ...renderTemplate(ctx.state, role.template, entity, iat),
    aud: role.clientId,
    exp: iat + role.ttl,
    iat,
    iss: issuerOf(ctx),
    namespace: ctx.ns.id,
    sub: entity.id,
  };
  // The payload is a Go map marshalled by encoding/json: keys come out sorted.
  const payload = Object.fromEntries(
    Object.keys(claims)
      .sort()
      .map((k) => [k, claims[k]]),
  );
  const token = signJws({ alg: key.algorithm, kid: key.current.kid }, payload, key.current.privateKey);
  return reply(ctx, { data: { client_id: role.clientId, token, ttl: role.ttl } });
}

function publishedVersions(state: VaultState, key: OidcKey): KeyVersion[] {
  return [key.current, ...key.previous.filter((v) => (v.retireAtMs ?? Infinity) > state.now())];
}

function wellKnown(ctx: Ctx, doc: string): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const issuer = issuerOf(ctx);
  if (doc === 'openid-configuration') {
    return bareJson(
      200,
      {
        issuer,
        jwks_uri: `${issuer}/.well-known/keys`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      },
      { 'Cache-Control': 'max-age=3600' },
    );
  }
  if (doc !== 'keys') return unsupportedPath();
  const keys: JsonObject[] = [];
  let maxAge = Infinity;
  for (const key of oidc(ctx.state, ctx.ns.path).keys.values()) {
    for (const v of publishedVersions(ctx.state, key)) keys.push(publicJwk(v.publicKey, v.kid, key.algorithm));
    maxAge = Math.min(maxAge, Math.max(0, Math.ceil((key.current.createdMs + key.rotationPeriod * 1000 - ctx.state.now()) / 1000)));
  }
  return bareJson(200, { keys }, keys.length > 0 ? { 'Cache-Control': `max-age=${maxAge}` } : {});
}

function introspect(ctx: Ctx): Reply {
  if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
  const token = str(ctx.data, 'token');
  if (!token) return badRequest('missing token');
  const store = oidc(ctx.state, ctx.ns.path);
  const keys = [...store.keys.values()].flatMap((k) => publishedVersions(ctx.state, k).map((v) => v.publicKey));
  const inactive = (error: string): Reply => bareJson(200, { active: false, error });
  const verified = verifyJws(token, keys);
  if (!verified.ok) return inactive(`error validating signature: ${verified.error}`);
  const claims = verified.payload;
  if (typeof claims.exp === 'number' && claims.exp * 1000 < ctx.state.now()) return inactive('token is expired');
  const clientId = str(ctx.data, 'client_id');
  if (clientId && claims.aud !== clientId) return inactive('expected audience "' + clientId + '" got ["' + String(claims.aud) + '"]');
  return bareJson(200, { active: true });
}

function entityRead(ctx: Ctx, id: string): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const e = ctx.state.entities.get(id);
  if (!e) return errorReply(404);
  return reply(ctx, {
    data: {
      aliases: e.aliases.map((a) => ({
        mount_accessor: a.mountAccessor,
        mount_path: a.mountPath,
        mount_type: a.mountType,
        name: a.name,
        metadata: a.metadata,
      })),
      disabled: false,
      direct_group_ids: ctx.state.groupsOf(e.id).map((g) => g.id),
      id: e.id,
      metadata: e.metadata,
      name: e.name,
      namespace_id: ctx.ns.id,
      policies: e.policies,
    },
  });
}

function handle(ctx: Ctx): Reply {
  const rest = ctx.rest;
  let m = /^oidc\/token\/([^/]+)$/.exec(rest);
  if (m) return generateToken(ctx, m[1] as string);
  m = /^oidc\/\.well-known\/([^/]+)$/.exec(rest);
  if (m) return wellKnown(ctx, m[1] as string);
  if (rest === 'oidc/introspect') return introspect(ctx);
  m = /^entity\/id\/([^/]+)$/.exec(rest);
  if (m) return entityRead(ctx, m[1] as string);
  return unsupportedPath();
}

export const identityEngine: Engine = { handle };

export const randomClientId = (): string => base62(26);

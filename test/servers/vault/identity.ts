// Identity secrets engine, the part get-key reads: an OIDC identity token for the token's entity
// (`oidc/token/<role>`, signed RS256 by the `default` key), the discovery and JWKS documents a
// verifier fetches, and `entity/id/<id>` (the entity's name).
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Ctx, Engine } from './context';
import { badRequest, reply, unsupportedOperation, unsupportedPath } from './context';
import { signJws } from './jws';
import type { Entity, VaultState } from './state';
import { bareJson, errorReply } from './util';
import type { Reply } from './util';

export interface OidcRole {
  name: string;
  ttl: number;
  clientId: string;
  /** Vault's JSON template; only `{{identity.entity.name}}`, `.id` and `.metadata.<key>` are known here. */
  template?: string;
}

const keys = new WeakMap<VaultState, { kid: string; privateKey: KeyObject; publicKey: KeyObject }>();
const roleTables = new WeakMap<VaultState, Map<string, OidcRole>>();

/** The OIDC roles of the root namespace. */
export function oidcRoles(state: VaultState): Map<string, OidcRole> {
  let t = roleTables.get(state);
  if (!t) roleTables.set(state, (t = new Map()));
  return t;
}

/** The `default` key, made on first use. */
function signingKey(state: VaultState): { kid: string; privateKey: KeyObject; publicKey: KeyObject } {
  let key = keys.get(state);
  if (!key) keys.set(state, (key = { kid: randomUUID(), ...generateKeyPairSync('rsa', { modulusLength: 2048 }) }));
  return key;
}

/** Claims a template can never override. */
const RESERVED = ['iat', 'aud', 'exp', 'iss', 'sub', 'namespace', 'nonce', 'auth_time', 'at_hash', 'c_hash'];

/** Template claims for `entity`, or {} when there is no template or it does not render (Vault then drops it). */
function renderTemplate(template: string | undefined, entity: Entity): Record<string, unknown> {
  if (!template) return {};
  try {
    const text = template.replace(/\{\{\s*identity\.entity\.([a-z.]+[^}\s]*)\s*\}\}/g, (_m, param: string) => {
      if (param === 'name' || param === 'id') return JSON.stringify(entity[param]);
      if (param.startsWith('metadata.')) return JSON.stringify(entity.metadata[param.slice('metadata.'.length)] ?? '');
      throw new Error(`unsupported template parameter ${param}`);
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter(([k]) => !RESERVED.includes(k)));
  } catch {
    return {};
  }
}

const issuerOf = (ctx: Ctx): string => `${ctx.server.url}/v1/${ctx.ns.path}identity/oidc`;

function generateToken(ctx: Ctx, roleName: string): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const role = oidcRoles(ctx.state).get(roleName);
  if (!role) return badRequest(`role "${roleName}" not found`);
  const entity = ctx.token?.entityId ? ctx.state.entities.get(ctx.token.entityId) : undefined;
  if (!entity) return badRequest("no entity associated with the request's token");
  const iat = Math.floor(ctx.state.now() / 1000);
  const claims: Record<string, unknown> = {
    ...renderTemplate(role.template, entity),
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
  const key = signingKey(ctx.state);
  const token = signJws({ alg: 'RS256', kid: key.kid }, payload, key.privateKey);
  return reply(ctx, { data: { client_id: role.clientId, token, ttl: role.ttl } });
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
  const key = signingKey(ctx.state);
  const jwk = key.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return bareJson(
    200,
    { keys: [{ use: 'sig', kty: 'RSA', kid: key.kid, alg: 'RS256', n: jwk.n, e: jwk.e }] },
    { 'Cache-Control': 'max-age=86400' },
  );
}

function entityRead(ctx: Ctx, id: string): Reply {
  if (ctx.op !== 'read') return unsupportedOperation();
  const e = ctx.state.entities.get(id);
  if (!e) return errorReply(404);
  return reply(ctx, {
    data: {
      aliases: e.aliases.map((a) => ({ mount_accessor: a.mountAccessor, mount_path: a.mountPath, mount_type: a.mountType, name: a.name })),
      disabled: false,
      id: e.id,
      metadata: e.metadata,
      name: e.name,
      namespace_id: ctx.ns.id,
      policies: [],
    },
  });
}

function handle(ctx: Ctx): Reply {
  let m = /^oidc\/token\/([^/]+)$/.exec(ctx.rest);
  if (m) return generateToken(ctx, m[1] as string);
  m = /^oidc\/\.well-known\/([^/]+)$/.exec(ctx.rest);
  if (m) return wellKnown(ctx, m[1] as string);
  m = /^entity\/id\/([^/]+)$/.exec(ctx.rest);
  if (m) return entityRead(ctx, m[1] as string);
  return unsupportedPath();
}

export const identityEngine: Engine = { handle, unauthenticated: (rest) => rest.startsWith('oidc/.well-known/') };

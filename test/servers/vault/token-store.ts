// HTTP side of the token store: /v1/auth/token/*.
import type { Ctx, Engine } from './context';
import { badRequest, permissionDenied, reply, str, unsupportedOperation, unsupportedPath } from './context';
import { authBlock, createTokenEntry, lookupData, renewEntry, revokeTokenEntry, validToken } from './tokens';
import type { TokenEntry } from './state';
import { asBool, asStringList, errorReply, isObject, noContent, parseDurationSeconds } from './util';
import type { Reply } from './util';

function renewReply(ctx: Ctx, entry: TokenEntry): Reply {
  const raw = ctx.data.increment;
  const increment = raw === undefined || raw === null ? 0 : parseDurationSeconds(raw);
  if (increment === undefined) return badRequest(`error parsing increment: invalid duration ${JSON.stringify(raw)}`);
  const result = renewEntry(ctx.state, entry, increment);
  if (!result.ok) return errorReply(result.status, result.error);
  return reply(ctx, { auth: authBlock(ctx.state, entry, result.ttl), warnings: result.warnings });
}

function targetToken(ctx: Ctx): TokenEntry | Reply {
  const id = str(ctx.data, 'token');
  if (!id) return badRequest('missing token ID');
  const entry = validToken(ctx.state, id);
  // Vault answers an unknown token here with a plain permission denied.
  return entry ?? permissionDenied();
}

function create(ctx: Ctx, orphanPath: boolean): Reply {
  const d = ctx.data;
  const parent = ctx.token;
  // Vault requires the requested policies to be a subset of the parent's (unless root/sudo);
  // this fake does not enforce that.
  const policies = d.policies === undefined ? (parent?.policies.filter((p) => p !== 'root') ?? []) : asStringList(d.policies);
  const ttl = parseDurationSeconds(d.ttl ?? 0);
  const maxTtl = parseDurationSeconds(d.explicit_max_ttl ?? 0);
  if (ttl === undefined || maxTtl === undefined) return badRequest('invalid ttl');
  const type = str(d, 'type') || 'service';
  if (type !== 'service' && type !== 'batch') return badRequest(`unsupported token type "${type}"`);
  const meta = isObject(d.meta) ? Object.fromEntries(Object.entries(d.meta).map(([k, v]) => [k, String(v)])) : null;
  const wantsRoot = policies.includes('root');
  const entry = createTokenEntry(ctx.state, {
    id: str(d, 'id') || undefined,
    policies,
    root: wantsRoot && !!parent?.root,
    noDefaultPolicy: asBool(d.no_default_policy),
    ttl: ttl > 0 ? ttl : undefined,
    maxTtl,
    renewable: d.renewable === undefined ? true : asBool(d.renewable, true),
    namespace: ctx.ns.path,
    type,
    displayName: str(d, 'display_name') ? `token-${str(d, 'display_name')}` : 'token',
    meta,
    numUses: Number(d.num_uses ?? 0) || 0,
    path: orphanPath ? 'auth/token/create-orphan' : 'auth/token/create',
    orphan: orphanPath || asBool(d.no_parent),
    entityId: parent?.entityId ?? '',
  });
  return reply(ctx, { auth: authBlock(ctx.state, entry) });
}

async function handle(ctx: Ctx): Promise<Reply> {
  const { op, rest } = ctx;
  const token = ctx.token as TokenEntry;
  const write = op === 'update' || op === 'create';
  switch (rest) {
    case 'lookup-self':
      if (op !== 'read' && !write) return unsupportedOperation();
      return reply(ctx, { data: lookupData(ctx.state, token) });
    case 'renew-self':
      if (!write) return unsupportedOperation();
      return renewReply(ctx, token);
    case 'revoke-self':
      if (!write) return unsupportedOperation();
      revokeTokenEntry(ctx.state, token.id);
      return noContent();
    case 'lookup': {
      if (!write && op !== 'read') return unsupportedOperation();
      const target = targetToken(ctx);
      if ('status' in target) return target;
      return reply(ctx, { data: lookupData(ctx.state, target) });
    }
    case 'lookup-accessor': {
      if (!write) return unsupportedOperation();
      const id = ctx.state.accessors.get(str(ctx.data, 'accessor'));
      const target = validToken(ctx.state, id);
      if (!target) return badRequest('invalid accessor');
      return reply(ctx, { data: lookupData(ctx.state, target, false) });
    }
    case 'renew': {
      if (!write) return unsupportedOperation();
      const target = targetToken(ctx);
      if ('status' in target) return target;
      return renewReply(ctx, target);
    }
    case 'revoke': {
      if (!write) return unsupportedOperation();
      const id = str(ctx.data, 'token');
      if (!id) return badRequest('missing token ID');
      revokeTokenEntry(ctx.state, id);
      return noContent();
    }
    case 'create':
    case 'create-orphan':
      if (!write) return unsupportedOperation();
      return create(ctx, rest === 'create-orphan');
    default:
      return unsupportedPath();
  }
}

export const tokenEngine: Engine = { handle };

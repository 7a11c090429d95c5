// Response wrapping: X-Vault-Wrap-TTL replaces a successful answer with wrap_info, and
// sys/wrapping/{unwrap,lookup} give it back (once).
import type { Ctx } from './context';
import { badRequest, reply, str, unsupportedOperation } from './context';
import type { TokenEntry, VaultState } from './state';
import { createTokenEntry, revokeTokenEntry, validToken } from './tokens';
import { envelope, errorReply, isObject, parseDurationSeconds, rfc3339Nano } from './util';
import type { Reply } from './util';

const INVALID = 'wrapping token is not valid or does not exist';

/** Parse X-Vault-Wrap-TTL: seconds, undefined when absent, or an error reply. */
export function wrapTtlOf(header: string | string[] | undefined): number | undefined | Reply {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw === '') return undefined;
  const ttl = parseDurationSeconds(raw);
  if (ttl === undefined) return errorReply(400, `error parsing X-Vault-Wrap-TTL header: time: invalid duration "${raw}"`);
  if (ttl < 0) return errorReply(400, 'error parsing X-Vault-Wrap-TTL header: requested wrap ttl cannot be negative');
  return ttl === 0 ? undefined : ttl;
}

/** Store `answer` behind a new single-use wrapping token and return the wrap_info envelope. */
export function wrapResponse(state: VaultState, nsPath: string, creationPath: string, ttl: number, answer: Reply): Reply {
  const token = createTokenEntry(state, {
    policies: ['response-wrapping'],
    noDefaultPolicy: true,
    ttl,
    renewable: false,
    namespace: nsPath,
    numUses: 1,
    path: creationPath,
    displayName: 'response-wrapping',
  });
  token.wrapped = { status: answer.status, body: answer.body, path: creationPath, ttl, created: token.creation };
  const wrapInfo: Record<string, unknown> = {
    token: token.id,
    accessor: token.accessor,
    ttl,
    creation_time: rfc3339Nano(token.creation),
    creation_path: creationPath,
  };
  const body = answer.body;
  if (isObject(body) && isObject(body.auth) && typeof body.auth.accessor === 'string') wrapInfo.wrapped_accessor = body.auth.accessor;
  return { status: 200, body: envelope({ requestId: '', wrapInfo, mountType: '' }) };
}

function wrappingToken(state: VaultState, id: string): TokenEntry | undefined {
  const entry = validToken(state, id);
  return entry?.wrapped ? entry : undefined;
}

/** sys/wrapping/unwrap and sys/wrapping/lookup; undefined when not a wrapping path. */
export function wrappingSysEndpoint(ctx: Ctx): Reply | undefined {
  if (ctx.rest !== 'wrapping/unwrap' && ctx.rest !== 'wrapping/lookup') return undefined;
  if (ctx.op !== 'update' && ctx.op !== 'create') return unsupportedOperation();
  const bodyToken = str(ctx.data, 'token');
  const headerToken = ctx.token?.id ?? '';
  if (bodyToken && bodyToken === headerToken) return badRequest('the token in the body and the header must not be the same');
  const id = bodyToken || headerToken;
  const entry = wrappingToken(ctx.state, id);
  if (!entry || !entry.wrapped) return badRequest(INVALID);
  if (ctx.rest === 'wrapping/lookup') {
    return reply(ctx, {
      data: { creation_path: entry.wrapped.path, creation_time: rfc3339Nano(entry.wrapped.created), creation_ttl: entry.wrapped.ttl },
    });
  }
  revokeTokenEntry(ctx.state, entry.id);
  const original = entry.wrapped;
  return original.body === undefined ? { status: original.status } : { status: original.status, body: original.body };
}

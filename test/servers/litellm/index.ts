// A LiteLLM-compatible test gateway (faithful to ../shared/reference/litellm-api.md) on
// 127.0.0.1:0, built on the shared harness (request log, counters, fault injection), plus the
// controls tests need: static keys, revocation, blocking, spend, version, replies.
import { randomBytes } from 'node:crypto';
import { startHttpServer, type RunningServer, type StartOptions } from '../http-harness';
import { proxyErrorBody } from './errors';
import { healthRoutes } from './health';
import { generateRoute } from './key-generate';
import { readDeleteRoutes } from './key-read-delete';
import { updateRoutes } from './key-update';
import { messageRoutes } from './messages';
import { modelRoutes } from './models';
import { createRouter } from './router';
import { keyName, newRecord, newVirtualKey, tokenOf, type KeyRecord } from './key-record';
import { State, type MessageSeen, type ReplySource } from './state';
import { recordMessage } from './tracking';

export { hashKey, type KeyRecord } from './key-record';
export type { MessageSeen, Reply, ReplyBlock } from './state';
export { proxyErrorBody } from './errors';

export interface LitellmOptions extends StartOptions {
  /** Default: `sk-` + random. */
  masterKey?: string;
  /** Reported by /health/readiness and x-litellm-version. Default 1.83.0. */
  litellmVersion?: string;
  /** Model names served; `*` accepts any model (a wildcard deployment) and is not listed. */
  models?: string[];
  /**
   * false: answer as the real 1.106.12 proxy started without a database (docs/litellm-without-db.md):
   * only the master key is accepted, /key/* fail. Default true.
   */
  database?: boolean;
}

export interface AddKeyOptions {
  /** Default: a fresh `sk-` key. */
  key?: string;
  expiresAt?: Date | string | number | null;
  blocked?: boolean;
  maxBudget?: number | null;
  spend?: number;
  userId?: string | null;
  /** Role of the owning user (LiteLLM_UserTable.user_role), e.g. `internal_user`, `proxy_admin`. */
  userRole?: string;
  teamId?: string | null;
  models?: string[];
  alias?: string | null;
  metadata?: Record<string, unknown>;
}

export interface LitellmServer extends RunningServer {
  masterKey: string;
  setVersion(version: string): void;
  /** Store a key as if minted earlier; returns the plaintext key. */
  addKey(options?: AddKeyOptions): string;
  /** Delete as /key/delete would (key or hash); false when there was no such key. */
  deleteKey(keyOrHash: string): boolean;
  blockKey(keyOrHash: string, blocked?: boolean): void;
  setSpend(keyOrHash: string, spend: number): void;
  setExpiry(keyOrHash: string, expiresAt: Date | string | number | null): void;
  setUserRole(userId: string, role: string): void;
  /** Stored rows (live) / rows deleted since start. */
  keys(): KeyRecord[];
  deletedKeys(): KeyRecord[];
  findKey(keyOrHash: string): KeyRecord | undefined;
  /** Every /v1/messages and count_tokens request, accepted or refused, in order. */
  messagesSeen(): MessageSeen[];
  /** Reply for /v1/messages: text, content blocks, or a function of the request. Default "hello". */
  setReply(reply: ReplySource): void;
  /** USD added to the key's spend per /v1/messages call (default 0). */
  setResponseCost(cost: number): void;
  /** Keep accepting deleted keys (a replica with a stale cache), to test revocation checks. */
  acceptDeletedKeys(on: boolean): void;
  /** Make the next `times` /key/delete calls fail with a LiteLLM-shaped error (default 500). */
  failKeyDelete(options?: { status?: number; message?: string; times?: number }): void;
}

const toDate = (v: Date | string | number | null | undefined): Date | null => (v === null || v === undefined ? null : new Date(v));

export async function startLitellmServer(options: LitellmOptions = {}): Promise<LitellmServer> {
  const masterKey = options.masterKey ?? `sk-${randomBytes(16).toString('hex')}`;
  const state = new State(
    masterKey,
    options.litellmVersion ?? '1.83.0',
    options.models ?? ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1', '*'],
  );
  state.database = options.database ?? true;
  const route = createRouter(state, [
    ...healthRoutes,
    generateRoute,
    ...readDeleteRoutes,
    ...updateRoutes,
    ...modelRoutes,
    ...messageRoutes,
  ]);
  const server = await startHttpServer(
    async (req) => {
      const answer = await route(req);
      if (req.path.startsWith('/v1/messages')) recordMessage(state, req, answer.status);
      return answer;
    },
    { ...options, faultBody: (status) => proxyErrorBody(status, status >= 500 ? 'Internal Server Error' : 'injected failure', 'None') },
  );

  const row = (keyOrHash: string): KeyRecord => {
    const found = state.rows.get(tokenOf(keyOrHash));
    if (!found) throw new Error(`no such key: ${keyOrHash.startsWith('sk-') ? keyName(keyOrHash) : keyOrHash}`);
    return found;
  };

  return {
    ...server,
    masterKey,
    setVersion: (version) => void (state.version = version),
    addKey(o = {}) {
      const key = o.key ?? newVirtualKey();
      if (o.userId && o.userRole) state.userRoles.set(o.userId, o.userRole);
      const record = newRecord(
        key,
        {
          expires: toDate(o.expiresAt),
          blocked: o.blocked ?? null,
          max_budget: o.maxBudget ?? null,
          spend: o.spend ?? 0,
          user_id: o.userId ?? null,
          team_id: o.teamId ?? null,
          models: o.models ?? [],
          key_alias: o.alias ?? null,
          metadata: o.metadata ?? {},
        },
        new Date(),
      );
      state.rows.set(record.token, record);
      return key;
    },
    deleteKey: (keyOrHash) => state.remove(tokenOf(keyOrHash)),
    blockKey: (keyOrHash, blocked = true) => void (row(keyOrHash).blocked = blocked),
    setSpend: (keyOrHash, spend) => void (row(keyOrHash).spend = spend),
    setExpiry: (keyOrHash, expiresAt) => void (row(keyOrHash).expires = toDate(expiresAt)),
    setUserRole: (userId, role) => void state.userRoles.set(userId, role),
    keys: () => [...state.rows.values()],
    deletedKeys: () => [...state.deleted.values()],
    findKey: (keyOrHash) => state.rows.get(tokenOf(keyOrHash)),
    messagesSeen: () => [...state.seen],
    setReply: (reply) => void ((state.reply = reply), (state.replyCount = 0)),
    setResponseCost: (cost) => void (state.responseCost = cost),
    acceptDeletedKeys: (on) => void (state.acceptDeleted = on),
    failKeyDelete({ status = 500, message = 'Internal Server Error', times = 1 } = {}) {
      server.inject({ method: 'POST', path: '/key/delete', status, times, body: proxyErrorBody(status, message, 'internal_server_error') });
    },
  };
}

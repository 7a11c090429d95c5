// The fake's "database": key rows stored by hashed token (reference §1.2), the rows deleted
// since start (LiteLLM copies them to LiteLLM_DeletedVerificationToken), user roles, and the
// knobs tests turn (version, reply, models, spend per call, stale acceptance of deleted keys).
import { tokenOf, type KeyRecord } from './key-record';

export type ReplyBlock = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };
/** Reply text, or content blocks (tool calls make Claude Code send a follow-up request). */
export type Reply = string | ReplyBlock[];
export type ReplySource = Reply | ((ctx: { body: Record<string, unknown>; index: number }) => Reply);

export type KeySource = 'x-litellm-api-key' | 'authorization' | 'api-key' | 'x-api-key' | 'x-goog-api-key' | 'ocp-apim-subscription-key';

/** One `/v1/messages` (or count_tokens) request as the gateway saw it, accepted or not. */
export interface MessageSeen {
  time: number;
  path: string;
  status: number;
  /** The key LiteLLM's precedence picked, and from which header (null: none found). */
  key: string | null;
  header: KeySource | null;
  /** Raw header values as received (Claude Code sends its key in both). */
  xApiKey: string | undefined;
  authorization: string | undefined;
  xLitellmApiKey: string | undefined;
  model: string | undefined;
  stream: boolean;
  /** Session id per reference §7 (x-litellm-trace-id > x-litellm-session-id > x-*-session-id). */
  sessionId: string | null;
  /** request_tags LiteLLM would record (x-litellm-tags, then the two User-Agent tags). */
  tags: string[];
  userAgent: string | undefined;
}

export class State {
  readonly rows = new Map<string, KeyRecord>();
  readonly deleted = new Map<string, KeyRecord>();
  readonly userRoles = new Map<string, string>();
  readonly seen: MessageSeen[] = [];
  version: string;
  models: string[];
  reply: ReplySource = 'hello';
  replyCount = 0;
  responseCost = 0;
  acceptDeleted = false;
  /** false: a proxy started without DATABASE_URL (docs/litellm-without-db.md). */
  database = true;

  constructor(
    readonly masterKey: string,
    version: string,
    models: string[],
  ) {
    this.version = version;
    this.models = models;
  }

  /** A stored row by key or hash; with `acceptDeleted`, deleted rows still answer (stale cache). */
  lookup(keyOrHash: string, forAuth = false): KeyRecord | undefined {
    const token = tokenOf(keyOrHash);
    return this.rows.get(token) ?? (forAuth && this.acceptDeleted ? this.deleted.get(token) : undefined);
  }

  aliasTaken(alias: string, exceptToken?: string): boolean {
    for (const row of this.rows.values()) if (row.key_alias === alias && row.token !== exceptToken) return true;
    return false;
  }

  remove(token: string): boolean {
    const row = this.rows.get(token);
    if (!row) return false;
    this.rows.delete(token);
    this.deleted.set(token, row);
    return true;
  }

  /** Model names a router would serve; `*` is a wildcard deployment and is not listed. */
  listedModels(): string[] {
    return this.models.filter((m) => m !== '*');
  }

  servesModel(model: string): boolean {
    return this.models.some((m) => m === '*' || m === model || (m.endsWith('*') && model.startsWith(m.slice(0, -1))));
  }
}

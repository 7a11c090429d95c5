// The LiteLLM proxy's key API over native fetch (LiteLLM's key management API): mint, look up and delete
// virtual keys, and ask whether a key is accepted. Every request is bounded by the command's
// deadline; failures become the error vocabulary (gateway-errors.ts) with every secret the call
// carried removed from the message.
import { GetKeyError, upstreamError } from '../../domain/errors';
import { cleanError } from '../../domain/redact';
import { isRedirect, redirectedMethod, refusedRedirect, UPSTREAM_BODY_LIMIT_TEXT } from '../../domain/upstream-policy';
import { readBounded } from './bounded-body';
import { gatewayError, redact } from './gateway-errors';
import type { GatewayFailure } from './gateway-errors';
import type { GatewayProbe } from '../../app/ports/gateway';
import { timerDelay } from '../../domain/duration';

export interface GatewayOptions {
  /** Base URL of the proxy, e.g. https://litellm.example.com (a trailing slash is fine). */
  baseUrl: string;
  /** Epoch ms: no request outlives the command. */
  deadline: number;
  /** Per request, default 10 s. */
  timeoutMs?: number;
  /** `-v`: one line per request (method, path, status, ms); never a key or a body. */
  log?(line: string): void;
}

export interface GeneratedKey {
  key: string;
  /** SHA-256 hex of the key: what /key/delete and /key/info accept instead of the key. */
  token: string;
  keyAlias: string | null;
  /** Epoch ms, or null when the gateway reports no expiry. */
  expiresAt: number | null;
}

export interface KeyInfo {
  expiresAt: number | null;
  blocked: boolean;
  spend: number | null;
  maxBudget: number | null;
}

/** `/key/info` as the key itself: its row, or why the gateway refused it. */
export type KeyState = { ok: true; info: KeyInfo } | { ok: false; status: number; type: string; message: string };

export interface GatewayClient {
  url: string;
  generateKey(adminKey: string, body: Record<string, unknown>): Promise<GeneratedKey>;
  keyInfo(key: string): Promise<KeyState>;
  /** Deletes by token hash; false when the gateway no longer knows the key. */
  deleteKey(adminKey: string, tokenHash: string): Promise<boolean>;
  /** `GET /v1/models` with the credential: the status and LiteLLM's message (secrets removed). */
  probe(credential: string): Promise<{ status: number; detail: string }>;
}

/**
 * LiteLLM renders datetimes as ISO 8601 with `Z`, `+00:00` or (older builds) no zone at all,
 * always in UTC; microseconds are fine for Date.parse.
 */
export function parseGatewayTime(value: unknown): number | null {
  if (typeof value !== 'string' || !value) return null;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function createGatewayClient(options: GatewayOptions): GatewayClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function send(method: 'GET' | 'POST', path: string, key: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const left = options.deadline - Date.now(); // deadlines are real time, whatever the wall clock says
    if (left <= 0) throw upstreamError(`gave up on the gateway ${base}${path}: the command's deadline passed`, { hint: 'raise --timeout' });
    const wait = Math.min(timeoutMs, left);
    const signal = AbortSignal.timeout(timerDelay(wait));
    let url = `${base}${path}`;
    let verb: string = method;
    let payload = body === undefined ? undefined : JSON.stringify(body);
    let status: number | undefined;
    let text: string;
    const started = Date.now();
    const said = () => options.log?.(`gateway ${method} ${path}: ${status ?? 'no answer'} (${Date.now() - started}ms)`);
    try {
      for (let hop = 0; ; hop++) {
        const res = await fetch(url, {
          method: verb,
          headers: {
            Authorization: `Bearer ${key}`,
            Accept: 'application/json',
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: payload,
          signal,
          redirect: 'manual',
        });
        const location = res.headers.get('location');
        if (isRedirect(res.status) && location !== null) {
          await res.body?.cancel();
          const refused = refusedRedirect(base, url, location, hop);
          if (refused)
            throw upstreamError(`the gateway ${base} answered ${method} ${path} with ${refused}: refused`, {
              hint: 'set source.gateway to the LiteLLM proxy itself',
            });
          verb = redirectedMethod(res.status, verb);
          if (verb === 'GET') payload = undefined;
          url = new URL(location, url).href;
          continue;
        }
        status = res.status;
        said();
        text = await readBounded(res, () =>
          upstreamError(`the gateway ${base} sent more than ${UPSTREAM_BODY_LIMIT_TEXT} for ${path} (refused)`, {
            hint: 'is source.gateway the LiteLLM proxy?',
          }),
        );
        break;
      }
    } catch (err) {
      if (status === undefined) said();
      if (err instanceof GetKeyError) throw cleanError(err, [key]);
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        throw upstreamError(`the gateway ${base} did not answer ${method} ${path} within ${Math.round(wait / 100) / 10}s`, {
          hint: 'check the gateway or raise --timeout',
          cause: err,
        });
      }
      const detail = redact(e.cause?.code ?? e.message, [key]);
      throw upstreamError(`cannot reach the gateway ${base}: ${detail}`, { hint: 'check source.gateway and the network', cause: err });
    }
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text.slice(0, 300);
    }
    // A 2xx must be the JSON object LiteLLM promises: anything else (a login page, a truncated
    // answer) is an outage, so a cached key is still served.
    if (status >= 200 && status < 300 && (json === null || typeof json !== 'object' || Array.isArray(json))) {
      throw upstreamError(`the gateway ${base} answered ${method} ${path} with HTTP ${status} but not a JSON object`, {
        hint: 'is source.gateway the LiteLLM proxy? a proxy in between may be answering for it',
      });
    }
    return { status, json };
  }

  const fail = (what: string, path: string, status: number, json: unknown, secrets: string[], asAdmin: boolean): never => {
    const failure: GatewayFailure = { what, url: `${base}${path}`, status, body: json, asAdmin };
    throw gatewayError(failure, secrets);
  };

  return {
    url: base,
    async generateKey(adminKey, body) {
      const r = await send('POST', '/key/generate', adminKey, body);
      if (r.status !== 200) fail('key generation', '/key/generate', r.status, r.json, [adminKey], true);
      const doc = (r.json ?? {}) as Record<string, unknown>;
      const key = typeof doc.key === 'string' ? doc.key : '';
      const token = typeof doc.token === 'string' ? doc.token : typeof doc.token_id === 'string' ? doc.token_id : '';
      if (!key || /[\r\n]/.test(key) || !token) {
        throw upstreamError(`the gateway ${base} answered /key/generate without a key and its token`, {
          hint: 'is source.gateway a LiteLLM proxy?',
        });
      }
      return { key, token, keyAlias: typeof doc.key_alias === 'string' ? doc.key_alias : null, expiresAt: parseGatewayTime(doc.expires) };
    },
    async keyInfo(key) {
      // Asked as the key itself (no ?key=): the key never travels in a URL, and an expired,
      // blocked or deleted key is refused by the auth phase (LiteLLM's key management API).
      const r = await send('GET', '/key/info', key);
      if (r.status === 200) {
        const info = ((r.json as { info?: unknown } | undefined)?.info ?? {}) as Record<string, unknown>;
        return {
          ok: true,
          info: {
            expiresAt: parseGatewayTime(info.expires),
            blocked: info.blocked === true,
            spend: num(info.spend),
            maxBudget: num(info.max_budget),
          },
        };
      }
      if (r.status >= 500 || r.status === 429) fail('key lookup', '/key/info', r.status, r.json, [key], false);
      const err = ((r.json as { error?: unknown } | undefined)?.error ?? {}) as Record<string, unknown>;
      return {
        ok: false,
        status: r.status,
        type: typeof err.type === 'string' ? err.type : '',
        message: redact(typeof err.message === 'string' ? err.message : `HTTP ${r.status}`, [key]),
      };
    },
    async deleteKey(adminKey, tokenHash) {
      const r = await send('POST', '/key/delete', adminKey, { keys: [tokenHash] });
      if (r.status === 200) return true;
      // None of the keys exist: deleted already (by us or an operator).
      if (r.status === 404 && /no keys found/i.test(JSON.stringify(r.json ?? ''))) return false;
      return fail('key deletion', '/key/delete', r.status, r.json, [adminKey], true);
    },
    async probe(credential) {
      const r = await send('GET', '/v1/models', credential);
      const err = (r.json as { error?: { message?: unknown } } | undefined)?.error;
      const message = typeof err?.message === 'string' ? err.message : r.status === 200 ? 'accepted' : `HTTP ${r.status}`;
      return { status: r.status, detail: redact(message, [credential]) };
    },
  };
}

/** `rotate --drill`: does the gateway accept this credential? (`GET /v1/models`) */
export function createGatewayProbe(baseUrl: string, deadline: number): GatewayProbe {
  const client = createGatewayClient({ baseUrl, deadline });
  return { url: client.url, check: (credential) => client.probe(credential) };
}

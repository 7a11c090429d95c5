// Small helpers shared by the fake Vault modules: ids, timestamps, Go-style durations,
// the JSON response envelope and the error bodies.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { ServerResponse } from '../http-harness';

export type JsonObject = { [key: string]: unknown };
export type Reply = ServerResponse;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

export const uuid = (): string => randomUUID();
export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** A wall-clock instant with nanosecond digits (Go's time.Time prints RFC 3339 with nanoseconds). */
export interface Stamp {
  ms: number;
  /** Nanoseconds inside the millisecond, 0..999999. */
  sub: number;
}

export const stampAt = (ms: number): Stamp => ({ ms, sub: randomInt(1, 1_000_000) });
export const addSeconds = (s: Stamp, seconds: number): Stamp => ({ ms: s.ms + seconds * 1000, sub: s.sub });
export const unixSeconds = (s: Stamp): number => Math.floor(s.ms / 1000);

/** Go `time.RFC3339Nano` in UTC: fractional digits without trailing zeros, `Z` suffix. */
export function rfc3339Nano(s: Stamp): string {
  const base = new Date(s.ms).toISOString().slice(0, 19);
  const frac = (String(s.ms % 1000).padStart(3, '0') + String(s.sub).padStart(6, '0')).replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}

/** Vault's humanised duration in TTL warnings: `1h0m0s` → `1h`, `9m0s` → `9m`, `9m58s` kept. */
export function humanDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  let out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  if (out.endsWith('m0s')) out = out.slice(0, -2);
  if (out.endsWith('h0m')) out = out.slice(0, -2);
  return out;
}

/** A TTL field: integer seconds (number or numeric string) or `<n>s|m|h`; undefined when invalid. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  const m = typeof value === 'string' ? /^(\d+)([smh]?)$/.exec(value.trim()) : null;
  return m ? Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600 }[m[2] as string] as number) : undefined;
}

export function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v));
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  return [];
}

/** Go's encoding/json writes map keys sorted; Vault's `data` objects are maps, so sort recursively. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as JsonObject)[key]);
    return out;
  }
  return value;
}

/** hashicorp/go-multierror formatting, used by Vault for several 403/404/405 messages. */
export function multierror(...messages: string[]): string {
  const head = messages.length === 1 ? '1 error occurred:' : `${messages.length} errors occurred:`;
  return `${head}\n${messages.map((m) => `\t* ${m}`).join('\n')}\n\n`;
}

export const errorReply = (status: number, ...messages: string[]): Reply => ({ status, body: { errors: messages } });

export interface EnvelopeParts {
  data?: unknown;
  warnings?: string[] | null;
  auth?: unknown;
  leaseId?: string;
  renewable?: boolean;
  leaseDuration?: number;
  mountType?: string;
}

/** The logical response envelope, every key present, in the Go struct's order. */
export function envelope(parts: EnvelopeParts): JsonObject {
  return {
    request_id: uuid(),
    lease_id: parts.leaseId ?? '',
    renewable: parts.renewable ?? false,
    lease_duration: parts.leaseDuration ?? 0,
    data: parts.data === undefined || parts.data === null ? null : sortKeys(parts.data),
    wrap_info: null,
    warnings: parts.warnings && parts.warnings.length > 0 ? parts.warnings : null,
    auth: parts.auth ?? null,
    mount_type: parts.mountType ?? '',
  };
}

export const ok = (parts: EnvelopeParts, status = 200): Reply => ({ status, body: envelope(parts) });
export const noContent = (): Reply => ({ status: 204 });

/** A body written with json.Marshal by a plugin (no trailing newline), e.g. KV v2 deleted reads. */
export const rawJson = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...headers },
});

/** Bare JSON (not the envelope) with the usual trailing newline, e.g. sys/health. */
export const bareJson = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: `${JSON.stringify(body)}\n`,
  headers: { 'Content-Type': 'application/json', ...headers },
});

export const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

// Small helpers shared by the fake Vault modules: ids, timestamps, Go-style durations,
// the JSON response envelope and the error bodies.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { ServerResponse } from '../http-harness';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
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

export function stampAt(ms: number): Stamp {
  return { ms, sub: randomInt(1, 1_000_000) };
}

export function addSeconds(s: Stamp, seconds: number): Stamp {
  return { ms: s.ms + seconds * 1000, sub: s.sub };
}

/** Go `time.RFC3339Nano` in UTC: fractional digits without trailing zeros, `Z` suffix. */
export function rfc3339Nano(s: Stamp): string {
  const iso = new Date(s.ms).toISOString(); // 2024-05-02T09:14:03.412Z
  const base = iso.slice(0, 19);
  const frac = (String(s.ms % 1000).padStart(3, '0') + String(s.sub).padStart(6, '0')).replace(/0+$/, '');
  return frac ? `${base}.${frac}Z` : `${base}Z`;
}

export const unixSeconds = (s: Stamp): number => Math.floor(s.ms / 1000);

/** Go `time.Duration.String()` for whole seconds: `1h0m0s`, `9m58s`, `0s`. */
export function goDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Vault's humanised duration used in TTL warnings: `1h0m0s` → `1h`, `9m0s` → `9m`, `9m58s` kept. */
export function humanDuration(seconds: number): string {
  let out = goDuration(seconds);
  if (out.endsWith('m0s')) out = out.slice(0, -2);
  if (out.endsWith('h0m')) out = out.slice(0, -2);
  return out;
}

/**
 * parseutil.ParseDurationSecond: integer seconds (number or numeric string) or a Go duration
 * string (`1h30m`, `90s`, `1.5h`, also `d` for days). Returns undefined when invalid.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (v === '') return 0;
  if (/^-?\d+$/.test(v)) return parseInt(v, 10);
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/gy;
  let sign = 1;
  let rest = v;
  if (rest.startsWith('-')) {
    sign = -1;
    rest = rest.slice(1);
  }
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest)) !== null) {
    total += parseFloat(match[1] ?? '0') * (unit[match[2] ?? 's'] ?? 1);
    consumed = re.lastIndex;
  }
  if (consumed !== rest.length || consumed === 0) return undefined;
  return sign * Math.trunc(total);
}

/** Go strconv.ParseBool. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Loose boolean from a request field (JSON bool, or a string/number the way mapstructure reads it). */
export function asBool(value: unknown, fallback = false): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return parseGoBool(value) ?? fallback;
  return fallback;
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

export function errorReply(status: number, ...messages: string[]): Reply {
  return { status, body: { errors: messages } };
}

export interface EnvelopeParts {
  data?: unknown;
  warnings?: string[] | null;
  auth?: unknown;
  leaseId?: string;
  renewable?: boolean;
  leaseDuration?: number;
  wrapInfo?: unknown;
  requestId?: string;
  mountType?: string;
}

/** The logical response envelope, every key present, in the Go struct's order. */
export function envelope(parts: EnvelopeParts): JsonObject {
  return {
    request_id: parts.requestId ?? uuid(),
    lease_id: parts.leaseId ?? '',
    renewable: parts.renewable ?? false,
    lease_duration: parts.leaseDuration ?? 0,
    data: parts.data === undefined || parts.data === null ? null : sortKeys(parts.data),
    wrap_info: parts.wrapInfo ?? null,
    warnings: parts.warnings && parts.warnings.length > 0 ? parts.warnings : null,
    auth: parts.auth ?? null,
    mount_type: parts.mountType ?? '',
  };
}

export function ok(parts: EnvelopeParts, status = 200): Reply {
  return { status, body: envelope(parts) };
}

export const noContent = (): Reply => ({ status: 204 });

/** A body written with json.Marshal by a plugin (no trailing newline), e.g. KV v2 deleted reads. */
export function rawJson(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } };
}

/** Bare JSON (not the envelope) with the usual trailing newline, e.g. sys/health. */
export function bareJson(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body: `${JSON.stringify(body)}\n`, headers: { 'Content-Type': 'application/json', ...headers } };
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');

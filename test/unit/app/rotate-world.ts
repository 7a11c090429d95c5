// In-memory ports for `rotate`: a cache, a revocation ledger, an audit log, a source that mints
// values and records what it revokes, and a gateway that accepts some credentials. The use cases
// under it (getCredential, revokeDue) are the real ones; only the outside world is faked. The
// clock moves only when a test moves it.
import type { RotateReport } from '../../../src/app/rotate';
import { rotate } from '../../../src/app/rotate';
import { getCredential } from '../../../src/app/get-credential';
import type { AuditEvent } from '../../../src/domain/audit-event';
import type { CacheStore, RevocationLedger } from '../../../src/app/ports/store';
import type { CredentialSource } from '../../../src/app/ports/source';
import type { FetchedCredential } from '../../../src/domain/credential-value';
import type { GatewayProbe } from '../../../src/app/ports/gateway';
import type { RevocationHandle, RevocationRecord } from '../../../src/domain/revocation';
import { revokeDue } from '../../../src/app/revocations';
import type { CacheEntry, StoredCredential } from '../../../src/domain/cache-entry';
import { fingerprint } from '../../../src/domain/fingerprint';
import type { SourceConfig } from '../../../src/domain/config';
import type { ResolvedProfile } from '../../../src/domain/profile';

export const T0 = 1_700_000_000_000;
export const ENTRY = 'team-entry';
export const GATEWAY = 'https://gateway.test';
const POLICY = { ttlMs: 300_000, graceMs: 60_000, staleIfErrorMs: 86_400_000 };

const SOURCES: Record<SourceConfig['type'], SourceConfig> = {
  'litellm-key': { type: 'litellm-key', gateway: GATEWAY } as SourceConfig,
  'vault-lease': { type: 'vault-lease', path: 'database/creds/claude' } as SourceConfig,
  'vault-kv': { type: 'vault-kv', path: 'secret/litellm/claude-code' } as SourceConfig,
  'vault-identity-token': { type: 'vault-identity-token', role: 'claude' } as SourceConfig,
  'vault-transit-jwt': { type: 'vault-transit-jwt', key: 'claude' } as SourceConfig,
};

export interface WorldOptions {
  /** `revokePrevious` of a minted or leased source. */
  revokePrevious?: boolean;
  /** Lifetime of what the source issues (null: no expiry). Default 1 h for minted sources. */
  lifetimeMs?: number | null;
  /** How long writing an audit event takes on the fake clock (default 0: the clock stands still). */
  auditMs?: number;
}

export function rotateWorld(type: SourceConfig['type'], options: WorldOptions = {}) {
  let now = T0;
  const profile = { name: 'team', source: SOURCES[type], vault: {} as ResolvedProfile['vault'], policy: POLICY } as ResolvedProfile;

  const files = new Map<string, CacheEntry>();
  const cache: CacheStore = {
    dir: 'mem-cache',
    pathOf: (k) => `mem-cache/${k}.json`,
    prepare: () => undefined,
    read: (k) => ({ entry: files.has(k) ? structuredClone(files.get(k)) : undefined }),
    write: (k, e) => void files.set(k, structuredClone(e)),
    remove: (k) => files.delete(k),
    keys: () => [...files.keys()],
  };

  const records = new Map<string, RevocationRecord>();
  const id = (entryKey: string, fp: string) => `${entryKey}/${fp}`;
  const ledgerState = { busy: false, putFails: undefined as string | undefined };
  const ledger: RevocationLedger = {
    get: (k, fp) => structuredClone(records.get(id(k, fp))),
    put: (r) => {
      if (ledgerState.putFails) throw new Error(ledgerState.putFails);
      records.set(id(r.entryKey, r.fingerprint), structuredClone(r));
    },
    remove: (k, fp) => void records.delete(id(k, fp)),
    list: (k) => [...records.values()].filter((r) => r.entryKey === k).map((r) => structuredClone(r)),
    tryLock: async () => (ledgerState.busy ? undefined : { held: true, release: async () => undefined }),
  };

  const events: AuditEvent[] = [];
  const audit = {
    file: 'mem-audit',
    append: (e: AuditEvent) => {
      events.push(e);
      now += options.auditMs ?? 0;
      return undefined;
    },
    tail: () => [],
  };

  // The source: minted sources issue a new value per fetch; vault-kv returns what is stored.
  let minted = 0;
  const lifetime = options.lifetimeMs === undefined ? (type === 'vault-kv' ? null : 3_600_000) : options.lifetimeMs;
  const src = {
    kvValue: 'sk-kv-1',
    fetchError: undefined as Error | undefined,
    revokeError: undefined as Error | undefined,
    revoked: [] as RevocationHandle[],
    /** A fetch returns the same value as the last one (a source that did not rotate). */
    repeat: false,
  };
  const handleOf = (n: number): RevocationHandle | undefined =>
    type === 'litellm-key'
      ? { kind: 'litellm-key', tokenHash: `hash-${n}` }
      : type === 'vault-lease'
        ? { kind: 'vault-lease', leaseId: `database/creds/claude/lease-${n}` }
        : undefined;
  const source: CredentialSource = {
    fetch: async (): Promise<FetchedCredential> => {
      if (src.fetchError) throw src.fetchError;
      if (type === 'vault-kv') return { value: src.kvValue, expiresAt: null };
      if (!src.repeat || minted === 0) minted++;
      const handle = handleOf(minted);
      return {
        value: `sk-${type}-${minted}`,
        expiresAt: lifetime === null ? null : now + lifetime,
        ...(type === 'litellm-key' ? { meta: { tokenHash: `hash-${minted}` } } : {}),
        ...(handle ? { revocation: { handle, onReplace: !!options.revokePrevious } } : {}),
      };
    },
    revoke: async (handle) => {
      if (src.revokeError) throw src.revokeError;
      src.revoked.push(handle);
      const n = handle.kind === 'litellm-key' ? handle.tokenHash.split('-')[1] : handle.leaseId.split('-').at(-1);
      if (!gateway.acceptRevoked) gateway.accepted.delete(`sk-${type}-${n}`);
    },
  };
  const openSource = async () => async () => source;

  // The gateway: accepts what the source issued until it is revoked; anything else gets `rejectWith`.
  const gateway = {
    accepted: new Set<string>(),
    acceptRevoked: false,
    rejectWith: { status: 401, detail: 'Authentication Error' },
    /** Runs before each check (e.g. another process rewriting the cache meanwhile). */
    onCheck: undefined as ((credential: string) => void) | undefined,
    checks: [] as string[],
  };
  const probe: GatewayProbe = {
    url: GATEWAY,
    check: async (credential) => {
      gateway.checks.push(credential);
      gateway.onCheck?.(credential);
      return gateway.accepted.has(credential) ? { status: 200, detail: 'ok' } : gateway.rejectWith;
    },
  };
  const originalFetch = source.fetch;
  source.fetch = async () => {
    const f = await originalFetch();
    // What the source issues, the gateway accepts (an operator-written KV key too).
    gateway.accepted.add(f.value);
    return f;
  };

  const warnings: string[] = [];
  const probesOpened: string[] = [];
  const deps = {
    cache,
    marks: { get: () => undefined, put: () => undefined, prune: () => undefined },
    audit,
    clock: { now: () => now },
    lock: async () => ({ held: true, release: async () => undefined }),
    openSource,
    ledger: async () => ledger,
    debug: () => undefined,
    warn: (line: string) => void warnings.push(line),
    revokeDue: (input: Parameters<typeof revokeDue>[0]) =>
      revokeDue(input, { ledger, openSource, audit, clock: { now: () => now }, log: () => undefined }),
    gatewayProbe: async (baseUrl: string) => {
      probesOpened.push(baseUrl);
      return probe;
    },
  };

  return {
    profile,
    cache,
    files,
    ledger,
    ledgerState,
    records: () => [...records.values()],
    events,
    src,
    gateway,
    warnings,
    probesOpened,
    deps,
    now: () => now,
    advance: (ms: number) => (now += ms),
    /** An earlier plain get-key run (fetched, cached and recorded in the ledger by the real use case), a second ago. */
    async seed(): Promise<StoredCredential> {
      const r = await getCredential({ profile, entryKey: ENTRY, refresh: false, deadline: now + 30_000 }, deps);
      now += 1_000; // rotate runs a second later
      return r.credential;
    },
    /** A credential in the cache that the ledger does not know (cached by an older get-key), a second ago. */
    cached(value: string, extra: Partial<StoredCredential> = {}): StoredCredential {
      const credential = { value, fingerprint: fingerprint(value), fetchedAt: now, expiresAt: null, ...extra };
      files.set(ENTRY, { format: 'get-key/entry@1', profile: 'team', source: type, credential });
      gateway.accepted.add(value);
      now += 1_000;
      return credential;
    },
    /** Runs rotate; `gatewayUrl` null: no gateway known. */
    run: (drill: boolean, gatewayUrl: string | null = GATEWAY): Promise<RotateReport> =>
      rotate({ profile, entryKey: ENTRY, deadline: now + 60_000, drill, gatewayUrl: gatewayUrl ?? undefined }, deps),
  };
}

export type RotateWorld = ReturnType<typeof rotateWorld>;

/** The steps of a report as [name, status]. */
export const stepsOf = (r: RotateReport) => r.steps.map((s) => [s.step, s.status]);

/** The detail of a report's step. */
export const detailOf = (r: RotateReport, step: string) => r.steps.find((s) => s.step === step)?.detail;

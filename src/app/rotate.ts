// `rotate` and `rotate --drill` (docs/minted-keys-and-rotation.md). Plain: replace the credential now (as --refresh),
// schedule revocation of the old one (a LiteLLM key always, TTL + grace after now), revoke what is
// due. Drill, the operators' rotation test:
// current A → rotate to B → the gateway accepts B → revoke A at once → the gateway rejects A
// (401) → the next plain get-key serves B. Every step is timed; the first failure ends the run.
import type { StoredCredential } from '../domain/cache-entry';
import { asGetKeyError } from '../domain/errors';
import type { ErrorKind } from '../domain/errors';
import type { GetCredentialDeps, GetCredentialInput } from './get-credential';
import { getCredential } from './get-credential';
import type { GatewayProbe } from './ports/gateway';
import type { RevocationLedger } from './ports/store';
import type { RevocationRecord } from '../domain/revocation';
import type { RevokeInput, RevokeResult } from './revocations';

export interface RotateInput extends Omit<GetCredentialInput, 'refresh' | 'callerId'> {
  drill: boolean;
  /** The gateway that should accept the credential: source `gateway`, else $ANTHROPIC_BASE_URL. */
  gatewayUrl?: string;
}

export interface RotateDeps extends GetCredentialDeps {
  /** One stderr line for degraded service. */
  warn(line: string): void;
  ledger(): Promise<RevocationLedger>;
  revokeDue(input: RevokeInput): Promise<RevokeResult>;
  gatewayProbe(baseUrl: string, deadline: number): Promise<GatewayProbe>;
}

export interface RotateStep {
  step: string;
  status: 'ok' | 'fail';
  ms: number;
  detail: string;
  /** A failed step's error kind: plain `rotate` exits with its code. */
  kind?: ErrorKind;
}

export interface RotateReport {
  ok: boolean;
  profile: string;
  source: string;
  drill: boolean;
  old: string | null;
  new: string | null;
  gateway: string | null;
  steps: RotateStep[];
  /** Checks that could not run, and why (e.g. no gateway known). */
  skipped: string[];
}

class StepFailed extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
  }
}
/** A check that failed; `kind` is what plain `rotate` exits with (a drill always exits 1). */
const failStep = (detail: string, kind: ErrorKind = 'internal'): never => {
  throw new StepFailed(detail, kind);
};

const revocable = (source: string) => source === 'litellm-key' || source === 'vault-lease';

export async function rotate(input: RotateInput, deps: RotateDeps): Promise<RotateReport> {
  const { profile } = input;
  const report: RotateReport = {
    ok: true,
    profile: profile.name,
    source: profile.source.type,
    drill: input.drill,
    old: null,
    new: null,
    gateway: input.gatewayUrl ?? null,
    steps: [],
    skipped: [],
  };
  /** Runs one step; false when it failed (the run stops there). */
  const step = async (name: string, body: () => Promise<string>): Promise<boolean> => {
    const started = deps.clock.now();
    try {
      const detail = await body();
      report.steps.push({ step: name, status: 'ok', ms: deps.clock.now() - started, detail });
      return true;
    } catch (err) {
      const { message: detail, kind } = err instanceof StepFailed ? err : asGetKeyError(err);
      report.steps.push({ step: name, status: 'fail', ms: deps.clock.now() - started, detail, kind });
      report.ok = false;
      return false;
    }
  };
  if (input.drill && !input.gatewayUrl)
    report.skipped.push('new-accepted, old-rejected: no gateway known (set source.gateway or ANTHROPIC_BASE_URL)');
  const get = async (refresh: boolean) => {
    const result = await getCredential({ ...input, refresh }, deps);
    if (result.warnings.length) deps.warn(`get-key: warning: ${result.warnings.join('; ')}`);
    return result;
  };
  const ledger = await deps.ledger();

  let a: StoredCredential | undefined;
  let recordA: RevocationRecord | undefined;
  let b: StoredCredential | undefined;

  const current = input.drill
    ? step('current', async () => {
        const r = await get(false);
        a = r.credential;
        return `A = ${a.fingerprint}${r.cached ? ' (cached)' : ' (fetched)'}`;
      })
    : step('current', async () => {
        const read = deps.cache.read(input.entryKey);
        a = read.entry?.credential;
        return a ? `A = ${a.fingerprint}` : 'nothing cached';
      });
  if (!(await current)) return report;
  report.old = a?.fingerprint ?? null;
  if (a) recordA = ledger.get(input.entryKey, a.fingerprint) ?? fallbackRecord(input, a);

  const since = deps.clock.now();
  const rotated = await step('rotate', async () => {
    const r = await get(true);
    b = r.credential;
    // A guard, not a path: --refresh never serves what was cached before it started, so a
    // credential older than this step would mean no rotation happened; say so rather than pass.
    if (b.fetchedAt < since)
      failStep(`the refresh returned ${b.fingerprint}, fetched before it started: nothing was rotated (see get-key status)`, 'upstream');
    if (input.drill && a && b.fingerprint === a.fingerprint) {
      failStep(
        profile.source.type === 'vault-kv'
          ? `the value in Vault did not change (still ${a.fingerprint}): write the new key to ${profile.source.path} first`
          : `the source returned the same credential ${a.fingerprint}`,
      );
    }
    return `B = ${b.fingerprint}${b.expiresAt ? `, expires ${new Date(b.expiresAt).toISOString()}` : ''}`;
  });
  report.new = b?.fingerprint ?? null;
  if (!rotated) return report;

  if (!input.drill) {
    if (!(await step('schedule-revocation', async () => scheduled(input, ledger, a, recordA, deps.clock.now())))) return report;
    await step('revoke-due', async () => {
      const r = await deps.revokeDue({ profile, entryKey: input.entryKey, deadline: input.deadline });
      if (r.busy) return 'another get-key process is revoking; left to it';
      if (r.failed.length)
        failStep(`${r.failed.length} revocation(s) failed and stay in the ledger: ${r.failed[0]!.error}`, r.failed[0]!.kind);
      return `revoked ${r.revoked.length}, ${r.pending} pending`;
    });
    return report;
  }

  const probe = input.gatewayUrl ? await deps.gatewayProbe(input.gatewayUrl, input.deadline) : undefined;
  if (probe && !(await step('new-accepted', async () => accepted(probe, b!)))) return report;

  const newB = b!;
  const oldA = a;
  if (!oldA) return report;
  if (!(await step('revoke-old', async () => revokeNow(input, deps, ledger, oldA, recordA)))) return report;
  if (probe && revocableOrKv(profile.source.type)) {
    if (!(await step('old-rejected', async () => rejected(probe, oldA)))) return report;
  } else if (probe) {
    report.skipped.push(`old-rejected: a ${profile.source.type} credential cannot be revoked before it expires`);
  }
  await step('serves-new', async () => {
    const r = await get(false);
    if (r.credential.fingerprint !== newB.fingerprint) failStep(`get-key served ${r.credential.fingerprint}, not B = ${newB.fingerprint}`);
    return `get-key serves B = ${newB.fingerprint}${r.cached ? ' from the cache' : ''}`;
  });
  return report;
}

const revocableOrKv = (source: string) => revocable(source) || source === 'vault-kv';

/** A LiteLLM key cached before the ledger knew it: its token hash is in its metadata. */
function fallbackRecord(input: RotateInput, a: StoredCredential): RevocationRecord | undefined {
  const hash = a.meta?.tokenHash;
  if (input.profile.source.type !== 'litellm-key' || typeof hash !== 'string') return undefined;
  return {
    entryKey: input.entryKey,
    profile: input.profile.name,
    source: input.profile.source.type,
    fingerprint: a.fingerprint,
    handle: { kind: 'litellm-key', tokenHash: hash },
    onReplace: false,
    issuedAt: a.fetchedAt,
    expiresAt: a.expiresAt,
    replacedAt: null,
    dueAt: null,
    attempts: 0,
  };
}

/**
 * The old credential's revocation, due TTL + grace after now. The refresh scheduled it with
 * `revokePrevious`; a LiteLLM key is scheduled here otherwise (rotating means replacing it).
 */
function scheduled(
  input: RotateInput,
  ledger: RevocationLedger,
  a: StoredCredential | undefined,
  recordA: RevocationRecord | undefined,
  now: number,
): string {
  if (!a) return 'nothing to revoke';
  const type = input.profile.source.type;
  if (!revocable(type)) return `a ${type} credential is not revoked by get-key`;
  let r = ledger.get(input.entryKey, a.fingerprint);
  if (!r?.dueAt && type === 'litellm-key') {
    if (!recordA) return `${a.fingerprint} is left to expire (no token hash recorded for it)`;
    r = { ...recordA, replacedAt: now, dueAt: now + input.profile.policy.ttlMs + input.profile.policy.graceMs };
    ledger.put(r);
  }
  if (!r?.dueAt) return `${a.fingerprint} is left to expire (revokePrevious is off)`;
  return `${a.fingerprint} is revoked from ${new Date(r.dueAt).toISOString()} (TTL + grace after now)`;
}

async function accepted(probe: GatewayProbe, b: StoredCredential): Promise<string> {
  const r = await probe.check(b.value);
  if (r.status !== 200) failStep(`the gateway ${probe.url} refused B = ${b.fingerprint}: HTTP ${r.status} ${r.detail}`);
  return `the gateway ${probe.url} accepts B (GET /v1/models: 200)`;
}

async function rejected(probe: GatewayProbe, a: StoredCredential): Promise<string> {
  const r = await probe.check(a.value);
  if (r.status === 200) failStep(`the gateway ${probe.url} still accepts A = ${a.fingerprint} (replicas may cache keys for up to 60s)`);
  if (r.status !== 401)
    failStep(
      `the gateway ${probe.url} answered A with HTTP ${r.status}, not 401 (Claude Code only re-runs the helper after a 401): ${r.detail}`,
    );
  return `the gateway rejects A with 401: ${r.detail}`;
}

async function revokeNow(
  input: RotateInput,
  deps: RotateDeps,
  ledger: RevocationLedger,
  a: StoredCredential,
  record: RevocationRecord | undefined,
): Promise<string> {
  const type = input.profile.source.type;
  if (type === 'vault-kv')
    return 'vault-kv: the operator revokes the old key at the gateway; the drill checks the gateway no longer accepts it';
  if (!revocable(type)) return `a ${type} credential cannot be revoked; it is valid until it expires`;
  if (!record) failStep(`no revocation record for A = ${a.fingerprint} (fetched by an older get-key?)`);
  const now = deps.clock.now();
  ledger.put({ ...record!, replacedAt: record!.replacedAt ?? now, dueAt: now });
  const r = await deps.revokeDue({ profile: input.profile, entryKey: input.entryKey, deadline: input.deadline, only: [a.fingerprint] });
  if (r.busy) failStep('another get-key process holds the revocation ledger; try again');
  if (!r.revoked.includes(a.fingerprint)) failStep(`revoking A failed (it stays in the ledger): ${r.failed[0]?.error ?? 'unknown error'}`);
  return `revoked A = ${a.fingerprint} (${type === 'litellm-key' ? 'POST /key/delete' : 'sys/leases/revoke'})`;
}

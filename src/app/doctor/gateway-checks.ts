// Check 7: the gateway. LiteLLM reports its version in /health/readiness (older releases) or, for an
// authenticated caller, in /health/readiness/details (1.106.12 keeps it out of the public answer):
// 1.82.7 and 1.82.8 are the PyPI releases compromised with credential-stealing malware
// (2026-03-24). The credential must be accepted (/v1/models, sent in both headers as Claude Code
// sends it). A key the gateway cannot know must get a plain 401, the only answer after which
// Claude Code runs the helper again (rejection recovery); LiteLLM without a database answers 400.
// A local Python with a compromised release installed is as bad: every secret on the machine was exposed.
import { fingerprint } from '../../domain/fingerprint';
import type { CheckResult } from './check';
import type { DoctorProbes } from '../ports/doctor';
import { fail, ok, warn } from './check';

export const isCompromisedLitellm = (version: string): boolean => /^v?1\.82\.[78](?![0-9])/.test(version.trim());
const COMPROMISED =
  'a release compromised with credential-stealing malware (PyPI, 2026-03-24): rotate every credential that machine held and move to 1.83.0 or later';

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** Sent to see how the gateway rejects a key: a valid-looking `sk-` key nobody was given. */
export const PROBE_KEY = 'sk-get-key-doctor-probe-not-a-key';

const bothHeaders = (key: string) => ({ 'x-api-key': key, authorization: `Bearer ${key}` });

function errorType(body: string): string | undefined {
  try {
    const type = (JSON.parse(body) as { error?: { type?: unknown } }).error?.type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

function readVersion(body: string): unknown {
  try {
    return (JSON.parse(body) as { litellm_version?: unknown }).litellm_version;
  } catch {
    return undefined;
  }
}

function errorMessage(body: string): string {
  try {
    const doc = JSON.parse(body) as { error?: { message?: unknown }; detail?: unknown };
    const m = doc.error?.message ?? doc.detail;
    if (m !== undefined) return String(m).slice(0, 200);
  } catch {
    // not JSON
  }
  return body.slice(0, 120).replace(/\s+/g, ' ');
}

export async function checkGatewayVersion(probes: Pick<DoctorProbes, 'httpGet'>, base: string, credential?: string): Promise<CheckResult> {
  let answer;
  try {
    answer = await probes.httpGet(join(base, '/health/readiness'), {}, 5000);
  } catch (err) {
    return fail('gateway.version', `cannot reach the gateway at ${base}: ${(err as Error).message}`);
  }
  if (answer.status !== 200)
    return fail('gateway.version', `${base}/health/readiness answered HTTP ${answer.status}: ${errorMessage(answer.body)}`);
  let version = readVersion(answer.body);
  if (typeof version !== 'string' && credential !== undefined) {
    const details = await probes.httpGet(join(base, '/health/readiness/details'), bothHeaders(credential), 5000).catch(() => undefined);
    if (details?.status === 200) version = readVersion(details.body);
  }
  if (typeof version !== 'string') return warn('gateway.version', `${base} reports no litellm_version: is it a LiteLLM proxy?`);
  if (isCompromisedLitellm(version)) return fail('gateway.version', `the gateway at ${base} runs LiteLLM ${version}, ${COMPROMISED}`);
  return ok('gateway.version', `LiteLLM ${version} at ${base}`);
}

export async function checkGatewayCredential(
  probes: Pick<DoctorProbes, 'httpGet'>,
  base: string,
  credential: string,
): Promise<CheckResult> {
  const fp = fingerprint(credential);
  let answer;
  try {
    answer = await probes.httpGet(join(base, '/v1/models'), bothHeaders(credential), 5000);
  } catch (err) {
    return fail('gateway.credential', `cannot reach the gateway at ${base}: ${(err as Error).message}`);
  }
  const message = errorMessage(answer.body).split(credential).join(fp);
  if (answer.status === 401 || answer.status === 403)
    return fail('gateway.credential', `the gateway rejected ${fp} (HTTP ${answer.status}: ${message})`);
  if (answer.status === 400 && errorType(answer.body) === 'no_db_connection')
    return fail(
      'gateway.credential',
      `the gateway rejected ${fp} (HTTP 400 no_db_connection: a LiteLLM without a database accepts only its master key)`,
    );
  if (answer.status !== 200) return warn('gateway.credential', `${base}/v1/models answered HTTP ${answer.status}: ${message}`);
  let models = '?';
  try {
    models = String(((JSON.parse(answer.body) as { data?: unknown[] }).data ?? []).length);
  } catch {
    // keep '?'
  }
  return ok('gateway.credential', `the gateway accepts ${fp} (${models} models)`);
}

/** How the gateway answers a key it cannot know: Claude Code re-runs the helper only after a plain 401. */
export async function checkGatewayRejection(probes: Pick<DoctorProbes, 'httpGet'>, base: string): Promise<CheckResult> {
  let answer;
  try {
    answer = await probes.httpGet(join(base, '/v1/models'), bothHeaders(PROBE_KEY), 5000);
  } catch (err) {
    return warn('gateway.rejection', `cannot reach the gateway at ${base}: ${(err as Error).message}`);
  }
  const retry = answer.headers?.['x-should-retry'];
  const after = 'so after a rotation Claude Code does not run get-key again and a session keeps failing until its helper TTL has passed';
  if (answer.status === 401 && retry === undefined)
    return ok('gateway.rejection', 'an unknown key gets a plain 401: Claude Code runs get-key again after a rotation');
  if (answer.status === 401) return warn('gateway.rejection', `an unknown key gets a 401 with x-should-retry: ${retry}, ${after}`);
  if (answer.status === 400 && errorType(answer.body) === 'no_db_connection')
    return warn(
      'gateway.rejection',
      `an unknown key gets HTTP 400 no_db_connection (LiteLLM without a database), not a 401, ${after} (give the proxy a database, or restart Claude Code sessions after rotating the master key)`,
    );
  if (answer.status === 200) return warn('gateway.rejection', `the gateway accepted a key it cannot know: it checks no credential`);
  return warn('gateway.rejection', `an unknown key gets HTTP ${answer.status}, not a 401, ${after}`);
}

export async function checkLocalLitellm(probes: Pick<DoctorProbes, 'run' | 'stat'>): Promise<CheckResult> {
  const r = await probes.run('python3', ['-m', 'pip', 'show', 'litellm'], 15_000);
  if (r.missing) return ok('local.litellm', 'no python3 here');
  if (r.timedOut) return warn('local.litellm', 'python3 -m pip show litellm did not answer within 15s');
  if (r.code !== 0) {
    if (/No module named pip/i.test(r.stderr)) return ok('local.litellm', 'python3 has no pip: litellm not checked');
    return ok('local.litellm', 'litellm is not installed for python3');
  }
  const version = /^Version:\s*(\S+)/m.exec(r.stdout)?.[1] ?? '?';
  const location = /^Location:\s*(.+?)\s*$/m.exec(r.stdout)?.[1];
  if (isCompromisedLitellm(version))
    return fail('local.litellm', `python3 has litellm ${version} installed${location ? ` in ${location}` : ''}, ${COMPROMISED}`);
  if (location && probes.stat(`${location}/litellm_init.pth`).exists) {
    return fail(
      'local.litellm',
      `${location}/litellm_init.pth exists: the 1.82.8 malware's start-up hook; remove it, investigate the host and rotate every credential`,
    );
  }
  return ok('local.litellm', `python3 has litellm ${version} (not a compromised release)`);
}

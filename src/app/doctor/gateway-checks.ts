// Check 7: the gateway. LiteLLM's /health/readiness reports its version: 1.82.7 and 1.82.8 are the
// PyPI releases compromised with credential-stealing malware (2026-03-24). The credential must be
// accepted (/v1/models, sent in both headers as Claude Code sends it). A local Python with one of
// those releases installed is as bad: every secret on the machine was exposed.
import { fingerprint } from '../../domain/fingerprint';
import type { CheckResult, DoctorProbes } from './ports';
import { fail, ok, warn } from './ports';

export const isCompromisedLitellm = (version: string): boolean => /^v?1\.82\.[78](?![0-9])/.test(version.trim());
const COMPROMISED =
  'a release compromised with credential-stealing malware (PyPI, 2026-03-24): rotate every credential that machine held and move to 1.83.0 or later';

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

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

export async function checkGatewayVersion(probes: Pick<DoctorProbes, 'httpGet'>, base: string): Promise<CheckResult> {
  let answer;
  try {
    answer = await probes.httpGet(join(base, '/health/readiness'), {}, 5000);
  } catch (err) {
    return fail('gateway.version', `cannot reach the gateway at ${base}: ${(err as Error).message}`);
  }
  if (answer.status !== 200)
    return fail('gateway.version', `${base}/health/readiness answered HTTP ${answer.status}: ${errorMessage(answer.body)}`);
  let version: unknown;
  try {
    version = (JSON.parse(answer.body) as { litellm_version?: unknown }).litellm_version;
  } catch {
    version = undefined;
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
    answer = await probes.httpGet(join(base, '/v1/models'), { 'x-api-key': credential, authorization: `Bearer ${credential}` }, 5000);
  } catch (err) {
    return fail('gateway.credential', `cannot reach the gateway at ${base}: ${(err as Error).message}`);
  }
  const message = errorMessage(answer.body).split(credential).join(fp);
  if (answer.status === 401 || answer.status === 403)
    return fail('gateway.credential', `the gateway rejected ${fp} (HTTP ${answer.status}: ${message})`);
  if (answer.status !== 200) return warn('gateway.credential', `${base}/v1/models answered HTTP ${answer.status}: ${message}`);
  let models = '?';
  try {
    models = String(((JSON.parse(answer.body) as { data?: unknown[] }).data ?? []).length);
  } catch {
    // keep '?'
  }
  return ok('gateway.credential', `the gateway accepts ${fp} (${models} models)`);
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

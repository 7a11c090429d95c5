// Check 8: Claude Code's settings (user, project, local, managed): the helper points at get-key by
// absolute path and not from a project; nothing replaces its key; the TTLs agree; provider and
// model-discovery settings that change what the helper's key means.
import type { Env, ResolvedProfile } from '../../domain/profile';
import { fingerprint } from '../../domain/fingerprint';
import { pathsOf } from '../../domain/platform';
import { looksSecret } from '../settings-values';
import { claudeEnv, describe, effective, whereSet } from './claude-settings';
import { readHelper } from './helper-command';
import type { CheckResult } from './check';
import type { DoctorProbes, SettingsSource } from '../ports/doctor';
import { fail, ok, warn } from './check';

export interface ClaudeCheckInput {
  sources: SettingsSource[];
  env: Env;
  home: string;
  selfPath: string;
  os?: NodeJS.Platform;
  profile?: ResolvedProfile;
  gateway?: string;
}

const truthy = (v: string | undefined) => v !== undefined && v !== '' && !/^(0|false|no|off)$/i.test(v);
/** A helper line as it may be shown: an embedded credential only as a fingerprint. */
export const showLine = (line: string) => (looksSecret(line) ? `(a command embedding a secret, ${fingerprint(line)})` : line);

export function isGetKeyProgram(program: string, selfPath: string, probes: Pick<DoctorProbes, 'sameFile'>): boolean {
  return /(^|[\\/])get-key(\.c?js|\.exe)?$/i.test(program) || probes.sameFile(program, selfPath);
}

export function checkSettingsFiles(input: ClaudeCheckInput): CheckResult {
  const found = input.sources.filter((s) => s.data).map((s) => describe(s, input.home));
  const broken = input.sources.filter((s) => s.problem).map((s) => s.problem!);
  if (broken.length) return warn('claude.settings', broken.join('; '));
  return ok('claude.settings', found.length ? `read ${found.join(', ')}` : 'no Claude Code settings files');
}

export function checkHelperSetting(input: ClaudeCheckInput, probes: Pick<DoctorProbes, 'sameFile' | 'stat'>): CheckResult {
  const eff = effective(input.sources, 'apiKeyHelper');
  if (!eff) return fail('claude.helper', 'no apiKeyHelper in any Claude Code settings (run get-key setup)');
  const where = describe(eff.source, input.home);
  if (typeof eff.value !== 'string' || !eff.value.trim()) return fail('claude.helper', `apiKeyHelper in ${where} is not a command`);
  const inv = readHelper(eff.value, (p) => isGetKeyProgram(p, input.selfPath, probes), input.os);
  if (!inv.runsGetKey) return warn('claude.helper', `apiKeyHelper in ${where} does not run get-key: ${showLine(eff.value)}`);
  if (!pathsOf(input.os ?? 'linux').isAbsolute(inv.program!))
    return warn(
      'claude.helper',
      `apiKeyHelper in ${where} finds get-key through PATH (${inv.program}), which may differ under Claude Code; use the absolute path (get-key setup)`,
    );
  if (!probes.stat(inv.program!).exists)
    return fail('claude.helper', `apiKeyHelper in ${where} runs ${inv.program}, which does not exist (run get-key setup again)`);
  const other = probes.sameFile(inv.program!, input.selfPath) ? '' : ` (another copy than this one, ${input.selfPath})`;
  const profile = inv.kv ? `--kv ${inv.kv}` : `profile ${inv.profile ?? '(default)'}`;
  if (input.profile && inv.profile && !inv.kv && inv.profile !== input.profile.name) {
    return warn('claude.helper', `apiKeyHelper in ${where} uses profile ${inv.profile}, doctor checked ${input.profile.name}`);
  }
  return ok('claude.helper', `${where} runs ${inv.program}${other}, ${profile}`);
}

/**
 * A project-level apiKeyHelper runs code from a checked-out repository: a warn (README "Troubleshooting").
 * When it is the one Claude Code uses and it does not run get-key, the repository has replaced
 * your credential helper: a FAIL.
 */
export function checkProjectHelper(input: ClaudeCheckInput, probes: Pick<DoctorProbes, 'sameFile'>): CheckResult {
  const project = input.sources.filter((s) => (s.scope === 'project' || s.scope === 'local') && s.data?.apiKeyHelper !== undefined);
  if (!project.length) return ok('claude.project-helper', 'no project-level apiKeyHelper');
  const files = project.map((s) => describe(s, input.home)).join(' and ');
  const eff = effective(input.sources, 'apiKeyHelper');
  const line = typeof eff?.value === 'string' ? eff.value : '';
  if (eff && project.includes(eff.source) && !readHelper(line, (p) => isGetKeyProgram(p, input.selfPath, probes), input.os).runsGetKey) {
    return fail(
      'claude.project-helper',
      `apiKeyHelper in ${files} replaces get-key with code from the repository (${showLine(line)}); remove it`,
    );
  }
  return warn(
    'claude.project-helper',
    `apiKeyHelper is set in ${files}: a project-level helper runs code from a checked-out repository; keep it in your user settings`,
  );
}

export function checkAuthToken(input: ClaudeCheckInput): CheckResult {
  const places = whereSet(input.sources, input.env, 'ANTHROPIC_AUTH_TOKEN', input.home);
  if (places.length) {
    return fail(
      'claude.auth-token',
      `ANTHROPIC_AUTH_TOKEN is set in ${places.join(' and ')}: it replaces the helper's Authorization header and silently bypasses rotation; unset it`,
    );
  }
  return ok('claude.auth-token', 'ANTHROPIC_AUTH_TOKEN is not set');
}

export function checkApiKey(input: ClaudeCheckInput): CheckResult {
  const places = whereSet(input.sources, input.env, 'ANTHROPIC_API_KEY', input.home);
  if (places.length)
    return warn(
      'claude.api-key',
      `ANTHROPIC_API_KEY is set in ${places.join(' and ')}: it replaces the helper's x-api-key header; unset it`,
    );
  return ok('claude.api-key', 'ANTHROPIC_API_KEY is not set');
}

export function checkTtl(input: ClaudeCheckInput): CheckResult {
  if (!input.profile) return warn('claude.ttl', 'not checked: no profile');
  const want = input.profile.policy.ttlMs;
  const raw = claudeEnv(input.sources, input.env).CLAUDE_CODE_API_KEY_HELPER_TTL_MS;
  if (raw === undefined)
    return warn(
      'claude.ttl',
      `CLAUDE_CODE_API_KEY_HELPER_TTL_MS is not set: Claude Code keeps a key 300000 ms, profile ${input.profile.name} has ${want} (get-key setup sets it)`,
    );
  if (!/^\s*\d+\s*$/.test(raw))
    return warn(
      'claude.ttl',
      `CLAUDE_CODE_API_KEY_HELPER_TTL_MS=${JSON.stringify(raw)} is not a number: Claude Code and get-key fall back to their defaults`,
    );
  if (Number(raw) !== want)
    return warn(
      'claude.ttl',
      `CLAUDE_CODE_API_KEY_HELPER_TTL_MS is ${Number(raw)} but profile ${input.profile.name} has a TTL of ${want} ms`,
    );
  return ok('claude.ttl', `CLAUDE_CODE_API_KEY_HELPER_TTL_MS=${want} matches profile ${input.profile.name}`);
}

export function checkProvider(input: ClaudeCheckInput): CheckResult {
  const env = claudeEnv(input.sources, input.env);
  const on = ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'].filter((n) => truthy(env[n]));
  if (on.length && input.gateway) {
    return warn(
      'claude.provider',
      `${on.join(' and ')} set with a gateway: requests take the Bedrock/Vertex pass-through routes and server-managed settings are not delivered; prefer ANTHROPIC_BASE_URL alone (the unified endpoint)`,
    );
  }
  return ok('claude.provider', on.length ? `${on.join(', ')} set, no gateway` : 'Anthropic API format (no Bedrock/Vertex variables)');
}

export function checkModelDiscovery(input: ClaudeCheckInput): CheckResult {
  const env = claudeEnv(input.sources, input.env);
  if (env.CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY !== '1') return ok('claude.model-discovery', 'gateway model discovery is off');
  const shared = !input.profile || input.profile.source.type === 'vault-kv';
  if (shared)
    return warn(
      'claude.model-discovery',
      'CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1 with a shared key: every model that key reaches is listed to every user',
    );
  return ok('claude.model-discovery', 'gateway model discovery is on, with a per-user credential');
}

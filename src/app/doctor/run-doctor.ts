// `doctor`: every check of README "Troubleshooting" in order, each ok/warn/fail with one line of detail. A
// check that needs what an earlier one could not provide says so instead of failing again.
import type { ProfileChoice } from '../../domain/profile';
import type { FetchedCredential } from '../../domain/credential-value';
import {
  checkApiKey,
  checkAuthToken,
  checkHelperSetting,
  checkModelDiscovery,
  checkProjectHelper,
  checkProvider,
  checkSettingsFiles,
  checkTtl,
  isGetKeyProgram,
} from './claude-checks';
import type { ClaudeCheckInput } from './claude-checks';
import { claudeEnv, effective } from './claude-settings';
import { checkConfig } from './config-check';
import { checkGatewayCredential, checkGatewayRejection, checkGatewayVersion, checkLocalLitellm } from './gateway-checks';
import { readHelper } from './helper-command';
import { checkHelperRun } from './helper-run-check';
import type { CheckResult, DoctorDeps } from './check';
import type { VaultProbe } from '../ports/doctor';
import { fail, warn } from './check';
import { checkSource, revokeChecked } from './source-check';
import { checkCache, checkLogDir } from './storage-check';
import { checkPermissions, checkVaultAuth, checkVaultHealth } from './vault-checks';

export interface DoctorInput {
  /** What the command line asked for (`--profile`, `--kv`); empty: what apiKeyHelper runs. */
  choice: ProfileChoice;
  config?: string;
  /** OS user name and host name, for template expansion. */
  user: string;
  hostname: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

const VAULT_BUDGET_MS = 20_000;
const REVOKE_BUDGET_MS = 10_000;
const skipped = (ids: string[], why: string) => ids.map((id) => warn(id, `not checked: ${why}`));

export async function runDoctor(input: DoctorInput, deps: DoctorDeps): Promise<DoctorReport> {
  const { probes } = deps;
  const checks: CheckResult[] = [];
  const sources = probes.claudeSettings();
  const helperSetting = effective(sources, 'apiKeyHelper');
  const helperLine = typeof helperSetting?.value === 'string' ? helperSetting.value : undefined;

  // The profile: --profile, else the one the configured apiKeyHelper asks for, else the default.
  const inv = helperLine ? readHelper(helperLine, (p) => isGetKeyProgram(p, deps.selfPath, probes), deps.os) : undefined;
  const asked = input.choice.profile !== undefined || input.choice.kv !== undefined;
  const fromHelper = !asked && inv?.runsGetKey ? inv : undefined;
  const choice: ProfileChoice = fromHelper?.kv
    ? { kv: { path: fromHelper.kv, field: fromHelper.field, mount: fromHelper.mount } }
    : fromHelper
      ? { profile: fromHelper.profile }
      : input.choice;
  const config = checkConfig(deps, choice, input.config ?? fromHelper?.config, input);
  if (fromHelper && config.result.status === 'ok') config.result.detail += ' (as apiKeyHelper runs it)';
  checks.push(config.result);
  const loaded = config.result.status === 'fail' ? undefined : config.loaded;
  const profile = loaded?.profile;

  checks.push(loaded ? checkCache(deps, loaded) : warn('cache', 'not checked: no usable profile'));
  checks.push(checkLogDir(deps));

  let credential: FetchedCredential | undefined;
  let revokeFetched: (() => Promise<void>) | undefined;
  if (profile) {
    const deadline = deps.now() + VAULT_BUDGET_MS;
    let vault: VaultProbe | undefined;
    try {
      vault = await probes.vault(profile, deadline);
    } catch (err) {
      checks.push(fail('vault.health', (err as Error).message));
    }
    const health = vault ? await checkVaultHealth(vault, profile) : undefined;
    if (health) checks.push(health);
    if (vault && health?.status !== 'fail') {
      checks.push(await checkVaultAuth(vault, profile, deps));
      checks.push(await checkPermissions(vault));
    } else {
      checks.push(...skipped(['vault.auth', 'vault.permissions'], 'Vault is not usable'));
    }
    const source = await checkSource(() => probes.fetchCredential(profile, deadline), profile, deps.now);
    checks.push(source.result);
    credential = source.credential;
    // A key minted or a lease taken for this check must not stay live: revoked after the gateway check.
    const handle = credential?.revocation?.handle;
    if (handle)
      revokeFetched = () => revokeChecked(source.result, handle, (h) => probes.revokeCredential(profile, h, deps.now() + REVOKE_BUDGET_MS));
  } else {
    checks.push(...skipped(['vault.health', 'vault.auth', 'vault.permissions', 'source'], 'no usable profile'));
  }

  const env = claudeEnv(sources, deps.env);
  const gateway = (profile?.source as { gateway?: unknown } | undefined)?.gateway;
  const base = typeof gateway === 'string' ? gateway : env.ANTHROPIC_BASE_URL;
  if (base) {
    checks.push(await checkGatewayVersion(probes, base, credential?.value));
    checks.push(
      credential ? await checkGatewayCredential(probes, base, credential.value) : warn('gateway.credential', 'not checked: no credential'),
    );
    checks.push(await checkGatewayRejection(probes, base));
  } else {
    checks.push(warn('gateway.version', 'no gateway known: set ANTHROPIC_BASE_URL (get-key setup --base-url <url>)'));
    checks.push(warn('gateway.credential', 'not checked: no gateway'));
    checks.push(warn('gateway.rejection', 'not checked: no gateway'));
  }
  await revokeFetched?.();
  checks.push(await checkLocalLitellm(probes));

  const claude: ClaudeCheckInput = {
    sources,
    env: deps.env,
    home: deps.home,
    selfPath: deps.selfPath,
    profile,
    gateway: base,
    os: deps.os,
  };
  checks.push(
    checkSettingsFiles(claude),
    checkHelperSetting(claude, probes),
    checkProjectHelper(claude, probes),
    checkAuthToken(claude),
    checkApiKey(claude),
    checkTtl(claude),
    checkProvider(claude),
    checkModelDiscovery(claude),
  );
  checks.push(await checkHelperRun(probes, helperLine, env, deps.cwd));
  return { ok: !checks.some((c) => c.status === 'fail'), checks };
}

// Demo part: a minted LiteLLM key profile and the operators' rotation drill, against the test
// Vault and the test LiteLLM gateway. Called by scripts/demo.ts (the lead's).
//
// Setup the caller does before calling demoMinted(ctx):
//   1. start the test Vault (test/servers/vault) and the test LiteLLM gateway (test/servers/litellm);
//   2. store the gateway's master key in Vault KV: prepareMintedDemo(vault, litellm) does it
//      (KV v2 mount `secret`, path `litellm/admin`, field `master_key`);
//   3. build the CLI (npm run demo does) and pass ctx:
//      - run(args, env): runs the BUILT get-key with the demo's sandbox environment (its own HOME
//        and XDG directories) plus `env`, resolving to { stdout, stderr, code };
//      - vaultUrl, litellmUrl: the two servers; sandboxDir: a writable directory for the config;
//      - vaultToken: a token that may read secret/data/litellm/admin (the root token is fine);
//      - print(line): where the demo's narration goes.
// Secrets (admin key, minted keys) are never printed: only fingerprints and token hashes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoMintedContext {
  run(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }>;
  vaultUrl: string;
  litellmUrl: string;
  sandboxDir: string;
  vaultToken: string;
  print(line: string): void;
}

/** Step 2 of the setup: the gateway's master key where the minted profile reads it. */
export function prepareMintedDemo(
  vault: { kvPut(mount: string, path: string, data: Record<string, unknown>): unknown },
  litellm: { masterKey: string },
): void {
  vault.kvPut('secret', 'litellm/admin', { master_key: litellm.masterKey });
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

export async function demoMinted(ctx: DemoMintedContext): Promise<void> {
  const configFile = join(ctx.sandboxDir, 'minted-config.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        vault: { address: ctx.vaultUrl },
        profiles: {
          minted: {
            source: {
              type: 'litellm-key',
              gateway: ctx.litellmUrl,
              adminKey: { path: 'secret/litellm/admin', field: 'master_key' },
              userId: '${user}',
              keyAlias: 'demo-${user}-${hostname}-${time}',
              models: ['claude-sonnet-4-5'],
              maxBudget: 5,
              metadata: { tool: 'claude-code', demo: true },
              revokePrevious: true,
            },
            grace: '30s',
          },
        },
      },
      null,
      2,
    ),
  );
  const env = { VAULT_TOKEN: ctx.vaultToken, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '60000' };
  const cli = (args: string[]) => ctx.run(['--config', configFile, '--profile', 'minted', ...args], env);
  const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

  ctx.print('== Minted LiteLLM keys: profile "minted" (source litellm-key, revokePrevious) ==');
  ctx.print(`get-key reads the admin key from Vault, then POST ${ctx.litellmUrl}/key/generate for this user.`);
  const first = await cli(['--format', 'json']);
  if (first.code !== 0) throw new Error(`get-key failed: ${first.stderr.trim()}`);
  const a = json(first.stdout);
  ctx.print(`  minted ${String(a.fingerprint)}, expires ${String(a.expiresAt)} (max(1h, 2 × TTL + grace)), cached: ${String(a.cached)}`);
  const second = json((await cli(['--format', 'json'])).stdout);
  ctx.print(`  second run: ${String(second.fingerprint)}, cached: ${String(second.cached)} — no Vault, no gateway`);

  const status = json((await ctx.run(['status', '--config', configFile, '--profile', 'minted', '--json'], env)).stdout);
  const entry = (status.entries as Array<Record<string, unknown>>)[0] ?? {};
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  ctx.print(
    `  status: alias ${String(meta.keyAlias)}, LiteLLM token hash ${String(meta.tokenHash).slice(0, 16)}… (the key itself is never shown)`,
  );

  ctx.print('');
  ctx.print("== The operators' rotation drill: get-key rotate --drill ==");
  ctx.print(
    'A (current) → B (minted now) → the gateway accepts B → A deleted at once (/key/delete) → the gateway rejects A (401) → get-key serves B',
  );
  const drill = await cli(['rotate', '--drill']);
  ctx.print(indent(drill.stderr));
  ctx.print(`  exit ${String(drill.code)}${drill.code === 0 ? ' (every step passed)' : ' (a step failed: see above)'}`);

  ctx.print('');
  ctx.print('== get-key rotate: replace now, delete the old key once TTL + grace have passed ==');
  const rotated = json((await cli(['rotate', '--json'])).stdout);
  for (const s of rotated.steps as Array<Record<string, unknown>>)
    ctx.print(`    ${String(s.step).padEnd(20)} ${String(s.ms).padStart(5)}ms  ${String(s.detail)}`);
  const after = json((await ctx.run(['status', '--config', configFile, '--profile', 'minted', '--json'], env)).stdout);
  const pending = ((after.entries as Array<Record<string, unknown>>)[0]?.pendingRevocations ?? []) as Array<Record<string, unknown>>;
  for (const p of pending)
    ctx.print(`  pending revocation: ${String(p.fingerprint)} due ${String(p.dueAt)} (a later run after a miss deletes it)`);
}

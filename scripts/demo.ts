// npm run demo: a readable transcript of get-key against the project's test Vault (and test
// LiteLLM gateway), all on 127.0.0.1 with throw-away keys and a temporary config.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runChild } from '../src/adapters/process/run-child';
import type { ChildRun } from '../src/adapters/process/run-child';
import { startLitellmServer } from '../test/servers/litellm';
import { startVaultServer } from '../test/servers/vault';
import { demoMinted, prepareMintedDemo } from './demo-minted';

const CLI = resolve(__dirname, '../dist/get-key.cjs');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const print = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return runChild(process.execPath, [CLI, ...args], { env, timeoutMs: 60_000 });
}

function show(title: string, cmd: string, r: ChildRun) {
  print(`${bold(`$ ${cmd}`)}   ${dim(`# ${title}: exit ${r.code}, ${r.ms} ms`)}`);
  if (r.stdout)
    print(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  if (r.stderr)
    print(
      r.stderr
        .trimEnd()
        .split('\n')
        .map((l) => dim(`  stderr: ${l}`))
        .join('\n'),
    );
  print();
}

async function main() {
  const vault = await startVaultServer();
  const litellm = await startLitellmServer();
  const dir = mkdtempSync(join(tmpdir(), 'get-key-demo-'));
  try {
    vault.mountKv('secret', 2);
    const keyA = litellm.addKey({ alias: 'claude-code-shared' });
    vault.kvPut('secret', 'litellm/claude-code', { api_key: keyA });
    vault.setPolicy('claude-code', [{ path: 'secret/data/litellm/*', capabilities: ['read'] }]);
    const token = vault.createToken({ policies: ['claude-code'] });
    const reads = () => vault.count({ method: 'GET', path: '/v1/secret/data/litellm/claude-code' });
    mkdirSync(join(dir, 'home'));
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify(
        { vault: { address: vault.url }, profiles: { default: { source: { type: 'vault-kv', path: 'secret/litellm/claude-code' } } } },
        null,
        2,
      ),
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(dir, 'home'),
      GET_KEY_CONFIG: configFile,
      GET_KEY_CACHE_DIR: join(dir, 'cache'),
      XDG_STATE_HOME: join(dir, 'state'),
      VAULT_TOKEN: token,
      CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '3000',
    };

    print(bold('get-key demo'));
    print(dim(`test Vault on ${vault.url}, test LiteLLM gateway on ${litellm.url}, TTL 3 s (CLAUDE_CODE_API_KEY_HELPER_TTL_MS=3000)`));
    print(dim(`config ${configFile}: profile "default" reads secret/litellm/claude-code, field api_key`));
    print();

    show('first fetch reads Vault', 'get-key', await run([], env));
    show(`cache hit: Vault KV reads so far = ${reads()}`, 'get-key', await run([], env));
    print(dim(`Vault KV reads after the cache hit: ${reads()}`));
    print();

    await sleep(3100);
    const parallel = await Promise.all(Array.from({ length: 20 }, () => run([], env)));
    print(`${bold('$ 20 × get-key, at once, after the TTL')}   ${dim('# every Claude Code session refreshing together')}`);
    print(
      `  ${parallel.filter((r) => r.code === 0).length}/20 succeeded, ${new Set(parallel.map((r) => r.stdout)).size} distinct value(s), Vault KV reads now ${reads()} (one more)`,
    );
    print();

    show('what is cached', 'get-key status', await run(['status'], env));

    const keyB = litellm.addKey({ alias: 'claude-code-shared-2' });
    vault.kvPut('secret', 'litellm/claude-code', { api_key: keyB });
    print(dim('an operator rotates the key in Vault (new version of secret/litellm/claude-code)'));
    show('still the cached key within the TTL', 'get-key', await run([], env));
    await sleep(3100);
    show('the rotated key after the TTL', 'get-key', await run([], env));

    await sleep(3100);
    vault.seal();
    print(dim('Vault is sealed (an outage)'));
    show('stale-if-error: the cached key, one warning line', 'get-key', await run([], env));
    vault.unseal();

    prepareMintedDemo(vault, litellm);
    await demoMinted({
      run: (args, extra) => run(args, { ...env, GET_KEY_CONFIG: undefined, CLAUDE_CODE_API_KEY_HELPER_TTL_MS: undefined, ...extra }),
      vaultUrl: vault.url,
      litellmUrl: litellm.url,
      sandboxDir: dir,
      vaultToken: vault.rootToken,
      print,
    });
    print();
    print(bold('done.'));
  } finally {
    await vault.close();
    await litellm.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

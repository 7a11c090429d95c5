// The outside world as doctor sees it: file facts, Claude Code's settings files, the Vault session
// and the source (fetch without caching), HTTP with a timeout, and child processes run either
// directly or the way Claude Code runs apiKeyHelper.
import { spawn } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DoctorProbes, ProcessResult, SettingsSource, VaultProbe } from '../../app/ports/doctor';
import type { LoginStore } from '../../app/ports/store';
import { loginKey } from '../../domain/cache-key';
import type { Env } from '../../domain/profile';
import { expandString } from '../../domain/template';
import { vaultPath } from '../../domain/vault-path';
import { sourceOpener } from '../sources/registry';
import { templateVars } from '../sources/template-vars';
import { kvReadPath, resolveKvMount } from '../sources/vault-kv';
import { openVaultSession } from '../vault/vault-session';
import { ownerText } from '../../domain/token-owner';
import { tokenOwner } from '../vault/token-owner';
import { parseSettings, userSettingsPath } from './settings-file';
import { osUserName } from '../process/os-user';
import { timerDelay } from '../../domain/duration';

export interface ProbeDeps {
  env: Env;
  home: string;
  cwd: string;
  logins: LoginStore;
  managedSettings: string;
  /** How apiKeyHelper is run (`/bin/sh -c`, cmd on Windows); the host's when not given. */
  platform?: NodeJS.Platform;
  now(): number;
}

function readSource(scope: SettingsSource['scope'], file: string): SettingsSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { scope, file }
      : { scope, file, problem: `cannot read ${file}: ${code ?? String(err)}` };
  }
  try {
    return { scope, file, data: parseSettings(text, file) };
  } catch (err) {
    return { scope, file, problem: (err as Error).message };
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function runProcess(
  file: string,
  args: string[],
  options: { env?: Env; cwd?: string; timeoutMs: number; openStdin: boolean; verbatim?: boolean },
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(file, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      cwd: options.cwd,
      stdio: [options.openStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends the helper's children too
      windowsVerbatimArguments: options.verbatim,
      windowsHide: true, // detached on Windows would open a console window
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timerDelay(options.timeoutMs));
    const finish = (code: number | null, missing = false) => {
      clearTimeout(timer);
      child.stdin?.destroy();
      done({ code, stdout, stderr, ms: Date.now() - started, timedOut, missing });
    };
    child.on('error', (err: NodeJS.ErrnoException) => finish(null, err.code === 'ENOENT'));
    child.on('close', (code) => finish(timedOut ? null : code));
  });
}

export function createDoctorProbes(deps: ProbeDeps): DoctorProbes {
  const sourceDeps = { env: deps.env, home: deps.home, logins: deps.logins, now: deps.now };
  return {
    uid: typeof process.getuid === 'function' ? process.getuid() : -1,
    stat(path) {
      try {
        const st = statSync(path);
        return { exists: true, isDir: st.isDirectory(), mode: st.mode, uid: st.uid };
      } catch {
        return { exists: false };
      }
    },
    claudeSettings() {
      const user = userSettingsPath(deps.env, deps.home);
      const project = join(deps.cwd, '.claude', 'settings.json');
      const local = join(deps.cwd, '.claude', 'settings.local.json');
      // Run from the home directory, the "project" settings are the user settings: count them once.
      const inHome = realOrSelf(project) === realOrSelf(user);
      return [
        readSource('managed', deps.managedSettings),
        ...(inHome ? [] : [readSource('local', local), readSource('project', project)]),
        readSource('user', user),
      ];
    },
    async vault(profile, deadline): Promise<VaultProbe> {
      const key = loginKey(profile, osUserName());
      const session = await openVaultSession(profile, { ...sourceDeps, deadline, loginKey: key, log: () => undefined });
      return {
        async health() {
          const h = await session.http.request('GET', 'sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200', {
            namespace: null,
            op: 'health check',
          });
          return {
            initialized: h.initialized === true,
            sealed: h.sealed === true,
            standby: h.standby === true,
            performanceStandby: h.performance_standby === true,
            version: typeof h.version === 'string' ? h.version : '',
          };
        },
        lookupSelf: () => session.lookupSelf(),
        owner: async (self) => ownerText(await tokenOwner(session, self)),
        login() {
          const r = deps.logins.read(key);
          return r ? { method: r.method, loggedInAt: r.loggedInAt } : undefined;
        },
        async capabilities(paths) {
          const res = await session.call('POST', 'sys/capabilities-self', { body: { paths }, op: 'capabilities check' });
          const data = (res.data ?? res) as Record<string, unknown>;
          return Object.fromEntries(paths.map((p) => [p, Array.isArray(data[p]) ? (data[p] as string[]) : []]));
        },
        async sourcePaths() {
          const source = profile.source;
          if (source.type !== 'vault-kv') return [];
          const path = vaultPath(
            expandString(source.path, await templateVars(source, profile.name, deps.env, deps.now(), session)),
            'the KV path',
          );
          return [kvReadPath(await resolveKvMount(source, path, session))];
        },
      };
    },
    async fetchCredential(profile, deadline) {
      const open = sourceOpener(sourceDeps);
      return (await open({ profile, deadline, log: () => undefined })).fetch();
    },
    async revokeCredential(profile, handle, deadline) {
      const source = await sourceOpener(sourceDeps)({ profile, deadline, log: () => undefined });
      if (!source.revoke) throw new Error(`source ${profile.source.type} cannot revoke`);
      await source.revoke(handle);
    },
    async httpGet(url, headers, timeoutMs) {
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: AbortSignal.timeout(timerDelay(timeoutMs)), redirect: 'manual' });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs / 1000}s`);
        throw new Error(e.cause?.code ?? e.cause?.message ?? e.message);
      }
      return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
    },
    run: (program, args, timeoutMs) => runProcess(program, args, { env: deps.env, timeoutMs, openStdin: false }),
    runHelper: (line, o) => {
      const [file, args] = helperShell(line, deps.platform ?? process.platform, o.env);
      return runProcess(file, args, {
        env: o.env,
        cwd: o.cwd,
        timeoutMs: o.timeoutMs,
        openStdin: true,
        verbatim: (deps.platform ?? process.platform) === 'win32',
      });
    },
    sameFile: (a, b) => {
      try {
        return realpathSync(a) === realpathSync(b);
      } catch {
        return false;
      }
    },
  };
}

/** The shell Claude Code runs apiKeyHelper through: `/bin/sh -c`, or on Windows cmd as Node's `shell: true` starts it. */
export function helperShell(line: string, os: NodeJS.Platform, env: Env): [string, string[]] {
  if (os === 'win32') return [env.ComSpec || 'cmd.exe', ['/d', '/s', '/c', `"${line}"`]];
  return ['/bin/sh', ['-c', line]];
}

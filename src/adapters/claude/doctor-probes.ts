// The outside world as doctor sees it (DoctorProbes in app/ports/doctor.ts), put together here:
// Claude Code's settings files and how it runs apiKeyHelper (this folder), file facts, Vault
// (vault/vault-probe.ts), the source fetched without caching (sources/), the gateway over HTTP
// (litellm/http-get.ts) and programs run to their end (process/run-child.ts).
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DoctorProbes, SettingsSource } from '../../app/ports/doctor';
import type { LoginStore } from '../../app/ports/store';
import type { Env } from '../../domain/profile';
import { httpGet } from '../litellm/http-get';
import { runChild } from '../process/run-child';
import { sourceOpener } from '../sources/registry';
import { openVaultProbe } from '../vault/vault-probe';
import { parseSettings, userSettingsPath } from './settings-file';

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

export function createDoctorProbes(deps: ProbeDeps): DoctorProbes {
  const sourceDeps = { env: deps.env, home: deps.home, logins: deps.logins, now: deps.now };
  const os = deps.platform ?? process.platform;
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
    vault: (profile, deadline) => openVaultProbe(profile, deadline, sourceDeps),
    async fetchCredential(profile, deadline) {
      const open = sourceOpener(sourceDeps);
      return (await open({ profile, deadline, log: () => undefined })).fetch();
    },
    async revokeCredential(profile, handle, deadline) {
      const source = await sourceOpener(sourceDeps)({ profile, deadline, log: () => undefined });
      if (!source.revoke) throw new Error(`source ${profile.source.type} cannot revoke`);
      await source.revoke(handle);
    },
    httpGet,
    // Its own process group, so that a timeout ends the program's children too.
    run: (program, args, timeoutMs) => runChild(program, args, { env: deps.env, timeoutMs, ownGroup: true }),
    runHelper: (line, o) => {
      const [file, args] = helperShell(line, os, o.env);
      return runChild(file, args, {
        env: o.env,
        cwd: o.cwd,
        timeoutMs: o.timeoutMs,
        openStdin: true,
        ownGroup: true,
        verbatim: os === 'win32',
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

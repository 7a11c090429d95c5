// Claude Code's settings files: where they are, reading them, and writing them atomically through
// a symbolic link (the link stays; its target is replaced) with the file's mode kept. Edits go
// through json-edit.ts so every byte setup does not change stays as it was.
import { lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SettingsDoc, SettingsFile, SettingsPath } from '../../app/ports/settings';
import { configError, errorCode } from '../../domain/errors';
import { pathsOf } from '../../domain/platform';
import type { Env } from '../../domain/profile';
import { writePrivateFileAtomic } from '../store/secure-fs';
import { emptyInner, rawValue, removeMember, setRaw, setValue } from './json-edit';

/** The user settings: `$CLAUDE_CONFIG_DIR/settings.json`, default `~/.claude/settings.json`. */
export function userSettingsPath(env: Env, home: string, os: NodeJS.Platform = 'linux'): string {
  const { join } = pathsOf(os);
  return join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json');
}

// Claude Code's system-wide directory per platform (the strings in its 2.1.197 bundle).
const MANAGED_DIR: Partial<Record<NodeJS.Platform, string>> = {
  darwin: '/Library/Application Support/ClaudeCode',
  win32: 'C:\\Program Files\\ClaudeCode',
};

/** Managed settings file (`$GET_KEY_MANAGED_SETTINGS` overrides, for tests and other layouts). */
export function managedSettingsPath(env: Env, os: NodeJS.Platform): string {
  if (env.GET_KEY_MANAGED_SETTINGS) return env.GET_KEY_MANAGED_SETTINGS;
  return pathsOf(os).join(MANAGED_DIR[os] ?? '/etc/claude-code', 'managed-settings.json');
}

export function parseSettings(text: string, file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw configError(`Claude Code settings ${file} is not valid JSON: ${(err as Error).message}`, { hint: 'fix the file first' });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw configError(`Claude Code settings ${file} is not a JSON object`, { hint: 'fix the file first' });
  return data as Record<string, unknown>;
}

export function settingsDoc(text: string, file: string): SettingsDoc {
  const data = parseSettings(text, file);
  const next = (t: string) => settingsDoc(t, file);
  return {
    text,
    data,
    raw: (path: SettingsPath) => rawValue(text, path),
    emptyInner: (path: SettingsPath) => emptyInner(text, path),
    set: (path, value) => next(setValue(text, path, value)),
    setRaw: (path, raw) => next(setRaw(text, path, raw)),
    remove: (path, inner) => next(removeMember(text, path, inner)),
  };
}

/** Follow symbolic links (even to a file that does not exist yet) to the file really written. */
export function resolveTarget(file: string): string {
  let p = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) return p;
      link = readlinkSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return p;
      throw configError(`cannot read ${p}: ${errorCode(err)}`, { cause: err });
    }
    p = isAbsolute(link) ? link : resolve(dirname(p), link);
  }
  throw configError(`too many symbolic links at ${file}`);
}

/** Temp file beside the target with the target's mode, fsync, rename over the target. */
export function writeAtomic(target: string, text: string, mode: number): void {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  writePrivateFileAtomic(target, text, { mode });
}

export function createSettingsFile(path: string): SettingsFile {
  const target = () => resolveTarget(path);
  return {
    path,
    target,
    load() {
      let text: string;
      try {
        text = readFileSync(target(), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw configError(`cannot read Claude Code settings ${path}: ${errorCode(err)}`, {
          cause: err,
        });
      }
      return settingsDoc(text, path);
    },
    create: () => settingsDoc('{}\n', path),
    save(doc) {
      const t = target();
      let mode = 0o600;
      try {
        mode = statSync(t).mode & 0o7777;
      } catch {
        // a new file: private by default
      }
      try {
        writeAtomic(t, doc.text, mode);
      } catch (err) {
        throw configError(`cannot write Claude Code settings ${t}: ${errorCode(err)}`, { cause: err });
      }
    },
    delete() {
      rmSync(target(), { force: true });
    },
  };
}

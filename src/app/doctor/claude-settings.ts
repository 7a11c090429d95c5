// Reading Claude Code's settings as Claude Code combines them: a setting comes from the first
// file that has it (managed, local, project, user), and the settings' `env` overlays the process
// environment, which the helper inherits.
import type { Env } from '../../domain/profile';
import type { SettingsSource } from '../ports/doctor';

const HOME_SHORT = (file: string, home: string) => (home && file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file);

export function describe(source: SettingsSource, home: string): string {
  return `${source.scope} settings ${HOME_SHORT(source.file, home)}`;
}

export function effective(sources: SettingsSource[], key: string): { value: unknown; source: SettingsSource } | undefined {
  for (const source of sources) {
    if (source.data && source.data[key] !== undefined) return { value: source.data[key], source };
  }
  return undefined;
}

const envOf = (s: SettingsSource): Record<string, unknown> => {
  const env = s.data?.env;
  return env && typeof env === 'object' && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
};

/** The environment Claude Code runs with (and passes to the helper): process env + settings env. */
export function claudeEnv(sources: SettingsSource[], env: Env): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  for (const s of [...sources].reverse())
    for (const [k, v] of Object.entries(envOf(s))) if (v !== undefined && v !== null) merged[k] = String(v);
  return merged;
}

/** Every place a variable is set: 'the environment' and the settings files whose env has it. */
export function whereSet(sources: SettingsSource[], env: Env, name: string, home: string): string[] {
  const places = env[name] !== undefined && env[name] !== '' ? ['the environment'] : [];
  for (const s of sources) if (envOf(s)[name] !== undefined) places.push(`env of ${describe(s, home)}`);
  return places;
}

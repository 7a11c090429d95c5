// The Claude Code integration's adapters, built by main.ts (through the lazily loaded part): the
// settings files, setup's undo records and the probes doctor runs.
import type { ClaudeAdapters } from '../../app/ports/settings';
import type { LoginStore } from '../../app/ports/store';
import type { Env } from '../../domain/profile';
import type { AppPaths } from '../../domain/app-paths';
import { createDoctorProbes } from './doctor-probes';
import { createSettingsFile, managedSettingsPath, userSettingsPath } from './settings-file';
import { createUndoStore } from './undo-store';

export interface ClaudeAdapterDeps {
  env: Env;
  home: string;
  platform: NodeJS.Platform;
  cwd: string;
  paths: AppPaths;
  logins: LoginStore;
  now(): number;
}

export function createClaudeAdapters(deps: ClaudeAdapterDeps): ClaudeAdapters {
  return {
    userSettingsPath: userSettingsPath(deps.env, deps.home, deps.platform),
    settingsFile: createSettingsFile,
    undo: createUndoStore(deps.paths.logDir),
    probes: createDoctorProbes({ ...deps, managedSettings: managedSettingsPath(deps.env, deps.platform) }),
  };
}

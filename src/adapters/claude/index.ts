// The Claude Code integration's adapters, built by main.ts (through the lazily loaded part): the
// settings files, setup's undo records and the probes doctor runs.
import type { SettingsFile, UndoStore } from '../../app/settings-ports';
import type { DoctorProbes } from '../../app/doctor/ports';
import type { LoginStore } from '../../app/ports';
import type { Env } from '../../domain/profile';
import type { AppPaths } from '../store/paths';
import { createDoctorProbes } from './doctor-probes';
import { createSettingsFile, managedSettingsPath, userSettingsPath } from './settings-file';
import { createUndoStore } from './undo-store';

export interface ClaudeAdapters {
  userSettingsPath: string;
  settingsFile(path: string): SettingsFile;
  undo: UndoStore;
  probes: DoctorProbes;
}

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

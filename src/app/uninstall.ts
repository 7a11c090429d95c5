// `uninstall`: undo what `setup` changed in the Claude Code settings, value by value, except what
// the user changed since. A file setup did not otherwise touch comes back byte for byte.
import type { SettingsFile, UndoStore } from './ports/settings';
import { sameJson, showPath, valueAt } from './settings-values';

export interface UninstallDeps {
  settings: SettingsFile;
  undo: UndoStore;
}

export type UndoOutcome =
  | { path: string; outcome: 'restored'; value: string }
  | { path: string; outcome: 'removed' }
  | { path: string; outcome: 'kept'; reason: string }
  | { path: string; outcome: 'not-restored'; fingerprint: string };

export interface UninstallResult {
  target: string;
  /** false: there was no undo record for this file. */
  found: boolean;
  outcomes: UndoOutcome[];
  fileDeleted: boolean;
  written: boolean;
}

export function uninstall(deps: UninstallDeps): UninstallResult {
  const { settings, undo } = deps;
  const target = settings.target();
  const record = undo.read(target);
  const result: UninstallResult = { target, found: !!record, outcomes: [], fileDeleted: false, written: false };
  if (!record) return result;
  const loaded = settings.load();
  if (!loaded) {
    undo.remove(target);
    return result;
  }

  let doc = loaded;
  const innerFor = (path: readonly string[]) => record.emptyInner[path.slice(0, -1).join('.')] ?? '';
  for (const change of [...record.changes].reverse()) {
    const path = change.path;
    const shown = showPath(path);
    const current = valueAt(doc.data, path);
    if (change.after.state === 'absent') {
      if (current !== undefined) result.outcomes.push({ path: shown, outcome: 'kept', reason: 'set again since setup' });
      else if (change.before.state === 'secret')
        result.outcomes.push({ path: shown, outcome: 'not-restored', fingerprint: change.before.fingerprint });
      continue;
    }
    if (!sameJson(current, change.after.value)) {
      result.outcomes.push({ path: shown, outcome: 'kept', reason: current === undefined ? 'removed since setup' : 'changed since setup' });
      continue;
    }
    const before = change.before;
    if (before.state === 'value') {
      doc = doc.setRaw(path, before.raw);
      result.outcomes.push({ path: shown, outcome: 'restored', value: before.raw });
    } else {
      doc = doc.remove(path, innerFor(path));
      result.outcomes.push(
        before.state === 'secret'
          ? { path: shown, outcome: 'not-restored', fingerprint: before.fingerprint }
          : { path: shown, outcome: 'removed' },
      );
    }
  }
  const env = valueAt(doc.data, ['env']);
  if (record.createdEnv && env && typeof env === 'object' && Object.keys(env).length === 0) doc = doc.remove(['env'], innerFor(['env']));

  if (record.createdFile && Object.keys(doc.data).length === 0) {
    settings.delete();
    result.fileDeleted = true;
  } else if (doc.text !== loaded.text) {
    settings.save(doc);
    result.written = true;
  }
  undo.remove(target);
  return result;
}

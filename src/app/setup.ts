// `setup`: point Claude Code's user settings at get-key (docs/minted-keys-and-rotation.md). Sets apiKeyHelper and
// the helper TTL (and the gateway URL, the attribution header when asked), removes the two
// variables that would bypass the helper, keeps every other key and byte, and leaves an undo
// record holding the previous values (secrets only as fingerprints).
import { configError } from '../domain/errors';
import type { After, Before, UndoChange, UndoRecord } from '../domain/undo-record';
import type { SettingsDoc, SettingsFile, SettingsPath, UndoStore } from './ports/settings';
import { fingerprintOf, isSecretSetting, sameJson, valueAt } from './settings-values';

export interface SetupInput {
  /** The apiKeyHelper command line (already shell-quoted). */
  helperCommand: string;
  ttlMs: number;
  baseUrl?: string;
  /** `--no-attribution-header`: env.CLAUDE_CODE_ATTRIBUTION_HEADER=0. */
  attributionHeaderOff?: boolean;
  dryRun: boolean;
  now: number;
}

export interface SetupDeps {
  settings: SettingsFile;
  undo: UndoStore;
}

/** One change as shown to the user: `before`/`after` are display text, secrets as fingerprints. */
export interface ShownChange {
  path: string;
  action: 'add' | 'change' | 'remove';
  before?: string;
  after?: string;
}

export interface SetupResult {
  target: string;
  createdFile: boolean;
  changes: ShownChange[];
  /** Old and new text with secret values replaced by fingerprints, for a diff. */
  shownBefore: string;
  shownAfter: string;
  written: boolean;
  undoFile: string;
}

/** Variables that replace the helper's key in one of the two headers (Claude Code sends ANTHROPIC_AUTH_TOKEN as Authorization, ANTHROPIC_API_KEY as x-api-key). */
export const BYPASS_VARIABLES = ['ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_API_KEY'] as const;

function desiredSets(input: SetupInput): Array<[SettingsPath, string]> {
  const sets: Array<[SettingsPath, string]> = [
    [['apiKeyHelper'], input.helperCommand],
    [['env', 'CLAUDE_CODE_API_KEY_HELPER_TTL_MS'], String(input.ttlMs)],
  ];
  if (input.baseUrl !== undefined) sets.push([['env', 'ANTHROPIC_BASE_URL'], input.baseUrl]);
  if (input.attributionHeaderOff) sets.push([['env', 'CLAUDE_CODE_ATTRIBUTION_HEADER'], '0']);
  return sets;
}

function beforeOf(doc: SettingsDoc, path: SettingsPath): Before {
  const value = valueAt(doc.data, path);
  if (value === undefined) return { state: 'absent' };
  if (isSecretSetting(path, value)) return { state: 'secret', fingerprint: fingerprintOf(value) };
  return { state: 'value', raw: doc.raw(path)! };
}

export const showBefore = (b: Before): string | undefined =>
  b.state === 'absent' ? undefined : b.state === 'secret' ? b.fingerprint : b.raw;

/** The text with every secret-looking value replaced by its fingerprint: safe to print. */
export function redactedText(doc: SettingsDoc): string {
  let shown = doc;
  const env = valueAt(doc.data, ['env']);
  const paths: SettingsPath[] = [
    ['apiKeyHelper'],
    ...(env && typeof env === 'object' && !Array.isArray(env) ? Object.keys(env).map((k) => ['env', k]) : []),
  ];
  for (const path of paths) {
    const v = valueAt(shown.data, path);
    if (v !== undefined && isSecretSetting(path, v)) shown = shown.set(path, `${fingerprintOf(v)} (redacted)`);
  }
  return shown.text;
}

function checkShape(doc: SettingsDoc, file: string): void {
  const env = valueAt(doc.data, ['env']);
  if (env !== undefined && (env === null || typeof env !== 'object' || Array.isArray(env))) {
    throw configError(`"env" in ${file} is not an object`, { hint: 'fix the settings file first' });
  }
}

export function setup(input: SetupInput, deps: SetupDeps): SetupResult {
  const { settings, undo } = deps;
  const target = settings.target();
  const loaded = settings.load();
  const original = loaded ?? settings.create();
  checkShape(original, settings.path);
  const previous = undo.read(target);
  const prevChange = (path: SettingsPath) => previous?.changes.find((c) => sameJson(c.path, path));

  let doc = original;
  const emptyInner: Record<string, string> = { ...previous?.emptyInner };
  const rootInner = doc.emptyInner([]);
  if (rootInner !== undefined && loaded) emptyInner[''] ??= rootInner;
  const envInner = doc.emptyInner(['env']);
  if (envInner !== undefined) emptyInner.env ??= envInner;

  const sets = desiredSets(input);
  let createdEnv = previous?.createdEnv ?? false;

  const changes: UndoChange[] = [];
  const shown: ShownChange[] = [];
  const touched = new Set<string>();
  const record = (path: SettingsPath, after: After, current: unknown) => {
    touched.add(JSON.stringify(path));
    const prev = prevChange(path);
    // A value setup wrote earlier and nobody changed since: keep the value from before that setup.
    const stillOurs = prev && (prev.after.state === 'absent' ? current === undefined : sameJson(current, prev.after.value));
    changes.push({ path: [...path], before: stillOurs ? prev.before : beforeOf(original, path), after });
  };

  for (const [path, value] of sets) {
    const current = valueAt(doc.data, path);
    if (sameJson(current, value)) {
      if (prevChange(path)) record(path, { state: 'value', value }, current);
      continue;
    }
    record(path, { state: 'value', value }, current);
    if (path[0] === 'env' && valueAt(doc.data, ['env']) === undefined) {
      doc = doc.set(['env'], {});
      createdEnv = true;
    }
    const before = current === undefined ? undefined : showBefore(beforeOf(doc, path));
    shown.push({ path: path.join('.'), action: current === undefined ? 'add' : 'change', before, after: JSON.stringify(value) });
    doc = doc.set(path, value);
  }
  for (const name of BYPASS_VARIABLES) {
    const path = ['env', name];
    const current = valueAt(doc.data, path);
    if (current === undefined) {
      if (prevChange(path)) record(path, { state: 'absent' }, current);
      continue;
    }
    record(path, { state: 'absent' }, current);
    shown.push({ path: path.join('.'), action: 'remove', before: showBefore(beforeOf(doc, path)) });
    doc = doc.remove(path);
  }
  // Changes of an earlier setup that this one did not touch and that still hold stay undoable.
  for (const prev of previous?.changes ?? []) {
    if (touched.has(JSON.stringify(prev.path))) continue;
    const current = valueAt(doc.data, prev.path);
    if (prev.after.state === 'absent' ? current === undefined : sameJson(current, prev.after.value)) changes.push(prev);
  }

  const undoFile = undo.fileFor(target);
  const result = {
    target,
    createdFile: !loaded,
    changes: shown,
    shownBefore: loaded ? redactedText(original) : '',
    shownAfter: redactedText(doc),
    undoFile,
  };
  if (!shown.length || input.dryRun) return { ...result, written: false };

  const next: UndoRecord = {
    format: 'get-key/setup-undo@1',
    settingsFile: settings.path,
    target,
    at: new Date(input.now).toISOString(),
    createdFile: previous?.createdFile ?? !loaded,
    createdEnv,
    emptyInner,
    changes,
  };
  // The record first: a crash in between leaves values that do not match it, which uninstall leaves alone.
  undo.write(target, next);
  settings.save(doc);
  return { ...result, written: true };
}

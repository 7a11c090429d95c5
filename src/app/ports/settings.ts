// What setup, uninstall and doctor need of Claude Code (adapters/claude/): its settings files
// (edited without touching any byte they do not change), the undo record that setup leaves
// behind, and doctor's probes.
import type { UndoRecord } from '../../domain/undo-record';
import type { DoctorProbes } from './doctor';

export type SettingsPath = readonly string[];

/** A parsed settings file whose edits keep every other byte of the text. */
export interface SettingsDoc {
  readonly text: string;
  readonly data: Record<string, unknown>;
  /** The exact JSON text of the value at `path`, or undefined. */
  raw(path: SettingsPath): string | undefined;
  /** The white space inside an empty object at `path`, or undefined when it is not an empty object. */
  emptyInner(path: SettingsPath): string | undefined;
  set(path: SettingsPath, value: unknown): SettingsDoc;
  setRaw(path: SettingsPath, raw: string): SettingsDoc;
  /** Remove the member; an object left empty gets `inner` between its braces. */
  remove(path: SettingsPath, inner?: string): SettingsDoc;
}

export interface SettingsFile {
  /** The path as given (maybe a symbolic link). */
  path: string;
  /** The file that is really written: the symbolic link's target. */
  target(): string;
  /** undefined when the file does not exist; a config error when it is not a JSON object. */
  load(): SettingsDoc | undefined;
  /** An empty document (`{}` and a newline) for a file that does not exist yet. */
  create(): SettingsDoc;
  /** Atomic write to the target, keeping the link and the file's mode. */
  save(doc: SettingsDoc): void;
  delete(): void;
}

export interface UndoStore {
  /** Where the record of `target` lives. */
  fileFor(target: string): string;
  read(target: string): UndoRecord | undefined;
  write(target: string, record: UndoRecord): void;
  remove(target: string): void;
}

/** Built with the cli part (dist/cli.cjs): only setup, uninstall and doctor load it. */
export interface ClaudeAdapters {
  userSettingsPath: string;
  settingsFile(path: string): SettingsFile;
  undo: UndoStore;
  probes: DoctorProbes;
}

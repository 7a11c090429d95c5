// The record `setup` leaves beside the log so that `uninstall` can put every value back: what
// each changed setting was before and became; never a secret, only its fingerprint.

/** A previous value as the undo record keeps it: never a secret, only its fingerprint. */
export type Before = { state: 'absent' } | { state: 'value'; raw: string } | { state: 'secret'; fingerprint: string };
export type After = { state: 'absent' } | { state: 'value'; value: unknown };

export interface UndoChange {
  path: string[];
  before: Before;
  after: After;
}

export interface UndoRecord {
  format: 'get-key/setup-undo@1';
  /** The settings file setup was given, and the file it wrote. */
  settingsFile: string;
  target: string;
  at: string;
  createdFile: boolean;
  createdEnv: boolean;
  /** White space inside objects that were empty before setup, by path joined with '.' ('' = top level). */
  emptyInner: Record<string, string>;
  changes: UndoChange[];
}

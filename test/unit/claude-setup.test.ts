// setup and uninstall as use cases, over an in-memory settings file and undo store.
import { describe, expect, it } from 'vitest';
import { settingsDoc } from '../../src/adapters/claude/settings-file';
import type { SettingsFile, UndoStore } from '../../src/app/ports/settings';
import type { UndoRecord } from '../../src/domain/undo-record';
import { setup } from '../../src/app/setup';
import type { SetupInput } from '../../src/app/setup';
import { uninstall } from '../../src/app/uninstall';
import { isSecretSetting, looksSecret } from '../../src/app/settings-values';

function memoryFile(initial: string | undefined): SettingsFile & { text: string | undefined; writes: number } {
  const f = {
    path: '/home/u/.claude/settings.json',
    text: initial,
    writes: 0,
    target: () => '/home/u/.claude/settings.json',
    load: () => (f.text === undefined ? undefined : settingsDoc(f.text, f.path)),
    create: () => settingsDoc('{}\n', f.path),
    save(doc: { text: string }) {
      f.text = doc.text;
      f.writes++;
    },
    delete() {
      f.text = undefined;
    },
  };
  return f;
}

function memoryUndo(): UndoStore & { records: Map<string, UndoRecord> } {
  const records = new Map<string, UndoRecord>();
  return {
    records,
    fileFor: (t) => `/state/${t}`,
    read: (t) => (records.has(t) ? (JSON.parse(JSON.stringify(records.get(t))) as UndoRecord) : undefined),
    write: (t, r) => void records.set(t, r),
    remove: (t) => void records.delete(t),
  };
}

const input = (extra: Partial<SetupInput> = {}): SetupInput => ({
  helperCommand: '/opt/get-key --profile team',
  ttlMs: 300000,
  dryRun: false,
  now: 0,
  ...extra,
});

describe('setup', () => {
  it('reports nothing to do and writes nothing when the file is already set up', () => {
    const file = memoryFile(
      '{\n  "apiKeyHelper": "/opt/get-key --profile team",\n  "env": {\n    "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "300000"\n  }\n}\n',
    );
    const undo = memoryUndo();
    const r = setup(input(), { settings: file, undo });
    expect(r).toMatchObject({ written: false, changes: [] });
    expect(file.writes).toBe(0);
    expect(undo.records.size).toBe(0);
  });

  it('writes nothing on a dry run but shows the change', () => {
    const file = memoryFile('{}\n');
    const undo = memoryUndo();
    const r = setup(input({ dryRun: true }), { settings: file, undo });
    expect(r.written).toBe(false);
    expect(r.changes.map((c) => `${c.action} ${c.path}`)).toEqual(['add apiKeyHelper', 'add env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS']);
    expect(r.shownAfter).toContain('"apiKeyHelper": "/opt/get-key --profile team"');
    expect(file.text).toBe('{}\n');
    expect(undo.records.size).toBe(0);
  });

  it('keeps a removed secret only as its fingerprint, and a command embedding a key too', () => {
    const file = memoryFile(JSON.stringify({ apiKeyHelper: 'echo sk-abcdefghijklmnop', env: { ANTHROPIC_API_KEY: 'sk-zyxwvutsrqponm' } }));
    const undo = memoryUndo();
    setup(input(), { settings: file, undo });
    const record = JSON.stringify([...undo.records.values()]);
    expect(record).not.toContain('sk-abcdefghijklmnop');
    expect(record).not.toContain('sk-zyxwvutsrqponm');
    const r = uninstall({ settings: file, undo });
    expect(
      r.outcomes
        .filter((o) => o.outcome === 'not-restored')
        .map((o) => o.path)
        .sort(),
    ).toEqual(['apiKeyHelper', 'env.ANTHROPIC_API_KEY']);
    expect(JSON.parse(file.text!)).toEqual({ env: {} }); // env was there before setup
  });

  it('undoes to the state before the first of several setups', () => {
    const original = '{\n  "apiKeyHelper": "mine",\n  "env": {\n    "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": "5"\n  }\n}\n';
    const file = memoryFile(original);
    const undo = memoryUndo();
    setup(input(), { settings: file, undo });
    setup(input({ ttlMs: 60000, baseUrl: 'https://gw' }), { settings: file, undo });
    setup(input({ ttlMs: 60000, attributionHeaderOff: true }), { settings: file, undo });
    uninstall({ settings: file, undo });
    expect(file.text).toBe(original);
    expect(undo.records.size).toBe(0);
  });

  it('does not undo what the user changed or re-added since', () => {
    const file = memoryFile('{"env":{"ANTHROPIC_API_KEY":"sk-qwertyuiopasdf"}}');
    const undo = memoryUndo();
    setup(input({ baseUrl: 'https://gw' }), { settings: file, undo });
    const data = JSON.parse(file.text!);
    data.env.ANTHROPIC_BASE_URL = 'https://elsewhere';
    data.env.ANTHROPIC_API_KEY = 'sk-again1234567';
    file.text = JSON.stringify(data);
    const r = uninstall({ settings: file, undo });
    expect(r.outcomes).toEqual(
      expect.arrayContaining([
        { path: 'env.ANTHROPIC_BASE_URL', outcome: 'kept', reason: 'changed since setup' },
        { path: 'env.ANTHROPIC_API_KEY', outcome: 'kept', reason: 'set again since setup' },
        { path: 'apiKeyHelper', outcome: 'removed' },
      ]),
    );
    expect(JSON.parse(file.text!)).toEqual({ env: { ANTHROPIC_API_KEY: 'sk-again1234567', ANTHROPIC_BASE_URL: 'https://elsewhere' } });
  });

  it('refuses an env that is not an object', () => {
    expect(() => setup(input(), { settings: memoryFile('{"env": "x"}'), undo: memoryUndo() })).toThrow(/"env" in .* is not an object/);
  });
});

describe('secret detection', () => {
  it('treats credential variables and key-looking values as secrets, not TTLs or paths', () => {
    expect(isSecretSetting(['env', 'ANTHROPIC_AUTH_TOKEN'], 'x')).toBe(true);
    expect(isSecretSetting(['env', 'AWS_SECRET_ACCESS_KEY'], 'x')).toBe(true);
    expect(isSecretSetting(['env', 'CLAUDE_CODE_API_KEY_HELPER_TTL_MS'], '300000')).toBe(false);
    expect(isSecretSetting(['apiKeyHelper'], '/home/u/.local/lib/node_modules/get-key/dist/get-key.cjs --profile team')).toBe(false);
    expect(looksSecret('echo sk-1234567890abcdef')).toBe(true);
    expect(looksSecret('https://user:pass@gw.example')).toBe(true);
    expect(looksSecret('vault kv get -field=api_key secret/litellm/claude-code')).toBe(false);
  });
});

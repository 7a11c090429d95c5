// Fingerprints and undo-file names are stored (cache entries, the audit log, setup's undo records)
// and compared with new ones: their bytes may never change. The values are pinned, not recomputed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUndoStore } from '../../../src/adapters/claude/undo-store';
import { fingerprint } from '../../../src/domain/fingerprint';

describe('fingerprint', () => {
  it.each([
    ['sk-test', 'sha256:f3abf2a6cc4f'],
    ['', 'sha256:e3b0c44298fc'],
    ['ü€𝄞', 'sha256:27c5b64c2e3f'],
    ['a'.repeat(64), 'sha256:ffe054fe7ae0'],
    ['\ud800x', 'sha256:a87ce46793cc'], // a lone surrogate is hashed as U+FFFD, as before
  ])('of %j is %s', (secret, expected) => {
    expect(fingerprint(secret)).toBe(expected);
  });
});

describe('the undo store', () => {
  it('names the undo record of a settings file after its path, as before', () => {
    expect(createUndoStore('state').fileFor('/home/u/.claude/settings.json')).toBe(join('state', 'setup-undo-109eebb28c9c9b18.json'));
  });
});

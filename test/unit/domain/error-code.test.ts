import { describe, expect, it } from 'vitest';
import { errorCode } from '../../../src/domain/errors';

describe('errorCode', () => {
  it('is the errno code of an I/O failure, else its message, else the value as text', () => {
    expect(errorCode(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))).toBe('ENOENT');
    expect(errorCode(new Error('boom'))).toBe('boom');
    expect(errorCode(Object.assign(new Error('odd'), { code: 42 }))).toBe('odd');
    expect(errorCode('plain')).toBe('plain');
    expect(errorCode(null)).toBe('null');
  });
});

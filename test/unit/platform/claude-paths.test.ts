// Where Claude Code's settings are, per platform (the platform passed in).
import { describe, expect, it } from 'vitest';
import { managedSettingsPath, userSettingsPath } from '../../../src/adapters/claude/settings-file';

describe("Claude Code's settings paths", () => {
  it('managed settings: the system-wide file of each platform', () => {
    expect(managedSettingsPath({}, 'darwin')).toBe('/Library/Application Support/ClaudeCode/managed-settings.json');
    expect(managedSettingsPath({}, 'win32')).toBe('C:\\Program Files\\ClaudeCode\\managed-settings.json');
    expect(managedSettingsPath({}, 'linux')).toBe('/etc/claude-code/managed-settings.json');
    expect(managedSettingsPath({ GET_KEY_MANAGED_SETTINGS: 'D:\\m.json' }, 'win32')).toBe('D:\\m.json');
  });

  it('user settings: %USERPROFILE%\\.claude on Windows, CLAUDE_CONFIG_DIR first', () => {
    expect(userSettingsPath({}, 'C:\\Users\\ann', 'win32')).toBe('C:\\Users\\ann\\.claude\\settings.json');
    expect(userSettingsPath({ CLAUDE_CONFIG_DIR: 'D:\\cc' }, 'C:\\Users\\ann', 'win32')).toBe('D:\\cc\\settings.json');
    expect(userSettingsPath({}, '/Users/ann', 'darwin')).toBe('/Users/ann/.claude/settings.json');
  });
});

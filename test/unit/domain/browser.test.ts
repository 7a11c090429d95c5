import { describe, expect, it } from 'vitest';
import { browserCommands, canOpenBrowser } from '../../../src/domain/browser';

describe('canOpenBrowser', () => {
  it.each([
    ['Linux with an X display', {}, 'linux', { DISPLAY: ':0' }, true],
    ['Linux with Wayland', {}, 'linux', { WAYLAND_DISPLAY: 'wayland-0' }, true],
    ['Linux without a display (SSH, a server)', {}, 'linux', { SSH_CONNECTION: '1 2 3 4' }, false],
    ['Linux with a display but in CI', {}, 'linux', { DISPLAY: ':0', CI: 'true' }, false],
    ['CI=false is not CI', {}, 'linux', { DISPLAY: ':0', CI: 'false' }, true],
    ['$BROWSER set, even over SSH', {}, 'linux', { BROWSER: 'w3m', SSH_TTY: '/dev/pts/1' }, true],
    ['$BROWSER set in CI', {}, 'linux', { BROWSER: 'w3m', CI: '1' }, false],
    ['macOS at the desk', {}, 'darwin', {}, true],
    ['macOS over SSH', {}, 'darwin', { SSH_CONNECTION: '1 2 3 4' }, false],
    ['Windows at the desk', {}, 'win32', {}, true],
    ['Windows over SSH', {}, 'win32', { SSH_CLIENT: '1 2 3' }, false],
  ] as const)('%s', (_name, _x, platform, env, expected) => {
    expect(canOpenBrowser(env, platform)).toBe(expected);
  });
});

describe('browserCommands', () => {
  const url = 'https://idp.example/auth?a=1&state=x%20y';

  it('uses the platform opener', () => {
    expect(browserCommands(url, {}, 'linux')).toEqual([{ file: 'xdg-open', args: [url] }]);
    expect(browserCommands(url, {}, 'darwin')).toEqual([{ file: 'open', args: [url] }]);
    const [win] = browserCommands(url, {}, 'win32');
    expect(win).toEqual({ file: 'cmd', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true });
  });

  it('honours $BROWSER: a list of commands, %s for the URL, else the URL appended', () => {
    expect(browserCommands(url, { BROWSER: 'firefox --new-window:/usr/bin/w3m %s -dump' }, 'linux')).toEqual([
      { file: 'firefox', args: ['--new-window', url] },
      { file: '/usr/bin/w3m', args: [url, '-dump'] },
    ]);
  });
});

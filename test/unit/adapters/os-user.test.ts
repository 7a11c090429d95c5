import { describe, expect, it } from 'vitest';
import { passwdName, userNameFrom } from '../../../src/adapters/process/os-user';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\n';

describe('the OS user name (cache keys, ${user})', () => {
  it('is the passwd entry of the uid, whatever $USER says and whatever the runtime reports', () => {
    const env = { USER: 'someone-else' };
    // Node: os.userInfo() reads the passwd database; Bun: it would repeat $USER.
    expect(userNameFrom({ uid: 1000, passwd: () => PASSWD, userInfo: () => 'alice', env })).toBe('alice');
    expect(userNameFrom({ uid: 1000, passwd: () => PASSWD, userInfo: undefined, env })).toBe('alice');
    expect(userNameFrom({ uid: 0, passwd: () => PASSWD, userInfo: undefined, env: {} })).toBe('root');
  });

  it('asks os.userInfo() for accounts that /etc/passwd does not list (LDAP, NSS) under Node', () => {
    expect(userNameFrom({ uid: 5000, passwd: () => PASSWD, userInfo: () => 'ldap-user', env: { USER: 'x' } })).toBe('ldap-user');
  });

  it('falls back to $USER, $LOGNAME, %USERNAME%, then the uid', () => {
    const none = () => {
      throw new Error('ENOENT: no such user');
    };
    expect(userNameFrom({ uid: 4242, passwd: () => undefined, userInfo: none, env: { USER: 'u', LOGNAME: 'l' } })).toBe('u');
    expect(userNameFrom({ uid: 4242, passwd: () => undefined, userInfo: none, env: { LOGNAME: 'l' } })).toBe('l');
    expect(userNameFrom({ uid: 4242, passwd: () => undefined, userInfo: undefined, env: {} })).toBe('uid-4242');
    // Windows: no uid, no /etc/passwd; Node reports the logon name, Bun's stand-in is %USERNAME%.
    expect(userNameFrom({ uid: undefined, passwd: () => undefined, userInfo: () => 'Alice', env: { USERNAME: 'Alice' } })).toBe('Alice');
    expect(userNameFrom({ uid: undefined, passwd: () => undefined, userInfo: undefined, env: { USERNAME: 'Alice' } })).toBe('Alice');
  });

  it('parses passwd(5) lines by their uid field', () => {
    expect(passwdName(PASSWD, 1000)).toBe('alice');
    expect(passwdName(PASSWD, 10)).toBeUndefined();
    expect(passwdName('evil:x:1000\n', 100)).toBeUndefined();
  });
});

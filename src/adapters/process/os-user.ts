// The OS user name, for cache keys and ${user}. It must not depend on the runtime: Node's
// os.userInfo() asks the passwd database, but Bun's (the standalone executables) returns $USER,
// or "unknown" when it is unset, so the two builds of get-key would name the same user's cache
// entries differently. So: the passwd entry of the real uid from /etc/passwd (both agree on it);
// then, under Node only, os.userInfo() (accounts from LDAP and other NSS databases; on Windows the
// logon name); then $USER, $LOGNAME or %USERNAME%; then the uid (a uid with no passwd entry, as in
// containers that run with an arbitrary uid).
import { readFileSync } from 'node:fs';

export interface UserLookup {
  /** The real uid; undefined on Windows. */
  uid: number | undefined;
  passwd: () => string | undefined;
  /** os.userInfo().username; undefined under Bun, where it only repeats $USER. */
  userInfo: (() => string) | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** The name of `uid` in passwd(5) text, if any. */
export function passwdName(text: string | undefined, uid: number): string | undefined {
  for (const line of (text ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields.length >= 3 && fields[2] === String(uid) && fields[0]) return fields[0];
  }
  return undefined;
}

export function userNameFrom(l: UserLookup): string {
  const fromPasswd = l.uid === undefined ? undefined : passwdName(l.passwd(), l.uid);
  if (fromPasswd) return fromPasswd;
  try {
    const name = l.userInfo?.();
    if (name) return name;
  } catch {
    // no passwd entry at all: fall through
  }
  return l.env.USER || l.env.LOGNAME || l.env.USERNAME || `uid-${l.uid ?? 'unknown'}`;
}

let cached: string | undefined;

export function osUserName(): string {
  cached ??= userNameFrom({
    uid: process.getuid?.(),
    passwd: () => {
      try {
        return readFileSync('/etc/passwd', 'utf8');
      } catch {
        return undefined;
      }
    },
    // node:os is loaded only when the passwd file does not name the uid (it costs about 0.3 ms).
    userInfo: process.versions.bun ? undefined : () => (require('node:os') as typeof import('node:os')).userInfo().username,
    env: process.env,
  });
  return cached;
}

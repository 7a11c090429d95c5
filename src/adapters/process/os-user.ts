// The OS user name, for cache keys and ${user}. A uid with no passwd entry (containers that run
// with an arbitrary uid, e.g. OpenShift) has no name: fall back to $USER/$LOGNAME, then the uid.
import { userInfo } from 'node:os';

let cached: string | undefined;

export function osUserName(): string {
  if (cached !== undefined) return cached;
  try {
    cached = userInfo().username;
  } catch {
    cached = process.env.USER || process.env.LOGNAME || `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return cached;
}

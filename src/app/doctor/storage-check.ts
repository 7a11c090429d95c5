// Check 2: the cache and log directories (and the profile's cache entry) belong to the user and
// are closed to others; a planted cache could route prompts through someone else's key.
import { asGetKeyError } from '../../domain/errors';
import { octal } from '../../domain/file-mode';
import { isInside } from '../../domain/platform';
import type { CheckResult, DoctorDeps, LoadedProfile } from './check';
import { fail, ok, warn } from './check';

/** What "private" means on Windows, where files have no owner and mode bits: doctor says so. */
export const WINDOWS_FILE_CHECKS =
  'Windows: checked: inside your profile directory, no symbolic links or junctions, regular files; not checked: owner and ACLs';

export function checkCache(deps: Pick<DoctorDeps, 'cache' | 'os'>, loaded: LoadedProfile): CheckResult {
  const { cache } = deps;
  try {
    cache.prepare(false);
    const read = cache.read(loaded.entryKey);
    const state = read.entry?.credential ? `entry ${read.entry.credential.fingerprint}` : 'no entry yet';
    if (deps.os === 'win32') return ok('cache', `${cache.dir}: ${state} (${WINDOWS_FILE_CHECKS})`);
    return ok('cache', `${cache.dir}: private (${state})`);
  } catch (err) {
    return fail('cache', asGetKeyError(err).message);
  }
}

export function checkLogDir(deps: Pick<DoctorDeps, 'probes' | 'logDir' | 'os' | 'home'>): CheckResult {
  const { probes, logDir } = deps;
  if (deps.os === 'win32') {
    if (!isInside(logDir, deps.home, 'win32')) return warn('logs', `${logDir} is outside your profile directory ${deps.home}`);
    return ok('logs', `${logDir}${probes.stat(logDir).exists ? '' : ' (not created yet)'} (${WINDOWS_FILE_CHECKS})`);
  }
  const problems: string[] = [];
  for (const [path, forbidden] of [
    [logDir, 0o022],
    [`${logDir}/audit.jsonl`, 0o077],
  ] as const) {
    const f = probes.stat(path);
    if (!f.exists) continue;
    if (probes.uid >= 0 && f.uid !== probes.uid) problems.push(`${path} is owned by uid ${f.uid}, not by you`);
    else if (f.mode !== undefined && (f.mode & forbidden) !== 0)
      problems.push(`${path} has mode ${octal(f.mode)} (chmod ${forbidden === 0o022 ? 700 : 600} ${path})`);
  }
  if (problems.length) return warn('logs', problems.join('; '));
  return ok('logs', probes.stat(logDir).exists ? `${logDir}: private` : `${logDir} (not created yet)`);
}

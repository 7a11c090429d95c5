// Check 2: the cache and log directories (and the profile's cache entry) belong to the user and
// are closed to others; a planted cache could route prompts through someone else's key.
import { asGetKeyError } from '../../domain/errors';
import { octal } from '../../domain/file-mode';
import type { CheckResult, DoctorDeps, LoadedProfile } from './ports';
import { fail, ok, warn } from './ports';

export function checkCache(deps: Pick<DoctorDeps, 'cache'>, loaded: LoadedProfile): CheckResult {
  const { cache } = deps;
  try {
    cache.prepare(false);
    const read = cache.read(loaded.entryKey);
    const state = read.entry?.credential ? `entry ${read.entry.credential.fingerprint}` : 'no entry yet';
    return ok('cache', `${cache.dir}: private (${state})`);
  } catch (err) {
    return fail('cache', asGetKeyError(err).message);
  }
}

export function checkLogDir(deps: Pick<DoctorDeps, 'probes' | 'logDir'>): CheckResult {
  const { probes, logDir } = deps;
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

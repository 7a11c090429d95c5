// ACL evaluation. Policies are lists of { path, capabilities } like HCL policies: exact paths or a
// trailing `*` for a prefix glob. Rules with the same path string merge across the token's
// policies; the most specific matching rule decides (an exact match, else the longest glob).
import type { PolicyRule, TokenEntry, VaultState } from './state';

/** The part of Vault's built-in `default` policy get-key relies on. */
const DEFAULT_POLICY: PolicyRule[] = [
  { path: 'auth/token/lookup-self', capabilities: ['read'] },
  { path: 'auth/token/renew-self', capabilities: ['update'] },
  { path: 'sys/capabilities-self', capabilities: ['update'] },
];

const isRoot = (token: TokenEntry): boolean => token.root || token.policies.includes('root');

const matches = (pattern: string, path: string): boolean =>
  pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

function rulesFor(state: VaultState, token: TokenEntry): PolicyRule[] {
  const table = state.policyTable(token.nsPath);
  return token.policies.flatMap((name) => table.get(name) ?? (name === 'default' ? DEFAULT_POLICY : []));
}

/** Capabilities of `token` on `aclPath` (path relative to the token's namespace). */
export function capabilitiesOf(state: VaultState, token: TokenEntry, aclPath: string): Set<string> {
  if (isRoot(token)) return new Set(['root']);
  const merged = new Map<string, Set<string>>();
  for (const rule of rulesFor(state, token)) {
    if (!matches(rule.path, aclPath)) continue;
    const caps = merged.get(rule.path) ?? new Set<string>();
    for (const c of rule.capabilities) caps.add(c);
    merged.set(rule.path, caps);
  }
  const rank = (p: string) => (p.endsWith('*') ? p.length : Infinity);
  const best = [...merged.keys()].sort((a, b) => rank(b) - rank(a))[0];
  return best === undefined ? new Set() : (merged.get(best) as Set<string>);
}

export function allows(state: VaultState, token: TokenEntry, aclPath: string, needed: string): boolean {
  const caps = capabilitiesOf(state, token, aclPath);
  return caps.has('root') || caps.has(needed);
}

/**
 * Does the token have any capability somewhere under `mountPath`? (sys/internal/ui/mounts
 * preflight check: no explicit policy on that endpoint is needed.)
 */
export function hasMountAccess(state: VaultState, token: TokenEntry, mountPath: string): boolean {
  if (isRoot(token)) return true;
  return rulesFor(state, token).some(({ path }) => {
    const literal = path.endsWith('*') ? path.slice(0, -1) : path;
    return literal.startsWith(mountPath) || (path.endsWith('*') && mountPath.startsWith(literal)) || `${literal}/` === mountPath;
  });
}

/**
 * Path used for the ACL check of a request in namespace `reqNsPath`: relative to the token's
 * namespace (a token can reach child namespaces through prefixed policy paths). Undefined when
 * the request's namespace is not the token's or below it.
 */
export function aclPathFor(tokenNsPath: string, reqNsPath: string, relPath: string): string | undefined {
  if (!reqNsPath.startsWith(tokenNsPath)) return undefined;
  return reqNsPath.slice(tokenNsPath.length) + relPath;
}

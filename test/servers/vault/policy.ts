// ACL evaluation. Policies are lists of { path, capabilities } like HCL policies: exact paths,
// a trailing `*` for prefix globs and `+` for one path segment. Rules with the same path
// string are merged across the token's policies (`deny` wins); the most specific matching
// rule decides, as in Vault's ACL (exact match, then the longest/most literal glob).
import type { PolicyRule, TokenEntry, VaultState } from './state';

export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny' | 'root';

/** The part of Vault's built-in `default` policy that matters to clients. */
export const DEFAULT_POLICY: PolicyRule[] = [
  { path: 'auth/token/lookup-self', capabilities: ['read'] },
  { path: 'auth/token/renew-self', capabilities: ['update'] },
  { path: 'auth/token/revoke-self', capabilities: ['update'] },
  { path: 'sys/capabilities-self', capabilities: ['update'] },
  { path: 'identity/oidc/provider/+/authorize', capabilities: ['read', 'update'] },
  { path: 'sys/leases/lookup', capabilities: ['update'] },
  { path: 'sys/leases/renew', capabilities: ['update'] },
  { path: 'sys/renew', capabilities: ['update'] },
  { path: 'sys/tools/hash', capabilities: ['update'] },
  { path: 'sys/tools/hash/*', capabilities: ['update'] },
  { path: 'cubbyhole/*', capabilities: ['create', 'read', 'update', 'delete', 'list'] },
  { path: 'sys/internal/ui/resultant-acl', capabilities: ['read'] },
  { path: 'sys/mfa/challenge', capabilities: ['update'] },
];

function ruleMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*');
  const body = glob ? pattern.slice(0, -1) : pattern;
  if (!body.includes('+')) return glob ? path.startsWith(body) : path === body;
  // Segment wildcards: compare segment by segment, the last pattern segment may be a prefix.
  const re = new RegExp(
    `^${body
      .split('+')
      .map((part) => part.replace(/[.*?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}${glob ? '' : '$'}`,
  );
  return re.test(path);
}

/** Specificity order: exact first, then more literal characters before the first wildcard, fewer `+`, no `*`, longer. */
function specificity(pattern: string): number[] {
  const glob = pattern.endsWith('*') ? 1 : 0;
  const plus = (pattern.match(/\+/g) ?? []).length;
  const firstWild = Math.min(...[pattern.indexOf('+'), pattern.indexOf('*')].map((i) => (i < 0 ? pattern.length : i)));
  const exact = glob === 0 && plus === 0 ? 1 : 0;
  return [exact, firstWild, -plus, -glob, pattern.length];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

export function policyNamesOf(state: VaultState, token: TokenEntry): string[] {
  const names = new Set(token.policies);
  if (token.entityId) for (const p of state.identityPolicies(token.entityId)) names.add(p);
  return [...names];
}

function rulesFor(state: VaultState, token: TokenEntry): PolicyRule[] {
  const table = state.policyTable(token.nsPath);
  const rules: PolicyRule[] = [];
  for (const name of policyNamesOf(state, token)) {
    const custom = table.get(name);
    if (custom) rules.push(...custom);
    else if (name === 'default') rules.push(...DEFAULT_POLICY);
  }
  return rules;
}

/** Capabilities of `token` on `aclPath` (path relative to the token's namespace). */
export function capabilitiesOf(state: VaultState, token: TokenEntry, aclPath: string): Set<Capability> {
  if (token.root || token.policies.includes('root')) return new Set<Capability>(['root']);
  const merged = new Map<string, Set<Capability>>();
  for (const rule of rulesFor(state, token)) {
    if (!ruleMatches(rule.path, aclPath)) continue;
    const caps = merged.get(rule.path) ?? new Set<Capability>();
    for (const c of rule.capabilities) caps.add(c as Capability);
    merged.set(rule.path, caps);
  }
  let best: string | undefined;
  for (const pattern of merged.keys()) {
    if (best === undefined || compare(specificity(pattern), specificity(best)) > 0) best = pattern;
  }
  const caps = best === undefined ? new Set<Capability>() : (merged.get(best) as Set<Capability>);
  return caps.has('deny') ? new Set<Capability>(['deny']) : caps;
}

export function allows(state: VaultState, token: TokenEntry, aclPath: string, needed: Capability[]): boolean {
  const caps = capabilitiesOf(state, token, aclPath);
  if (caps.has('root')) return true;
  if (caps.has('deny')) return false;
  return needed.some((c) => caps.has(c));
}

/**
 * Does the token have any capability somewhere under `mountPath`? (sys/internal/ui/mounts
 * preflight check: no explicit policy on that endpoint is needed.)
 */
export function hasMountAccess(state: VaultState, token: TokenEntry, mountPath: string): boolean {
  if (token.root || token.policies.includes('root')) return true;
  for (const rule of rulesFor(state, token)) {
    const usable = rule.capabilities.filter((c) => c !== 'deny');
    if (usable.length === 0 || rule.capabilities.includes('deny')) continue;
    const pattern = rule.path;
    const cut = Math.min(...[pattern.indexOf('+'), pattern.indexOf('*')].map((i) => (i < 0 ? pattern.length : i)));
    const literal = pattern.slice(0, cut);
    const wildcard = cut < pattern.length;
    if (literal.startsWith(mountPath)) return true;
    if (wildcard && mountPath.startsWith(literal)) return true;
    if (!wildcard && `${literal}/` === mountPath) return true;
  }
  return false;
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

// Vault-compatible HTTP test server (see the project's reference/vault-api.md).
// startVaultServer() listens on 127.0.0.1:0 through the shared harness and returns the harness
// handle plus state-control methods (mounts, KV data, tokens, policies, auth roles, ...).
import { matches, startHttpServer } from '../http-harness';
import type { RunningServer, TlsOptions } from '../http-harness';
import type { ServerInfo } from './context';
import { handleVaultRequest } from './router';
import type { AgentMode } from './router';
import { VaultState } from './state';
import type { PolicyRule, StandbyState, TokenEntry } from './state';
import { createTokenEntry, revokeTokenEntry, validToken } from './tokens';
import type { CreateTokenOptions } from './tokens';
import { kvControl } from './kv';
import type { KvControl } from './kv';
import { authControl } from './control-auth';
import type { AuthControl } from './control-auth';
import { phase2Control } from './control-phase2';
import type { Phase2Control } from './control-phase2';

export type { AgentMode } from './router';
export type { CreateTokenOptions } from './tokens';
export type { PolicyRule, StandbyState, TokenEntry } from './state';

export interface VaultServerOptions {
  tls?: TlsOptions;
  agentMode?: AgentMode;
  /** Issuer base for identity tokens (`identity/oidc/config` issuer); default: the server URL. */
  issuer?: string;
  /** Add `invalid token` to 403s for unknown/expired/revoked tokens (Vault >= 1.17). Default true. */
  vault117?: boolean;
}

export interface RateLimitOptions {
  /** Exact path or RegExp (default: every path). */
  path?: string | RegExp;
  method?: string;
  /** Retry-After seconds (default 1). */
  retryAfter?: number;
  /** Number of requests answered 429 (default: until clearFaults()). */
  times?: number;
}

export interface VaultServer extends RunningServer, KvControl, AuthControl, Phase2Control {
  /** A root token created at start (policies ["root"], never expires). */
  rootToken: string;
  /** Direct access to the in-memory state (escape hatch for unusual tests). */
  state: VaultState;
  createToken(opts?: CreateTokenOptions): string;
  revokeToken(token: string): void;
  /** The live token entry, or undefined when unknown, revoked or expired. */
  tokenInfo(token: string): TokenEntry | undefined;
  setPolicy(name: string, rules: PolicyRule[], namespace?: string): void;
  addNamespace(path: string): void;
  seal(): void;
  unseal(): void;
  setInitialized(initialized: boolean): void;
  setStandby(mode: StandbyState): void;
  /** Move the server's clock forward (token/lease expiry, KV deletion times). */
  advanceTime(seconds: number): void;
  setAgentMode(mode: AgentMode | undefined): void;
  /** Answer matching requests with Vault's 429 rate-limit quota error and Retry-After (until clearRateLimits()). */
  rateLimit(opts?: RateLimitOptions): void;
  clearRateLimits(): void;
}

export async function startVaultServer(options: VaultServerOptions = {}): Promise<VaultServer> {
  const state = new VaultState(options.vault117 ?? true);
  const info: ServerInfo = { url: '', issuer: options.issuer ?? '' };
  let agent: AgentMode | undefined = options.agentMode;
  const root = createTokenEntry(state, { root: true });
  if (agent?.autoAuthToken && !state.tokens.has(agent.autoAuthToken)) {
    // A token named at start cannot have been created yet: register it as a root token.
    createTokenEntry(state, { root: true, id: agent.autoAuthToken });
  }
  state.addMount('', 'secret', 'kv', {
    options: { version: '2' },
    description: 'key/value secret storage',
    runningVersion: 'v0.20.0+builtin',
  });

  const rateLimits: RateLimitOptions[] = [];
  const limited = (method: string, path: string): RateLimitOptions | undefined => {
    const hit = rateLimits.find((r) => matches(r, method, path) && (r.times === undefined || r.times > 0));
    if (hit && hit.times !== undefined) hit.times -= 1;
    return hit;
  };

  const harness = await startHttpServer(
    async (req) => {
      const limit = req.path.startsWith('/v1/') ? limited(req.method, req.path) : undefined;
      const answer = limit
        ? {
            status: 429,
            headers: {
              'Retry-After': String(limit.retryAfter ?? 1),
              'X-Ratelimit-Limit': '1',
              'X-Ratelimit-Remaining': '0',
              'X-Ratelimit-Reset': String(limit.retryAfter ?? 1),
            },
            body: { errors: [`request path "${req.path.slice(4)}": rate limit quota exceeded`] },
          }
        : await handleVaultRequest(state, info, agent, req);
      return answer;
    },
    {
      tls: options.tls,
      // Every Vault answer, injected faults included, carries Cache-Control: no-store unless it
      // sets its own (the OIDC documents use max-age).
      decorate: (answer) =>
        Object.keys(answer.headers ?? {}).some((h) => h.toLowerCase() === 'cache-control')
          ? answer
          : { ...answer, headers: { ...answer.headers, 'Cache-Control': 'no-store' } },
      faultBody: () => ({ errors: [] }),
    },
  );
  info.url = harness.url;
  if (!info.issuer) info.issuer = harness.url;

  const server: VaultServer = {
    ...harness,
    rootToken: root.id,
    state,
    ...kvControl(state),
    ...authControl(state),
    ...(await phase2Control(state, info)),
    createToken: (opts = {}) => createTokenEntry(state, opts).id,
    revokeToken: (token) => void revokeTokenEntry(state, token),
    tokenInfo: (token) => validToken(state, token),
    setPolicy: (name, rules, namespace) => {
      state.policyTable(state.namespace(namespace).path).set(
        name.toLowerCase(),
        rules.map((r) => ({ path: r.path.replace(/^\/+/, ''), capabilities: [...r.capabilities] })),
      );
    },
    addNamespace: (path) => void state.addNamespace(path),
    seal: () => void (state.sealed = true),
    unseal: () => void (state.sealed = false),
    setInitialized: (initialized) => void (state.initialized = initialized),
    setStandby: (mode) => void (state.standby = mode),
    advanceTime: (seconds) => void (state.clockOffsetMs += seconds * 1000),
    setAgentMode: (mode) => void (agent = mode),
    rateLimit: (opts = {}) => void rateLimits.push({ ...opts }),
    clearRateLimits: () => void rateLimits.splice(0),
  };
  return server;
}

export { signJws, publicJwk } from './jws';
export type { JwsAlg } from './jws';
export type { TransitKeyType } from './transit';
export type { Lease } from './leases';

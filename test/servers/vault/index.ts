// Vault-compatible HTTP test server for get-key: only the routes get-key calls, each as Vault and
// OpenBao answer it (test/real/fake-parity.test.ts compares them), plus the shared harness's
// request log and failure injection. The routes (src/adapters/vault, src/adapters/sources, doctor):
//   sys/health, sys/internal/ui/mounts/<path>, sys/capabilities-self, sys/leases/revoke;
//   auth/token/lookup-self, auth/token/renew-self;
//   auth/<mount>/login for approle, jwt, kubernetes and cert, auth/<mount>/login/<user> for
//   userpass and ldap (oidc logins are tested against OpenBao only, test/real/oidc.test.ts);
//   KV reads <mount>/<path> (v1) and <mount>/data/<path>[?version=N] (v2);
//   identity/oidc/token/<role> (and the discovery documents a verifier reads), identity/entity/id/<id>;
//   <transit>/keys/<key>, <transit>/sign/<key>/<hash>; any path of a leased-secret mount.
// startVaultServer() listens on 127.0.0.1:0 and returns the harness handle plus state controls
// (KV data, tokens, policies, roles, keys).
import { startHttpServer } from '../http-harness';
import type { RunningServer, TlsOptions } from '../http-harness';
import type { ServerInfo } from './context';
import { controls } from './controls';
import type { Controls } from './controls';
import { kvControl } from './kv';
import type { KvControl } from './kv';
import { handleVaultRequest } from './router';
import type { AgentMode } from './router';
import { VaultState } from './state';
import type { PolicyRule, TokenEntry } from './state';
import { createTokenEntry, validToken } from './tokens';
import type { CreateTokenOptions } from './tokens';

export type { TransitKeyType } from './transit';

export interface VaultServerOptions {
  tls?: TlsOptions;
  agentMode?: AgentMode;
  /** Add `invalid token` to 403s for unknown/expired/revoked tokens (Vault >= 1.17). Default true. */
  vault117?: boolean;
}

export interface VaultServer extends RunningServer, KvControl, Controls {
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
  /** Move the server's clock forward (token and lease expiry, KV deletion times). */
  advanceTime(seconds: number): void;
  setAgentMode(mode: AgentMode | undefined): void;
}

export async function startVaultServer(options: VaultServerOptions = {}): Promise<VaultServer> {
  const state = new VaultState(options.vault117 ?? true);
  const info: ServerInfo = { url: '' };
  let agent: AgentMode | undefined;
  const setAgentMode = (mode: AgentMode | undefined): void => {
    agent = mode;
    // A token named for the agent that does not exist yet stands for the agent's own root token.
    if (mode?.autoAuthToken && !state.tokens.has(mode.autoAuthToken)) createTokenEntry(state, { root: true, id: mode.autoAuthToken });
  };
  setAgentMode(options.agentMode);
  const root = createTokenEntry(state, { root: true });
  state.addMount('', 'secret', 'kv', {
    options: { version: '2' },
    description: 'key/value secret storage',
    runningVersion: 'v0.20.0+builtin',
  });

  const harness = await startHttpServer((req) => handleVaultRequest(state, info, agent, req), {
    tls: options.tls,
    // Every Vault answer, injected faults included, carries Cache-Control: no-store unless it
    // sets its own (the OIDC documents use max-age).
    decorate: (answer) =>
      Object.keys(answer.headers ?? {}).some((h) => h.toLowerCase() === 'cache-control')
        ? answer
        : { ...answer, headers: { ...answer.headers, 'Cache-Control': 'no-store' } },
    faultBody: () => ({ errors: [] }),
  });
  info.url = harness.url;

  return {
    ...harness,
    rootToken: root.id,
    state,
    ...kvControl(state),
    ...controls(state),
    createToken: (opts = {}) => createTokenEntry(state, opts).id,
    revokeToken: (token) => void state.tokens.delete(token),
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
    advanceTime: (seconds) => void (state.clockOffsetMs += seconds * 1000),
    setAgentMode,
  };
}

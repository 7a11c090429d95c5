// node-vault's failures turned into the error vocabulary. `err.response.statusCode` tells a Vault
// answer from a transport problem (node-vault's source); messages never carry a token.
import { authError, configError, GetKeyError, notFoundError, upstreamError } from '../../domain/errors';

export interface NodeVaultError {
  message?: string;
  code?: string;
  response?: { statusCode: number; body?: unknown };
}

/** Vault's messages, with the multierror wrapping (`1 error occurred:\n\t* …\n\n`) removed. */
export function vaultMessages(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e) => {
    const text = String(e);
    const items = [...text.matchAll(/^\t\* (.+)$/gm)].map((m) => m[1]!.trim());
    return items.length ? items : [text.trim()];
  });
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/;

export const isInvalidToken = (err: unknown): boolean =>
  err instanceof GetKeyError && err.kind === 'auth' && /invalid token|permission denied/.test(err.message);

/** `op` names what was attempted, e.g. `read of secret/data/app`. */
export function classifyVaultError(err: unknown, op: string, address: string, timeoutMs: number, namespace?: string): GetKeyError {
  if (err instanceof GetKeyError) return err;
  const e = (err ?? {}) as NodeVaultError;
  const status = e.response?.statusCode;
  if (status !== undefined) {
    const msgs = vaultMessages(e.response?.body);
    const msg = msgs.join('; ') || `HTTP ${status}`;
    if (status === 403) {
      const invalid = msgs.includes('invalid token');
      // The mount lookup answers 403 even to a root token when no mount covers the path.
      const preflight = msgs.some((m) => m.startsWith('preflight capability check'));
      const policy = namespace ? `check the token's policy and the namespace "${namespace}"` : "check the token's policy";
      const hint = invalid
        ? 'the Vault token is invalid or expired; log in again'
        : preflight
          ? `${policy}; check that the path starts with a KV mount; run get-key doctor`
          : `${policy}; run get-key doctor`;
      return authError(`Vault denied ${op}: ${msg}`, {
        hint,
        cause: err,
      });
    }
    // A namespace that does not exist: a configuration mistake, not a missing secret.
    if (status === 404 && namespace && msgs.some((m) => /namespace/i.test(m))) {
      return configError(`Vault at ${address} has no namespace "${namespace}" (${op}: ${msg})`, {
        hint: 'check vault.namespace or VAULT_NAMESPACE',
        cause: err,
      });
    }
    if (status === 404)
      return notFoundError(`Vault has nothing at ${op.replace(/^\w+ of /, '')}${msgs.length ? `: ${msg}` : ''}`, {
        hint: 'check the path and the mount',
        cause: err,
      });
    if (status === 400)
      return configError(`Vault rejected ${op}: ${msg}`, { hint: 'check the profile settings; run get-key doctor', cause: err });
    if (status === 429) return upstreamError(`Vault rate-limited ${op}: ${msg}`, { hint: 'try again shortly', cause: err });
    if (status === 503 && /sealed/i.test(msg))
      return upstreamError(`Vault at ${address} is sealed`, { hint: 'ask the Vault operators to unseal it', cause: err });
    return upstreamError(`Vault failed ${op}: ${msg} (HTTP ${status})`, { hint: 'try again shortly; run get-key doctor', cause: err });
  }
  const code = e.code ?? '';
  const text = e.message ?? String(err);
  if (TLS_CODES.test(code) || TLS_CODES.test(text)) {
    return configError(`TLS error talking to Vault at ${address}: ${code || text}`, {
      hint: 'check caCert/VAULT_CACERT, tlsServerName and the address',
      cause: err,
    });
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(text)) {
    return upstreamError(`Vault at ${address} did not answer within ${Math.round(timeoutMs / 100) / 10}s (${op})`, {
      hint: 'check the network or raise vault.timeout',
      cause: err,
    });
  }
  return upstreamError(`cannot reach Vault at ${address}: ${code || text}`, { hint: 'check VAULT_ADDR and the network', cause: err });
}

/** Worth one more try: rate limits, consistency lag, 5xx other than sealed/501, dropped connections. */
export function isRetryable(err: unknown): boolean {
  const e = (err ?? {}) as NodeVaultError;
  const status = e.response?.statusCode;
  if (status !== undefined) return status === 412 || status === 429 || (status >= 500 && status !== 501 && status !== 503);
  return e.code === 'ECONNRESET' || e.code === 'EPIPE';
}

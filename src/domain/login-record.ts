// A cached Vault login token, as the login store keeps it beside the cache entries.

export interface LoginRecord {
  format: 'get-key/login@1';
  token: string;
  issuedAt: number;
  /** Epoch ms, null when the token does not expire. */
  expiresAt: number | null;
  renewable: boolean;
  /** The TTL granted at login or last renewal, in seconds. */
  leaseDuration: number;
  /** How the token was obtained: the auth method that logged in (absent in older records). */
  method?: string;
  /** When that login happened (renewals keep it). */
  loggedInAt?: number;
}

// One line of the audit log (README "How caching and locking work"): never a credential, only its
// fingerprint.

export interface AuditEvent {
  event: string;
  profile?: string;
  source?: string;
  fingerprint?: string;
  expiresAt?: string | null;
  error?: string;
  [extra: string]: unknown;
}

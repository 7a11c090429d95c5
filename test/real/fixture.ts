// The hooks a real-OpenBao test file needs: one OpenBao for the file (beforeAll/afterAll), a fresh
// get-key sandbox per test, the audit log of get-key scanned for secrets afterwards.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createSandbox } from '../integration/helpers';
import type { Sandbox } from '../integration/helpers';
import { startOpenBao } from './openbao';
import type { OpenBao, StartOptions } from './openbao';

export interface RealContext {
  readonly bao: OpenBao;
  readonly sb: Sandbox;
}

export function useOpenBao(options: StartOptions & { setup?: (bao: OpenBao) => Promise<void> } = {}): RealContext {
  const t = {} as { bao: OpenBao; sb: Sandbox };
  beforeAll(async () => {
    t.bao = await startOpenBao(options);
    await options.setup?.(t.bao);
  }, 90_000);
  afterAll(async () => {
    await t.bao?.close();
  }, 30_000);
  beforeEach(() => {
    t.sb = createSandbox();
  });
  afterEach(async () => {
    try {
      await t.sb.settle();
      t.sb.audit();
    } finally {
      t.sb.cleanup();
    }
  });
  return t;
}

/** A get-key config whose `default` profile (and any others) talk to `address`. */
export function config(address: string, profiles: Record<string, unknown>, vault: Record<string, unknown> = {}): unknown {
  return { vault: { address, ...vault }, profiles };
}

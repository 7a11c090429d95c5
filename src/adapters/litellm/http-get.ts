// A plain GET with a timeout and no redirects followed: how doctor asks the gateway about itself
// (its readiness and models routes). Failures are one Error whose message names the cause, never
// a header the request carried.
import type { HttpAnswer } from '../../app/ports/doctor';
import { timerDelay } from '../../domain/duration';

export async function httpGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timerDelay(timeoutMs)), redirect: 'manual' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs / 1000}s`);
    throw new Error(e.cause?.code ?? e.cause?.message ?? e.message);
  }
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
}

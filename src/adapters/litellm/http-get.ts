// A plain GET with a timeout and no redirects followed: how doctor asks the gateway about itself
// (its readiness and models routes). Failures are one Error whose message names the cause, never
// a header the request carried. Like every upstream answer, the body is read up to 1 MiB only.
import type { HttpAnswer } from '../../app/ports/doctor';
import { timerDelay } from '../../domain/duration';
import { UPSTREAM_BODY_LIMIT_TEXT } from '../../domain/upstream-policy';
import { readBounded } from './bounded-body';

export async function httpGet(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timerDelay(timeoutMs)), redirect: 'manual' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new Error(`no answer within ${timeoutMs / 1000}s`);
    throw new Error(e.cause?.code ?? e.cause?.message ?? e.message);
  }
  const body = await readBounded(res, () => new Error(`the answer is larger than ${UPSTREAM_BODY_LIMIT_TEXT} (not read)`));
  return { status: res.status, body, headers: Object.fromEntries(res.headers) };
}

// Every answer get-key reads from a gateway is at most UPSTREAM_BODY_LIMIT (1 MiB): a larger one,
// declared or not, is abandoned, never buffered whole.
import { UPSTREAM_BODY_LIMIT } from '../../domain/upstream-policy';

/** The body as text, read as a stream; `tooBig()` is thrown past the bound. */
export async function readBounded(res: Response, tooBig: () => Error): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > UPSTREAM_BODY_LIMIT) {
    await res.body?.cancel();
    throw tooBig();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > UPSTREAM_BODY_LIMIT) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

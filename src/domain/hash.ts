// A fast non-cryptographic 64-bit string hash for cache file names (two multiplicative lanes
// with a final avalanche). File names are not a security boundary (the cache directory is
// private); what matters is that different settings never share a name, and that the warm path
// spends microseconds, not the cost of loading node:crypto or running SHA-256 in the interpreter.
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

export function hash64(text: string): string {
  let h1 = 0x9e3779b9;
  let h2 = 0x243f6a88;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x85ebca6b);
    h2 = Math.imul(h2 ^ c, 0xc2b2ae35);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b) ^ Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  return hex8(h2) + hex8(h1);
}

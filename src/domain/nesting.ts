// Free-form JSON values (config metadata and claims, cached metadata) are walked recursively
// later (templates, hashing, JSON.stringify): their nesting is bounded first, without recursion.
/** How deep a free-form value may nest: every later walk over it (templates, hashing) recurses. */
export const MAX_NESTING = 64;

/** Whether `value` nests arrays/objects deeper than `limit`, found without recursion. */
export function nestsDeeper(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (!v || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

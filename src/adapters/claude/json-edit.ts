// Text-preserving edits of a JSON settings file: set or remove one member of the top-level object
// or of an object inside it, touching no other byte. Inserting a member and removing it again
// gives back the original text exactly, which is what makes `setup` → `uninstall` byte-identical.
// Pure: text in, text out. The input must already be valid JSON (JSON.parse checked it).

export interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  object?: ObjectSpan;
}

export interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

const WS = new Set([' ', '\t', '\n', '\r']);

function skipWs(t: string, i: number): number {
  while (i < t.length && WS.has(t[i]!)) i++;
  return i;
}

function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++;
    else if (t[j] === '"') return j + 1;
  }
  return t.length;
}

/** End of the value starting at `i`, and its object span when it is an object. */
function scanValue(t: string, i: number): { end: number; object?: ObjectSpan } {
  const c = t[i];
  if (c === '"') return { end: stringEnd(t, i) };
  if (c === '{') {
    const members: Member[] = [];
    let j = skipWs(t, i + 1);
    while (t[j] === '"') {
      const keyEnd = stringEnd(t, j);
      const key = JSON.parse(t.slice(j, keyEnd)) as string;
      const valueStart = skipWs(t, skipWs(t, keyEnd) + 1);
      const v = scanValue(t, valueStart);
      members.push({ key, keyStart: j, keyEnd, valueStart, valueEnd: v.end, ...(v.object ? { object: v.object } : {}) });
      j = skipWs(t, v.end);
      if (t[j] === ',') j = skipWs(t, j + 1);
    }
    return { end: j + 1, object: { open: i, close: j, members } };
  }
  if (c === '[') {
    let j = skipWs(t, i + 1);
    while (t[j] !== ']' && j < t.length) {
      j = skipWs(t, scanValue(t, j).end);
      if (t[j] === ',') j = skipWs(t, j + 1);
    }
    return { end: j + 1 };
  }
  let j = i;
  while (j < t.length && !WS.has(t[j]!) && t[j] !== ',' && t[j] !== '}' && t[j] !== ']') j++;
  return { end: j };
}

/** The top-level object of `text` (undefined when the document is not an object). */
export function scanRoot(text: string): ObjectSpan | undefined {
  return scanValue(text, skipWs(text, 0)).object;
}

/** The object at `path` (empty path: the root), or undefined. */
function objectAt(text: string, path: readonly string[]): ObjectSpan | undefined {
  let obj = scanRoot(text);
  for (const key of path) obj = obj?.members.findLast((m) => m.key === key)?.object;
  return obj;
}

export function memberAt(text: string, path: readonly string[]): Member | undefined {
  return objectAt(text, path.slice(0, -1))?.members.findLast((m) => m.key === path[path.length - 1]);
}

/** The exact text of the value at `path`, or undefined. */
export function rawValue(text: string, path: readonly string[]): string | undefined {
  const m = memberAt(text, path);
  return m ? text.slice(m.valueStart, m.valueEnd) : undefined;
}

/** The whitespace inside an empty object at `path` (e.g. `{ }` → `' '`), or undefined. */
export function emptyInner(text: string, path: readonly string[]): string | undefined {
  const obj = objectAt(text, path);
  return obj && obj.members.length === 0 ? text.slice(obj.open + 1, obj.close) : undefined;
}

const lineIndent = (t: string, i: number) => /^[ \t]*/.exec(t.slice(t.lastIndexOf('\n', i - 1) + 1))?.[0] ?? '';

/** The file's indentation unit: the leading white space of its first indented line (default 2 spaces). */
export function indentUnit(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

/** JSON for `value` in the file's style, continuation lines indented to `indent`. */
export function renderValue(value: unknown, unit: string, indent: string): string {
  return JSON.stringify(value, null, unit).replace(/\n/g, `\n${indent}`);
}

const splice = (t: string, start: number, end: number, insert: string) => t.slice(0, start) + insert + t.slice(end);

/**
 * Set the member at `path` to `raw` (JSON text): its value is replaced in place when it exists,
 * otherwise it is appended to its object in the style of the object's other members.
 */
export function setRaw(text: string, path: readonly string[], raw: string): string {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const obj = objectAt(text, parentPath);
  if (!obj) throw new Error(`no object at ${parentPath.join('.') || 'the top level'}`);
  const existing = obj.members.findLast((m) => m.key === key);
  if (existing) return splice(text, existing.valueStart, existing.valueEnd, raw);
  const members = obj.members;
  const last = members[members.length - 1];
  if (!last) {
    const indent = lineIndent(text, obj.open);
    const child = indent + indentUnit(text);
    return splice(text, obj.open + 1, obj.close, `\n${child}${JSON.stringify(key)}: ${raw}\n${indent}`);
  }
  const first = members[0]!;
  const before = members.length >= 2 ? members[members.length - 2]! : undefined;
  const sep = before ? text.slice(before.valueEnd, last.keyStart) : `,${text.slice(obj.open + 1, first.keyStart)}`;
  const colon = text.slice(first.keyEnd, first.valueStart);
  return splice(text, last.valueEnd, last.valueEnd, `${sep}${JSON.stringify(key)}${colon}${raw}`);
}

/** Set the member at `path` to `value`, rendered in the file's style. */
export function setValue(text: string, path: readonly string[], value: unknown): string {
  const m = memberAt(text, path);
  const parent = objectAt(text, path.slice(0, -1));
  const indent = m
    ? lineIndent(text, m.keyStart)
    : parent
      ? parent.members[0]
        ? lineIndent(text, parent.members[0].keyStart)
        : lineIndent(text, parent.open) + indentUnit(text)
      : '';
  return setRaw(text, path, renderValue(value, indentUnit(text), indent));
}

/**
 * Remove the member at `path`. Removing the last member takes the separator before it with it
 * (the exact inverse of an append); an object left empty gets `inner` between its braces.
 */
export function removeMember(text: string, path: readonly string[], inner = ''): string {
  const obj = objectAt(text, path.slice(0, -1));
  const key = path[path.length - 1];
  const i = obj ? obj.members.findLastIndex((m) => m.key === key) : -1;
  if (!obj || i < 0) return text;
  const m = obj.members[i]!;
  if (obj.members.length === 1) return splice(text, obj.open + 1, obj.close, inner);
  if (i === obj.members.length - 1) return splice(text, obj.members[i - 1]!.valueEnd, m.valueEnd, '');
  return splice(text, m.keyStart, obj.members[i + 1]!.keyStart, '');
}

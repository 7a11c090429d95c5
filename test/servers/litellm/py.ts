// How the Python proxy prints values inside its messages and bodies: `repr` of strings, lists and
// dicts, `str(float)`, `str(datetime)`, pydantic's datetime JSON and `datetime.isoformat()`.
// LiteLLM builds many error strings with f-strings and `str(dict)`, so the fake has to as well.

/** Python `repr(str)`: single quotes unless the text holds a `'` and no `"`. */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** Python `repr` of JSON-like values (`['a', 'b']`, `{'error': 'x'}`, `None`, `True`, `1.0`). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`);
    return `{${items.join(', ')}}`;
  }
  return String(value);
}

/** Python `str(float)`: integral values keep a `.0` (`10.0`), others print as JS does. */
export function pyFloat(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function utcParts(d: Date): { date: string; time: string; micros: string } {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  // Python omits the fraction when microseconds are 0; JS clocks have millisecond precision.
  return { date, time, micros: ms === 0 ? '' : `.${pad(ms, 3)}000` };
}

/** `str(datetime)` of an aware UTC datetime: `2026-05-02 10:00:00.123000+00:00`. */
export function pyStrDatetime(d: Date): string {
  const p = utcParts(d);
  return `${p.date} ${p.time}${p.micros}+00:00`;
}

/** `datetime.isoformat()` of an aware UTC datetime (FastAPI's jsonable_encoder on dict bodies). */
export function pyIsoformat(d: Date | null): string | null {
  if (!d) return null;
  const p = utcParts(d);
  return `${p.date}T${p.time}${p.micros}+00:00`;
}

/** pydantic v2 JSON of an aware UTC datetime (response models): `2026-05-02T10:00:00.123000Z`. */
export function pydanticDatetime(d: Date | null): string | null {
  if (!d) return null;
  const p = utcParts(d);
  return `${p.date}T${p.time}${p.micros}Z`;
}

/** `datetime.now().isoformat()`: naive local time, as /health/readiness `last_updated`. */
export function pyNaiveLocalIsoformat(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return `${date}T${time}${ms === 0 ? '' : `.${pad(ms, 3)}000`}`;
}

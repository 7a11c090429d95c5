// Request bodies of the pydantic-typed management endpoints, checked the way FastAPI and
// pydantic v2 (lax mode) do: undecodable JSON → 422 `json_invalid` (before the auth dependency
// runs, as FastAPI decodes the body first), a non-object → 422 `model_attributes_type`, a field
// of the wrong type → 422 with pydantic's type and message. Unknown fields are ignored (§1.5).
import type { IncomingHttpHeaders } from 'node:http';
import { validationError, type ValidationIssue } from './errors';
import type { ServerResponse } from '../http-harness';

export type FieldKind = 'str' | 'float' | 'int' | 'bool' | 'list' | 'list_str' | 'dict';
export type Body = Record<string, unknown>;
type Decoded = { ok: true; value: unknown } | { ok: false; error: ServerResponse };

/** What FastAPI hands to the model: undefined for an empty body, the raw text for non-JSON types. */
export function decodeBody(raw: string, headers: IncomingHttpHeaders): Decoded {
  if (raw === '') return { ok: true, value: undefined };
  const type = headers['content-type'];
  if (type && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    // Python's json module names the character position; V8's message may or may not carry it.
    const pos = Number(/position (\d+)/.exec(String(err))?.[1] ?? 0);
    const issue: ValidationIssue = {
      type: 'json_invalid',
      loc: ['body', pos],
      msg: 'JSON decode error',
      input: {},
      ctx: { error: 'Expecting value' },
    };
    return { ok: false, error: validationError([issue]) };
  }
}

/** Best-effort JSON object for handlers that read the body themselves (LLM routes): {} otherwise. */
export function looseObject(raw: string): Body {
  try {
    const value = JSON.parse(raw) as unknown;
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

export function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const issue = (type: string, loc: (string | number)[], msg: string, input: unknown): ValidationIssue => ({ type, loc, msg, input });

function coerce(kind: FieldKind, value: unknown, loc: (string | number)[], issues: ValidationIssue[]): unknown {
  switch (kind) {
    case 'str':
      if (typeof value === 'string') return value;
      issues.push(issue('string_type', loc, 'Input should be a valid string', value));
      return undefined;
    case 'float':
    case 'int': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (typeof value === 'string' && Number.isNaN(n)) {
        const what =
          kind === 'int'
            ? ['int_parsing', 'a valid integer, unable to parse string as an integer']
            : ['float_parsing', 'a valid number, unable to parse string as a number'];
        issues.push(issue(what[0]!, loc, `Input should be ${what[1]}`, value));
      } else if (typeof value !== 'number' && typeof value !== 'string') {
        issues.push(
          issue(`${kind}_type`, loc, kind === 'int' ? 'Input should be a valid integer' : 'Input should be a valid number', value),
        );
      } else if (kind === 'int' && !Number.isInteger(n)) {
        issues.push(issue('int_from_float', loc, 'Input should be a valid integer, got a number with a fractional part', value));
      } else return n;
      return undefined;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 0 || value === 1) return value === 1;
      if (typeof value === 'string') {
        const s = value.toLowerCase();
        if (['true', 't', 'yes', 'y', 'on', '1'].includes(s)) return true;
        if (['false', 'f', 'no', 'n', 'off', '0'].includes(s)) return false;
        issues.push(issue('bool_parsing', loc, 'Input should be a valid boolean, unable to interpret input', value));
      } else issues.push(issue('bool_type', loc, 'Input should be a valid boolean', value));
      return undefined;
    case 'list':
    case 'list_str':
      if (!Array.isArray(value)) {
        issues.push(issue('list_type', loc, 'Input should be a valid list', value));
        return undefined;
      }
      if (kind === 'list_str') value.forEach((item, i) => coerce('str', item, [...loc, i], issues));
      return value;
    case 'dict':
      if (isObject(value)) return value;
      issues.push(issue('dict_type', loc, 'Input should be a valid dictionary', value));
      return undefined;
  }
}

/**
 * Validate a decoded body against `fields` (all Optional, null allowed) and `required` names.
 * Returns the body with coerced values, or the 422 answer.
 */
export function validateBody(
  value: unknown,
  fields: Record<string, FieldKind>,
  required: string[] = [],
): { ok: true; body: Body } | { ok: false; error: ServerResponse } {
  if (value === undefined) return { ok: false, error: validationError([issue('missing', ['body'], 'Field required', null)]) };
  if (!isObject(value)) {
    return {
      ok: false,
      error: validationError([
        issue('model_attributes_type', ['body'], 'Input should be a valid dictionary or object to extract fields from', value),
      ]),
    };
  }
  const issues: ValidationIssue[] = [];
  const body: Body = { ...value };
  for (const name of required) {
    if (value[name] === undefined) issues.push(issue('missing', ['body', name], 'Field required', value));
    else if (value[name] === null) issues.push(issue('string_type', ['body', name], 'Input should be a valid string', null));
  }
  for (const [name, kind] of Object.entries(fields)) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    body[name] = coerce(kind, v, ['body', name], issues);
  }
  return issues.length > 0 ? { ok: false, error: validationError(issues) } : { ok: true, body };
}

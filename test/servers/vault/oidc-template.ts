// Identity-token templates (Vault's identitytpl in JSON mode): unquoted `{{identity.…}}`
// placeholders are replaced by JSON values, then the result is parsed as a JSON object.
// Any unknown parameter or a result that is not a JSON object drops the whole template
// (Vault logs the error and issues the token without template claims).
import type { Entity, VaultState } from './state';
import { parseDurationSeconds } from './util';

/** Claims a template can never override. */
export const RESERVED_CLAIMS = ['iat', 'aud', 'exp', 'iss', 'sub', 'namespace', 'nonce', 'auth_time', 'at_hash', 'c_hash'];

function resolve(state: VaultState, entity: Entity, param: string, nowSec: number): unknown {
  const p = param.trim();
  const time = /^time\.now(?:\.(plus|minus)\.(.+))?$/.exec(p);
  if (time) {
    if (!time[1]) return nowSec;
    const d = parseDurationSeconds(time[2]);
    if (d === undefined) throw new Error(`invalid duration in ${p}`);
    return time[1] === 'plus' ? nowSec + d : nowSec - d;
  }
  const groups = state.groupsOf(entity.id);
  switch (p) {
    case 'identity.entity.id':
      return entity.id;
    case 'identity.entity.name':
      return entity.name;
    case 'identity.entity.metadata':
      return entity.metadata;
    case 'identity.entity.groups.names':
      return groups.map((g) => g.name);
    case 'identity.entity.groups.ids':
      return groups.map((g) => g.id);
    default:
      break;
  }
  const meta = /^identity\.entity\.metadata\.(.+)$/.exec(p);
  if (meta) return entity.metadata[meta[1] as string] ?? '';
  const alias = /^identity\.entity\.aliases\.([^.]+)\.(name|id|metadata)(?:\.(.+))?$/.exec(p);
  if (alias) {
    const a = entity.aliases.find((x) => x.mountAccessor === alias[1]);
    if (!a) return '';
    if (alias[2] === 'name') return a.name;
    if (alias[2] === 'id') return `${entity.id}:${a.mountAccessor}`;
    return alias[3] ? (a.metadata[alias[3]] ?? '') : a.metadata;
  }
  throw new Error(`unsupported template parameter ${p}`);
}

/** Template claims for `entity`, or {} when there is no template or it fails to render. */
export function renderTemplate(state: VaultState, template: string | undefined, entity: Entity, nowSec: number): Record<string, unknown> {
  if (!template || template.trim() === '') return {};
  let text = template.trim();
  if (!text.startsWith('{')) {
    const decoded = Buffer.from(text, 'base64').toString('utf8').trim();
    if (decoded.startsWith('{')) text = decoded;
  }
  try {
    const rendered = text.replace(/\{\{([^}]+)\}\}/g, (_m, param: string) => JSON.stringify(resolve(state, entity, param, nowSec)));
    const parsed = JSON.parse(rendered) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (!RESERVED_CLAIMS.includes(k)) out[k] = v;
    return out;
  } catch {
    return {};
  }
}

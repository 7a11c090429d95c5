// In-memory state of the fake Vault: clock, seal flag, namespaces, mount tables, tokens, policies
// and identity entities. Engine-specific data lives in the engine modules (keyed by the Mount
// object), so this file stays about "what exists where".
import { base62, hex, stampAt, uuid } from './util';
import type { Stamp } from './util';

export interface Namespace {
  /** '' for root, otherwise 'ns1/' or 'ns1/ns2/' (always a trailing slash). */
  path: string;
  /** 'root' for the root namespace, otherwise a 5-character id like Vault's. */
  id: string;
}

export interface Mount {
  /** Path relative to its namespace, trailing slash: 'secret/', 'auth/approle/'. */
  path: string;
  /** Engine type: kv, system, token, identity, transit, approle, userpass, ... */
  type: string;
  nsPath: string;
  accessor: string;
  uuid: string;
  description: string;
  options: Record<string, string> | null;
  runningVersion: string;
}

export interface PolicyRule {
  path: string;
  capabilities: string[];
}

export interface TokenEntry {
  id: string;
  accessor: string;
  policies: string[];
  nsPath: string;
  path: string;
  meta: Record<string, string> | null;
  displayName: string;
  creation: Stamp;
  /** TTL (seconds) at creation; also the default renew increment. 0 for root. */
  creationTtl: number;
  explicitMaxTtl: number;
  /** Effective max TTL in seconds from creation (0 = never expires). */
  maxTtl: number;
  expire: Stamp | null;
  renewable: boolean;
  entityId: string;
  root: boolean;
  lastRenewal?: Stamp;
}

export interface Entity {
  id: string;
  name: string;
  nsPath: string;
  metadata: Record<string, string>;
  aliases: Array<{ mountAccessor: string; mountPath: string; mountType: string; name: string }>;
}

/** Mount types that exist in every namespace, like Vault's built-in mounts. */
const BUILTIN_MOUNTS: Array<[string, string, string]> = [
  ['sys/', 'system', 'system endpoints used for control, policy and debugging'],
  ['auth/token/', 'token', 'token based credentials'],
  ['identity/', 'identity', 'identity store'],
];

const ACCESSOR_PREFIX: Record<string, string> = { system: 'system', token: 'auth_token', identity: 'identity' };

export function normalizeNamespace(raw: string | undefined): string {
  const trimmed = (raw ?? '').trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed.replace(/\/+/g, '/')}/`;
}

export class VaultState {
  clockOffsetMs = 0;
  sealed = false;
  readonly version = '1.17.3';
  readonly clusterName = `vault-cluster-${hex(4)}`;
  readonly clusterId = uuid();
  readonly namespaces = new Map<string, Namespace>([['', { path: '', id: 'root' }]]);
  readonly mounts = new Map<string, Map<string, Mount>>();
  readonly tokens = new Map<string, TokenEntry>();
  readonly policies = new Map<string, Map<string, PolicyRule[]>>();
  readonly entities = new Map<string, Entity>();

  constructor(public vault117: boolean) {
    this.mounts.set('', new Map());
    for (const [path, type, description] of BUILTIN_MOUNTS) {
      this.addMount('', path, type, { description, accessor: `${ACCESSOR_PREFIX[type]}_${hex(4)}` });
    }
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  stamp(): Stamp {
    return stampAt(this.now());
  }

  addNamespace(raw: string): Namespace {
    const path = normalizeNamespace(raw);
    const existing = this.namespaces.get(path);
    if (existing) return existing;
    // Parents are created implicitly so that 'a/b' works without 'a' first.
    const parts = path.split('/').filter((p) => p !== '');
    if (parts.length > 1) this.addNamespace(parts.slice(0, -1).join('/'));
    const ns: Namespace = { path, id: base62(5) };
    this.namespaces.set(path, ns);
    this.mounts.set(path, new Map());
    for (const [mountPath, type, description] of BUILTIN_MOUNTS) {
      this.addMount(path, mountPath, type, { description, accessor: `${ACCESSOR_PREFIX[type]}_${hex(4)}` });
    }
    return ns;
  }

  namespace(raw: string | undefined): Namespace {
    const path = normalizeNamespace(raw);
    const ns = this.namespaces.get(path);
    if (!ns) throw new Error(`fake vault: unknown namespace "${path}" (call addNamespace first)`);
    return ns;
  }

  mountTable(nsPath: string): Map<string, Mount> {
    const table = this.mounts.get(nsPath);
    if (!table) throw new Error(`fake vault: unknown namespace "${nsPath}"`);
    return table;
  }

  /** Enable an engine at `path` (returns the existing mount when the type matches). */
  addMount(nsPath: string, rawPath: string, type: string, extra: Partial<Mount> = {}): Mount {
    const path = `${rawPath.replace(/^\/+|\/+$/g, '')}/`;
    const table = this.mountTable(nsPath);
    const existing = table.get(path);
    if (existing) {
      if (existing.type !== type) throw new Error(`fake vault: "${path}" is already a ${existing.type} mount`);
      Object.assign(existing, extra);
      return existing;
    }
    const mount: Mount = {
      path,
      type,
      nsPath,
      accessor: `${path.startsWith('auth/') ? `auth_${type}` : type}_${hex(4)}`,
      uuid: uuid(),
      description: '',
      options: null,
      runningVersion: `v${this.version}+builtin.vault`,
      ...extra,
    };
    table.set(path, mount);
    return mount;
  }

  /** Longest mount whose path prefixes `relPath` (relPath 'secret' also finds 'secret/'). */
  findMount(nsPath: string, relPath: string): Mount | undefined {
    const probe = relPath.endsWith('/') ? relPath : `${relPath}/`;
    let best: Mount | undefined;
    for (const mount of this.mounts.get(nsPath)?.values() ?? []) {
      if (probe.startsWith(mount.path) && (!best || mount.path.length > best.path.length)) best = mount;
    }
    return best;
  }

  /**
   * Combine the X-Vault-Namespace header with the request path the way Vault does:
   * the header names an existing namespace, further namespaces may prefix the path.
   */
  resolveNamespace(header: string | undefined, relPath: string): { ns: Namespace; rel: string } | undefined {
    const headerNs = normalizeNamespace(header);
    if (!this.namespaces.has(headerNs)) return undefined;
    const full = headerNs + relPath;
    let best = this.namespaces.get(headerNs) as Namespace;
    for (const ns of this.namespaces.values()) {
      if (ns.path.length > best.path.length && (full.startsWith(ns.path) || `${full}/` === ns.path)) best = ns;
    }
    return { ns: best, rel: full.slice(best.path.length) };
  }

  policyTable(nsPath: string): Map<string, PolicyRule[]> {
    let table = this.policies.get(nsPath);
    if (!table) this.policies.set(nsPath, (table = new Map()));
    return table;
  }

  /** Find or create the entity bound to an auth alias (what a login does). */
  entityForAlias(nsPath: string, mount: Mount, aliasName: string): Entity {
    for (const entity of this.entities.values()) {
      if (entity.aliases.some((a) => a.mountAccessor === mount.accessor && a.name === aliasName)) return entity;
    }
    const entity = this.createEntity({ nsPath });
    entity.aliases.push({ mountAccessor: mount.accessor, mountPath: mount.path, mountType: mount.type, name: aliasName });
    return entity;
  }

  createEntity(opts: { nsPath: string; name?: string; metadata?: Record<string, string> }): Entity {
    const id = uuid();
    const entity: Entity = {
      id,
      name: opts.name ?? `entity_${id.slice(0, 8)}`,
      nsPath: opts.nsPath,
      metadata: { ...opts.metadata },
      aliases: [],
    };
    this.entities.set(id, entity);
    return entity;
  }
}

// What a route handler receives once the router has decoded the body and run the auth phase.
import type { ServerRequest, ServerResponse } from '../http-harness';
import type { Caller } from './auth';
import type { Body, FieldKind } from './body';
import type { State } from './state';

export interface Ctx {
  state: State;
  req: ServerRequest;
  /** The authenticated caller (public routes get a stand-in without rights). */
  caller: Caller;
  /** The validated JSON body ({} when the route takes none). */
  body: Body;
  /** Path parameters of RegExp routes (`/key/{key}/regenerate`). */
  params: string[];
}

export interface Route {
  method: string;
  path: string | RegExp;
  /** Public routes skip the auth phase (§5.1–§5.2). */
  public?: boolean;
  /** A pydantic-typed body: decoded before auth, validated after it. */
  body?: { fields: Record<string, FieldKind>; required?: string[] };
  handle(ctx: Ctx): ServerResponse | Promise<ServerResponse>;
}

/** JSON-encoded 200. */
export function ok(body: unknown, headers?: Record<string, string>): ServerResponse {
  return { status: 200, body, headers };
}

/** The not_premium_user text of LiteLLM's CommonProxyErrors (recent builds). */
export const NOT_PREMIUM =
  'You must be a LiteLLM Enterprise user to use this feature. If you have a license please set `LITELLM_LICENSE` in your env. ' +
  'Get a 7 day trial key here: https://www.litellm.ai/enterprise#trial. \nPricing: https://www.litellm.ai/#pricing';

// GET /v1/models and /models (§5.3): the model names the caller may use, OpenAI list shape.
// A key with a `models` allowlist sees exactly that list (LiteLLM's get_complete_model_list
// returns the key's models as they are); otherwise the proxy's model names.
import { ok, type Ctx, type Route } from './context';

/** DEFAULT_MODEL_CREATED_AT_TIME. */
const CREATED = 1677610602;

const SPECIAL = new Set(['all-proxy-models', 'all-team-models', 'no-default-models']);

function listModels({ caller, state }: Ctx) {
  const keyModels = caller.row?.models ?? [];
  const useKeyList = keyModels.length > 0 && !keyModels.includes('all-proxy-models');
  const names = useKeyList ? keyModels.filter((m) => !SPECIAL.has(m)) : state.listedModels();
  return ok({ data: names.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'openai' })), object: 'list' });
}

export const modelRoutes: Route[] = [
  { method: 'GET', path: '/v1/models', handle: listModels },
  { method: 'GET', path: '/models', handle: listModels },
];

// The LiteLLM gateway, as `rotate --drill` asks it (adapters/litellm/gateway-client.ts).

/** Asks a gateway whether it accepts a credential (`GET /v1/models`), for `rotate --drill`. */
export interface GatewayProbe {
  url: string;
  check(credential: string): Promise<{ status: number; detail: string }>;
}

// Everything a cache hit never needs: Vault and gateway clients, the full command line
// (commander), the ledger. Built as a separate part of the bundle and loaded by ./load.ts.
export { sourceOpener } from '../adapters/sources/registry';
export { runCli } from '../cli/program';
export { createClaudeAdapters } from '../adapters/claude';
export { createRevocationLedger } from '../adapters/store/revocation-ledger';
export { revokeDue } from '../app/revocations';
export { createGatewayProbe } from '../adapters/litellm/gateway-client';
export { startDetached } from '../adapters/process/background';

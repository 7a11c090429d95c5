// What the process that fetches needs (a miss holding the lock): the sources with their Vault and
// gateway clients, the revocation ledger, the background run. Built as dist/fetch.cjs.
export { sourceOpener } from '../adapters/sources/registry';
export { createRevocationLedger } from '../adapters/store/revocation-ledger';
export { startDetached } from '../adapters/process/background';
export { loginToVault } from '../adapters/vault/vault-login';
export { openBrowser } from '../adapters/process/browser';

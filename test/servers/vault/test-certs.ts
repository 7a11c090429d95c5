// Test-only PKI for the fake Vault's TLS and cert-auth tests, generated when first imported (see
// ../test-pki.ts): the CA issued the server certificate (127.0.0.1/localhost) and the client
// certificate (CN=client-app); 'stranger' is self-signed.
import { createTestPki } from '../test-pki';

const pki = createTestPki('fake-vault-test-ca');
const server = pki.server(['localhost', '127.0.0.1']);
const client = pki.client('client-app');
const stranger = pki.stranger(['stranger']);
export const CA_CERT = pki.ca.cert;
export const SERVER_CERT = server.cert;
export const SERVER_KEY = server.key;
export const CLIENT_CERT = client.cert;
export const CLIENT_KEY = client.key;
export const STRANGER_CERT = stranger.cert;
export const STRANGER_KEY = stranger.key;

// Test-only PKI for the fake Vault's TLS and cert-auth tests, generated when first imported (see
// ../test-pki.ts): CA 'get-key-test-ca' issued the server certificate (127.0.0.1/localhost) and
// the client certificate (CN=client-app); 'stranger' is self-signed.
import { generateTestPki } from '../test-pki';

const pki = generateTestPki();
export const CA_CERT = pki.caCert;
export const SERVER_CERT = pki.serverCert;
export const SERVER_KEY = pki.serverKey;
export const CLIENT_CERT = pki.clientCert;
export const CLIENT_KEY = pki.clientKey;
export const STRANGER_CERT = pki.strangerCert;
export const STRANGER_KEY = pki.strangerKey;

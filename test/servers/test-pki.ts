// A throw-away PKI generated at run time with the openssl CLI (no key material lives in the
// repository): a CA, a server certificate for 127.0.0.1/localhost and a client certificate
// issued by it, and a self-signed "stranger" certificate. EC P-256 keeps generation fast.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  strangerCert: string;
  strangerKey: string;
}

export function generateTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-pki-'));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(`${name}.key`));
  try {
    key('ca');
    openssl('req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=get-key-test-ca', '-days', '2', '-out', f('ca.crt'),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const issue = (name: string, cn: string, ext: string) => {
      key(name);
      openssl('req', '-new', '-key', f(`${name}.key`), '-subj', `/CN=${cn}`, '-out', f(`${name}.csr`));
      writeFileSync(f(`${name}.ext`), ext);
      openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`));
    };
    issue('server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    issue('client', 'client-app', 'extendedKeyUsage=clientAuth\n');
    key('stranger');
    openssl('req', '-x509', '-new', '-key', f('stranger.key'), '-subj', '/CN=stranger', '-days', '2', '-out', f('stranger.crt'));
    const read = (name: string) => readFileSync(f(name), 'utf8');
    return {
      caCert: read('ca.crt'),
      caKey: read('ca.key'),
      serverCert: read('server.crt'),
      serverKey: read('server.key'),
      clientCert: read('client.crt'),
      clientKey: read('client.key'),
      strangerCert: read('stranger.crt'),
      strangerKey: read('stranger.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

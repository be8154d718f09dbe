// An https upstream: verified against a given CA, refused when unverifiable.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

function selfSignedCertificate() {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcpshim-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    return { cert, key };
}

test('https upstreams', async t => {
    const start = processGroup(t);
    const { cert, key } = selfSignedCertificate();
    const fixture = await start(startFixture('tls-upstream', ['--tls-cert', cert, '--tls-key', key]));
    assert.match(fixture.url, /^https:/);

    await t.test('verified with --upstream-ca-file, a legacy client works through the shim', async () => {
        const shim = await start(startShim([fixture.url], ['--upstream-ca-file', cert]));
        const client = new Client({ name: 'tls-test', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(shim.url)));
        assert.equal((await client.callTool({ name: 'whoami', arguments: {} })).content[0].text, 'tls-upstream');
        await client.close();
    });

    await t.test('an unverifiable certificate is refused, and the error says TLS', async () => {
        const shim = await start(startShim([fixture.url]));
        const response = await rawInitialize(shim.url);
        assert.equal(response.status, 502);
        assert.match(response.json.error.message, /TLS handshake failed/);
    });
});

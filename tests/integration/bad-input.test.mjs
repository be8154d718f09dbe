// Bad input gets a clear error that names the limit, and the shim goes on serving.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

function rawHttp(url, text) {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1');
        let answer = '';
        socket.on('data', chunk => (answer += chunk));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
        socket.write(text);
    });
}

test('bad input', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(
        startShim([fixture.url], ['--max-body-bytes', '4096', '--max-json-depth', '8', '--max-header-bytes', '8192', '--read-timeout-ms', '500'])
    );
    const { sessionId } = await rawInitialize(shim.url);
    const session = { 'mcp-session-id': sessionId };

    await t.test('malformed JSON: 400 and a parse error', async () => {
        const response = await post(shim.url, '{"jsonrpc":"2.0",', session);
        assert.equal(response.status, 400);
        assert.equal(response.json.error.code, -32700);
    });

    await t.test('a body over the limit: 413 naming --max-body-bytes', async () => {
        const response = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(5000) } } }, session);
        assert.equal(response.status, 413);
        assert.match(response.json.error.message, /--max-body-bytes/);
    });

    await t.test('nesting over the limit: 400 naming --max-json-depth', async () => {
        let deep = '1';
        for (let i = 0; i < 20; i++) deep = `[${deep}]`;
        const response = await post(shim.url, `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":${deep}}}}`, session);
        assert.equal(response.status, 400);
        assert.match(response.json.error.message, /--max-json-depth/);
    });

    await t.test('headers over the limit: 431 naming --max-header-bytes', async () => {
        const response = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...session, 'x-padding': 'p'.repeat(9000) });
        assert.equal(response.status, 431);
        assert.match(response.json.error.message, /--max-header-bytes/);
    });

    await t.test('a wrong content type: 415', async () => {
        const response = await post(shim.url, '{}', { ...session, 'content-type': 'text/plain' });
        assert.equal(response.status, 415);
    });

    await t.test('an Accept that rules out SSE: 406', async () => {
        const response = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...session, accept: 'application/json' });
        assert.equal(response.status, 406);
    });

    await t.test('an unknown method: method not found', async () => {
        const response = await post(shim.url, { jsonrpc: '2.0', id: 9, method: 'no/such/method' }, session);
        assert.equal(response.json.error.code, -32601);
        assert.equal(response.json.id, 9);
    });

    await t.test('not JSON-RPC: invalid request', async () => {
        const response = await post(shim.url, { id: 1, method: 'ping' }, session);
        assert.equal(response.status, 400);
        assert.equal(response.json.error.code, -32600);
    });

    await t.test('a foreign Origin or Host: 403 (DNS rebinding)', async () => {
        const evilOrigin = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...session, origin: 'http://evil.example.com' });
        assert.equal(evilOrigin.status, 403);
        assert.match(evilOrigin.json.error.message, /--allow-origin/);
        const goodOrigin = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...session, origin: 'http://localhost:5173' });
        assert.equal(goodOrigin.status, 200);
        const { port } = new URL(shim.url);
        const evilHost = await rawHttp(shim.url, `POST /mcp HTTP/1.1\r\nHost: evil.example.com:${port}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
        assert.match(evilHost, /^HTTP\/1.1 403/);
    });

    await t.test('a request that trickles in is cut off at --read-timeout-ms with 408', async () => {
        const { port } = new URL(shim.url);
        const answer = await rawHttp(shim.url, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jsonrpc"`);
        assert.match(answer, /^HTTP\/1.1 408/);
        assert.match(answer, /--read-timeout-ms/);
    });

    await t.test('a GET that does not accept SSE: 406; a PUT: 405', async () => {
        const response = await fetch(shim.url, { headers: { ...session, accept: 'application/json' } });
        assert.equal(response.status, 406);
        const put = await fetch(shim.url, { method: 'PUT', headers: session, body: '{}' });
        assert.equal(put.status, 405);
    });

    await t.test('the shim still serves after all of that', async () => {
        const response = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } }, session);
        assert.equal(response.json.result.content[0].text, 'still here');
    });
});

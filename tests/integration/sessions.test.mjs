// Sealed session ids: what opens them, what does not, and what a client is told.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

const toolsList = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

function keyFile(...keys) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mcpshim-key-')), 'keys');
    writeFileSync(file, keys.join('\n') + '\n');
    return file;
}
const keyA = '11'.repeat(32);
const keyB = '22'.repeat(32);

test('session ids', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--session-key-file', keyFile(keyA)]));
    const twin = await start(startShim([fixture.url], ['--session-key-file', keyFile(keyA)]));
    const stranger = await start(startShim([fixture.url], ['--session-key-file', keyFile(keyB)]));
    const rotated = await start(startShim([fixture.url], ['--session-key-file', keyFile(keyB, keyA)]));

    const init = await rawInitialize(shim.url, { authorization: 'Bearer alice' });
    assert.equal(init.status, 200);
    const session = { 'mcp-session-id': init.sessionId, authorization: 'Bearer alice' };

    await t.test('any shim process with the key serves the session, even after a key rotation', async () => {
        assert.equal((await post(twin.url, toolsList, session)).status, 200);
        assert.equal((await post(rotated.url, toolsList, session)).status, 200);
    });

    await t.test('a token sealed with another key gets 404', async () => {
        const response = await post(stranger.url, toolsList, session);
        assert.equal(response.status, 404);
        assert.match(response.json.error.message, /key/);
    });

    await t.test('a forged or altered token gets 404', async () => {
        const forged = await post(shim.url, toolsList, { ...session, 'mcp-session-id': 'mcps1.deadbeef.AAAA' });
        assert.equal(forged.status, 404);
        const id = init.sessionId;
        const flipped = id.slice(0, -3) + (id.at(-3) === 'A' ? 'B' : 'A') + id.slice(-2);
        const altered = await post(shim.url, toolsList, { ...session, 'mcp-session-id': flipped });
        assert.equal(altered.status, 404);
        assert.match(altered.json.error.message, /forged|altered/);
    });

    await t.test('another principal cannot use the session', async () => {
        const response = await post(shim.url, toolsList, { ...session, authorization: 'Bearer mallory' });
        assert.equal(response.status, 404);
    });

    await t.test('no session id on a request: 400', async () => {
        const response = await post(shim.url, toolsList);
        assert.equal(response.status, 400);
        assert.match(response.json.error.message, /initialize/);
    });

    await t.test('a protocol version header other than the negotiated one: 400', async () => {
        const response = await post(shim.url, toolsList, { ...session, 'mcp-protocol-version': '2025-03-26' });
        assert.equal(response.status, 400);
        assert.match(response.json.error.message, /negotiated 2025-11-25/);
    });

    await t.test('DELETE ends the session for every shim process sharing the store', async () => {
        const other = await rawInitialize(shim.url);
        const response = await fetch(shim.url, { method: 'DELETE', headers: { 'mcp-session-id': other.sessionId } });
        assert.equal(response.status, 200);
        assert.equal((await post(shim.url, toolsList, { 'mcp-session-id': other.sessionId })).status, 404);
    });
});

test('an expired session id gets 404 and the client re-initializes', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--session-ttl-s', '1']));
    const init = await rawInitialize(shim.url);
    await new Promise(resolve => setTimeout(resolve, 2100));
    const response = await post(shim.url, toolsList, { 'mcp-session-id': init.sessionId });
    assert.equal(response.status, 404);
    assert.match(response.json.error.message, /expired/);
});

test('the negotiated version follows the client, capped by --max-legacy-version', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-legacy-version', '2025-06-18']));
    assert.equal((await rawInitialize(shim.url, {}, '2025-03-26')).json.result.protocolVersion, '2025-03-26');
    assert.equal((await rawInitialize(shim.url, {}, '2025-11-25')).json.result.protocolVersion, '2025-06-18');
    assert.equal((await rawInitialize(shim.url, {}, '1999-01-01')).json.result.protocolVersion, '2025-06-18');
});

// 2025-03-26 clients may batch; later versions may not.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

const batch = [
    { jsonrpc: '2.0', id: 1, method: 'ping' },
    { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
    { jsonrpc: '2.0', id: 'two', method: 'tools/call', params: { name: 'echo', arguments: { text: 'batched' } } }
];

function sseMessages(text) {
    return text
        .split('\n')
        .filter(line => line.startsWith('data: '))
        .map(line => JSON.parse(line.slice(6)));
}

test('batches', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));

    await t.test('a 2025-03-26 batch gets every response on one SSE stream', async () => {
        const { sessionId } = await rawInitialize(shim.url, {}, '2025-03-26');
        const response = await post(shim.url, batch, { 'mcp-session-id': sessionId });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type'), /text\/event-stream/);
        const messages = sseMessages(response.text);
        assert.deepEqual(messages.map(m => m.id), [1, 'two']);
        assert.deepEqual(messages[0].result, {});
        assert.equal(messages[1].result.content[0].text, 'batched');
    });

    await t.test('a 2025-06-18 session may not batch', async () => {
        const { sessionId } = await rawInitialize(shim.url, {}, '2025-06-18');
        const response = await post(shim.url, batch, { 'mcp-session-id': sessionId });
        assert.equal(response.status, 400);
        assert.match(response.json.error.message, /2025-03-26/);
    });
});

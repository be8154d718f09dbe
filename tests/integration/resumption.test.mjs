// Event ids, GET + Last-Event-ID replay, and the 2025-11-25 polling pattern.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';
import { events, resume } from './sse-events.mjs';

test('resumable streams', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--poll-after-ms', '200', '--sse-retry-ms', '50']));
    const { sessionId } = await rawInitialize(shim.url);
    const session = { 'mcp-session-id': sessionId };

    await t.test('a slow answer: priming event, early close, then the result on GET + Last-Event-ID', async () => {
        const call = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 600 } } };
        const first = await post(shim.url, call, session);
        const [priming, ...rest] = events(first.text);
        assert.match(priming.id, /^[0-9a-f]+_0$/);
        assert.equal(priming.retry, '50');
        assert.equal(priming.data, '');
        assert.deepEqual(rest, [], 'the stream closed before the answer');
        const resumed = await resume(shim.url, sessionId, priming.id);
        assert.equal(resumed.status, 200);
        const [answer] = events(resumed.text);
        assert.equal(JSON.parse(answer.data).id, 5);
        assert.equal(JSON.parse(answer.data).result.content[0].text, 'slept 600 ms');
        assert.equal(answer.id, priming.id.replace(/_0$/, '_1'));
    });

    await t.test('a stream dropped after its first event replays the rest', async () => {
        const call = { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p' } } };
        const full = events((await post(shim.url, call, session)).text).filter(e => e.data);
        assert.equal(full.length, 4);
        const replay = events((await resume(shim.url, sessionId, full[0].id)).text);
        assert.deepEqual(replay.map(e => e.id), full.slice(1).map(e => e.id));
        assert.equal(JSON.parse(replay.at(-1).data).id, 6);
    });

    await t.test('a Last-Event-ID the shim does not hold, or of another session: 400', async () => {
        assert.equal((await resume(shim.url, sessionId, 'nothere_3')).status, 400);
        const other = await rawInitialize(shim.url);
        const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'q' } } };
        const [firstEvent] = events((await post(shim.url, call, session)).text);
        assert.equal((await resume(shim.url, other.sessionId, firstEvent.id)).status, 400);
    });

    await t.test('the official SDK client follows the polling pattern', async () => {
        const client = new Client({ name: 'poller', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(shim.url)));
        const result = await client.callTool({ name: 'test_slow', arguments: { ms: 700 } });
        assert.equal(result.content[0].text, 'slept 700 ms');
        await client.close();
    });
});

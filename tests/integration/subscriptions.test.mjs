// The legacy GET stream, fed by the upstream's subscriptions/listen.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, rawInitialize, startFaultUpstream, startFixture, startShim } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// Reads a GET stream's SSE messages into `into` until the stream ends or `abort` fires.
async function readStream(url, sessionId, into, abort) {
    const response = await fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId }, signal: abort.signal });
    const decoder = new TextDecoder();
    let pending = '';
    try {
        for await (const chunk of response.body) {
            pending += decoder.decode(chunk, { stream: true });
            const lines = pending.split('\n');
            pending = lines.pop();
            for (const line of lines) {
                if (line.startsWith('data: ')) into.push(JSON.parse(line.slice(6)));
                if (line.startsWith(': ')) into.push({ comment: line.slice(2) });
            }
        }
    } catch (error) {
        if (error.name !== 'AbortError') throw error;
    }
    return response.status;
}

test('subscribe, then the update arrives on the GET stream without the subscription id', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const client = new Client({ name: 'subscriber', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(shim.url));
    const updates = [];
    const { ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } = await import('../../fixtures/lib/legacy-sdk.mjs');
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, n => updates.push(n.params));
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => updates.push('tools changed'));
    await client.connect(transport);
    assert.equal(client.getServerCapabilities().resources.subscribe, true);
    await sleep(500); // the SDK opens its GET stream after initialized
    await client.subscribeResource({ uri: 'test://watched-resource' });
    await sleep(500); // the shim re-opens its upstream listen with the new filter
    await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://watched-resource' } });
    await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://other' } });
    await client.callTool({ name: 'test_trigger_tool_change', arguments: {} });
    await sleep(300);
    assert.deepEqual(updates, [{ uri: 'test://watched-resource' }, 'tools changed']);

    await client.unsubscribeResource({ uri: 'test://watched-resource' });
    await sleep(500);
    await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://watched-resource' } });
    await sleep(300);
    assert.equal(updates.length, 2, 'no update after unsubscribe');
    await client.close();
});

test('one GET stream per session; DELETE ends it; quiet streams get keep-alives', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--keepalive-ms', '200']));
    const { sessionId } = await rawInitialize(shim.url);
    const seen = [];
    const abort = new AbortController();
    const first = readStream(shim.url, sessionId, seen, abort);
    await sleep(300);
    const second = await fetch(shim.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId } });
    assert.equal(second.status, 409);
    await sleep(300);
    assert.ok(seen.some(m => m.comment === 'keep-alive'));
    await fetch(shim.url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
    const timer = setTimeout(() => abort.abort(), 3000);
    assert.equal(await first, 200);
    clearTimeout(timer);
    assert.equal(abort.signal.aborted, false, 'the stream ended by itself after DELETE');
});

test('an upstream listen stream that drops is re-opened', async t => {
    const start = processGroup(t);
    const upstream = await start(startFaultUpstream('listen-drops'));
    const shim = await start(startShim([upstream.url]));
    const { sessionId } = await rawInitialize(shim.url);
    const seen = [];
    const abort = new AbortController();
    const reading = readStream(shim.url, sessionId, seen, abort);
    await sleep(1500);
    abort.abort();
    await reading;
    const changes = seen.filter(m => m.method === 'notifications/tools/list_changed');
    assert.ok(changes.length >= 3, `expected the listen to be re-opened several times, saw ${changes.length} notifications`);
    assert.ok(changes.every(m => !m.params?._meta), 'subscription ids are not relayed');
});

test('sessions that would send the same listen share one upstream stream; others get their own', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const abort = new AbortController();
    const readings = [];
    const accepted = async sessionId => {
        const answer = await post(shim.url, { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'test_accepted_connections', arguments: {} } }, { 'mcp-session-id': sessionId });
        return Number(answer.json.result.content[0].text);
    };
    const openStreams = async (count, capabilities) => {
        const streams = [];
        for (let i = 0; i < count; i++) {
            const { sessionId } = await rawInitialize(shim.url, {}, '2025-11-25', capabilities);
            const seen = [];
            readings.push(readStream(shim.url, sessionId, seen, abort));
            streams.push({ sessionId, seen });
        }
        await sleep(400); // each stream's listen is joined or opened
        return streams;
    };

    const [first] = await openStreams(1, {});
    const before = await accepted(first.sessionId);
    const alike = await openStreams(5, {});
    const afterAlike = await accepted(first.sessionId);
    assert.ok(afterAlike - before <= 1, `5 more identical sessions opened ${afterAlike - before} upstream connections`);
    const [different] = await openStreams(1, { roots: { listChanged: true } });
    const afterDifferent = await accepted(first.sessionId);
    assert.ok(afterDifferent - afterAlike >= 1, 'a session with other capabilities sends its own listen');

    await post(shim.url, { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'test_trigger_tool_change', arguments: {} } }, { 'mcp-session-id': first.sessionId });
    await sleep(300);
    for (const stream of [first, ...alike, different]) {
        const changes = stream.seen.filter(m => m.method === 'notifications/tools/list_changed');
        assert.equal(changes.length, 1, `session ${stream.sessionId.slice(0, 12)} saw ${changes.length} list changes`);
    }

    // The first session leaves; the others still hear the shared stream.
    await fetch(shim.url, { method: 'DELETE', headers: { 'mcp-session-id': first.sessionId } });
    await sleep(200);
    await post(shim.url, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'test_trigger_tool_change', arguments: {} } }, { 'mcp-session-id': alike[0].sessionId });
    await sleep(300);
    for (const stream of alike)
        assert.equal(stream.seen.filter(m => m.method === 'notifications/tools/list_changed').length, 2);
    abort.abort();
    await Promise.all(readings);
});

// Upstream faults reach the legacy client as clear JSON-RPC errors, never as a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, rawInitialize, startFaultUpstream, startShim } from './harness.mjs';

const call = (name, progressToken) => ({
    jsonrpc: '2.0',
    id: 7,
    method: 'tools/call',
    params: { name, arguments: {}, ...(progressToken ? { _meta: { progressToken } } : {}) }
});

test('an upstream that refuses connections: initialize fails naming it', async t => {
    const start = processGroup(t);
    const shim = await start(startShim(['http://127.0.0.1:9/mcp']));
    const response = await rawInitialize(shim.url);
    assert.equal(response.status, 502);
    assert.match(response.json.error.message, /127\.0\.0\.1:9/);
    assert.match(response.json.error.message, /connect failed/);
    const ready = await fetch(new URL('/readyz', shim.url));
    assert.equal(ready.status, 503);
    assert.equal((await fetch(new URL('/healthz', shim.url))).status, 200);
});

test('an upstream that resets mid-stream: progress arrives, then a JSON-RPC error', async t => {
    const start = processGroup(t);
    const upstream = await start(startFaultUpstream('reset-mid-stream'));
    const shim = await start(startShim([upstream.url]));
    const client = new Client({ name: 'fault-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(shim.url)));
    const progress = [];
    await assert.rejects(
        client.callTool({ name: 'anything', arguments: {} }, undefined, { onprogress: p => progress.push(p.progress), timeout: 10000 }),
        error => error.code === -32603 && /broke|closed/.test(error.message)
    );
    assert.deepEqual(progress, [1]);
    await client.close();
});

test('an upstream that stalls: a timeout error after --upstream-timeout-ms', async t => {
    const start = processGroup(t);
    const upstream = await start(startFaultUpstream('stall'));
    const shim = await start(startShim([upstream.url], ['--upstream-timeout-ms', '300']));
    const { sessionId } = await rawInitialize(shim.url);
    const response = await post(shim.url, call('anything'), { 'mcp-session-id': sessionId });
    assert.equal(response.status, 504);
    assert.equal(response.json.id, 7);
    assert.match(response.json.error.message, /--upstream-timeout-ms/);
});

test('an upstream that answers garbage: a JSON-RPC error quoting it', async t => {
    const start = processGroup(t);
    const upstream = await start(startFaultUpstream('garbage'));
    const shim = await start(startShim([upstream.url]));
    const { sessionId } = await rawInitialize(shim.url);
    const response = await post(shim.url, call('anything'), { 'mcp-session-id': sessionId });
    assert.equal(response.status, 502);
    assert.equal(response.json.error.code, -32603);
    assert.match(response.json.error.message, /not JSON/);
});

test('an upstream that speaks only the legacy protocol: initialize says so', async t => {
    const start = processGroup(t);
    const upstream = await start(startFaultUpstream('legacy'));
    const shim = await start(startShim([upstream.url]));
    const response = await rawInitialize(shim.url);
    assert.equal(response.status, 502);
    assert.match(response.json.error.message, /server\/discover/);
    assert.match(response.json.error.message, /Server not initialized/);
    assert.equal(response.json.error.data.upstream, upstream.url);
});

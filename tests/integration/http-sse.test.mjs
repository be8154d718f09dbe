// The HTTP+SSE transport of 2024-11-05: the official v1 SDK's SSEClientTransport
// through the shim to a modern-only server.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, ElicitRequestSchema, SSEClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, startFixture, startShim } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

test('a 2024-11-05 client over HTTP+SSE', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const sseUrl = new URL('/sse', shim.url);

    const client = new Client({ name: 'sse-client', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { username: 'grace', email: 'g@h.i' } }));
    await client.connect(new SSEClientTransport(sseUrl));
    assert.equal(client.getServerVersion().name, 'modern-everything');

    const { tools } = await client.listTools();
    assert.ok(tools.some(tool => tool.name === 'echo'));
    assert.equal((await client.callTool({ name: 'echo', arguments: { text: 'over sse' } })).content[0].text, 'over sse');
    const progress = [];
    await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, { onprogress: p => progress.push(p.progress) });
    await sleep(50);
    assert.deepEqual(progress.slice(0, 2), [0, 50]);
    const elicited = await client.callTool({ name: 'test_elicitation', arguments: { message: 'who?' } });
    assert.match(elicited.content[0].text, /grace/);
    await assert.rejects(client.readResource({ uri: 'test://missing' }), error => error.code === -32002);
    await client.close();

    const stale = await post(new URL('/messages?sessionId=nope', shim.url), { jsonrpc: '2.0', id: 1, method: 'ping' });
    assert.equal(stale.status, 404);
    assert.match(stale.json.error.message, /GET \/sse/);
});

test('a client held to 2024-11-05 sees only what 2024-11-05 has', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-legacy-version', '2024-11-05']));
    const transport = new SSEClientTransport(new URL('/sse', shim.url));
    const client = new Client({ name: 'old-client', version: '1' });
    await client.connect(transport);
    assert.equal(client.getServerCapabilities().completions, undefined, 'completions came with 2025-03-26');
    const audio = await client.callTool({ name: 'test_audio_content', arguments: {} });
    assert.equal(audio.content[0].type, 'text', 'audio came with 2025-03-26: sent as text');
    assert.match(audio.content[0].text, /audio/);
    await client.close();
});

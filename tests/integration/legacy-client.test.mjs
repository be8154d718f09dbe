// The official legacy SDK client (v1, Streamable HTTP) through mcpshim to a
// modern-only server built on the official v2 SDK.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, LoggingMessageNotificationSchema, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, startFixture, startShim } from './harness.mjs';

async function connect(url, capabilities = {}) {
    const client = new Client({ name: 'integration-test', version: '1.0.0' }, { capabilities });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    return { client, transport };
}

test('the modern fixture refuses a legacy client on its own', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const client = new Client({ name: 'direct', version: '1' });
    await assert.rejects(client.connect(new StreamableHTTPClientTransport(new URL(fixture.url))));
});

test('a legacy client uses a modern-only server through the shim', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { client, transport } = await connect(shim.url);

    await t.test('initialize is answered from server/discover', () => {
        assert.deepEqual(client.getServerVersion(), { name: 'modern-everything', version: '1.0.0' });
        const capabilities = client.getServerCapabilities();
        assert.ok(capabilities.tools);
        assert.ok(capabilities.logging, 'the shim answers logging/setLevel itself');
        assert.equal(capabilities.resources.subscribe, true, 'the upstream honours resource subscriptions');
        assert.match(client.getInstructions(), /mcpshim/);
        assert.match(transport.sessionId, /^[\x21-\x7E]+$/);
    });

    await t.test('tools/list keeps schemas as written', async () => {
        const { tools } = await client.listTools();
        const schemaTool = tools.find(tool => tool.name === 'json_schema_2020_12_tool');
        assert.equal(schemaTool.inputSchema.$schema, 'https://json-schema.org/draft/2020-12/schema');
        assert.equal(schemaTool.inputSchema.additionalProperties, false);
        assert.deepEqual(Object.keys(schemaTool.inputSchema.$defs), ['address']);
        assert.ok(tools.every(tool => tool.description));
    });

    await t.test('tools/call: text and image', async () => {
        const textResult = await client.callTool({ name: 'test_simple_text', arguments: {} });
        assert.equal(textResult.content[0].text, 'This is a simple text response for testing.');
        assert.equal(textResult.resultType, undefined, 'modern-only fields are stripped');
        const image = await client.callTool({ name: 'test_image_content', arguments: {} });
        assert.equal(image.content[0].type, 'image');
        assert.equal(image.content[0].mimeType, 'image/png');
        const failing = await client.callTool({ name: 'test_error_handling', arguments: {} });
        assert.equal(failing.isError, true);
    });

    await t.test('tools/call with progress: every notification before the result, in order', async () => {
        const progress = [];
        const result = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
            onprogress: p => progress.push(p.progress)
        });
        assert.deepEqual(progress, [0, 50, 100]);
        assert.ok(result.content[0].text.length > 0);
    });

    await t.test('logging/setLevel reaches the upstream as the per-request logLevel', async () => {
        const messages = [];
        client.setNotificationHandler(LoggingMessageNotificationSchema, n => messages.push(n.params.data));
        await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
        assert.deepEqual(messages, [], 'no level set: the modern server must not log');
        await client.setLoggingLevel('debug');
        await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
        assert.deepEqual(messages, ['Tool execution started', 'Tool processing data', 'Tool execution completed']);
    });

    await t.test('resources/read, a template, and a missing resource as the legacy -32002', async () => {
        const text = await client.readResource({ uri: 'test://static-text' });
        assert.equal(text.contents[0].text, 'This is the content of the static text resource.');
        const templated = await client.readResource({ uri: 'test://template/123/data' });
        assert.match(templated.contents[0].text, /"123"/);
        await assert.rejects(client.readResource({ uri: 'test://missing' }), error => error.code === -32002);
    });

    await t.test('prompts/get and completion/complete', async () => {
        const prompt = await client.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'A1', arg2: 'B2' } });
        assert.match(prompt.messages[0].content.text, /A1.*B2/);
        const completion = await client.complete({
            ref: { type: 'ref/prompt', name: 'test_prompt_with_arguments' },
            argument: { name: 'arg1', value: 'x' }
        });
        assert.ok(Array.isArray(completion.completion.values));
    });

    await t.test('health and readiness', async () => {
        assert.equal((await fetch(new URL('/healthz', shim.url))).status, 200);
        assert.equal((await fetch(new URL('/readyz', shim.url))).status, 200);
    });

    await t.test('ping is answered by the shim', async () => {
        assert.deepEqual(await client.ping(), {});
    });

    await t.test('an unknown method gets method-not-found', async () => {
        await assert.rejects(client.request({ method: 'nope/nothing', params: {} }, LoggingMessageNotificationSchema.shape.params), e => e.code === -32601);
    });

    await t.test('DELETE ends the session; the id then gets 404', async () => {
        const sessionId = transport.sessionId;
        await transport.terminateSession();
        const after = await post(shim.url, { jsonrpc: '2.0', id: 5, method: 'tools/list' }, { 'mcp-session-id': sessionId });
        assert.equal(after.status, 404);
        assert.match(after.json.error.message, /ended/);
    });
    await client.close();
});

test('two upstream instances are balanced round-robin, and a dead one is skipped', async t => {
    const start = processGroup(t);
    const first = await start(startFixture('instance-a'));
    const second = await start(startFixture('instance-b'));
    const shim = await start(startShim([first.url, 'http://127.0.0.1:9/mcp', second.url]));
    const { client } = await connect(shim.url);
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await client.callTool({ name: 'whoami', arguments: {} })).content[0].text);
    assert.deepEqual(new Set(seen), new Set(['instance-a', 'instance-b']));
    await client.close();
});

test('upstream connections are kept alive and reused across requests', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const client = new Client({ name: 'reuse', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(shim.url)));
    const before = Number((await client.callTool({ name: 'test_accepted_connections', arguments: {} })).content[0].text);
    for (let i = 0; i < 30; i++) await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    const after = Number((await client.callTool({ name: 'test_accepted_connections', arguments: {} })).content[0].text);
    // One request at a time: the same pooled connection serves them all.
    assert.ok(after - before <= 1, `${after - before} new upstream connections for 31 sequential calls`);
    await client.close();
});

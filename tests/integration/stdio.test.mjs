// `mcpshim stdio`: a legacy client that spawns its server (official v1 SDK
// StdioClientTransport) gets a modern-only upstream through the shim.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
    Client,
    ElicitRequestSchema,
    LoggingMessageNotificationSchema,
    StdioClientTransport
} from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, shimBinary, startFixture } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

test('a legacy stdio client through the shim', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const transport = new StdioClientTransport({ command: shimBinary, args: ['stdio', '--upstream', fixture.url], stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', chunk => (stderr += chunk));
    const client = new Client({ name: 'stdio-client', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { username: 'ada', email: 'a@b.c' } }));
    await client.connect(transport);

    assert.equal(client.getServerVersion().name, 'modern-everything');
    const { tools } = await client.listTools();
    assert.ok(tools.some(tool => tool.name === 'echo'));
    assert.equal((await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } })).content[0].text, 'over stdio');

    const progress = [];
    await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, { onprogress: p => progress.push(p.progress) });
    // The shim writes all three before the result (checked line by line in the
    // next test). The v1 SDK drops a progress notification that it reads in
    // the same chunk as the response, so only the first ones are certain here.
    assert.deepEqual(progress.slice(0, 2), [0, 50]);

    const logs = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, n => logs.push(n.params.data));
    await client.setLoggingLevel('info');
    await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
    await sleep(50);
    assert.equal(logs.length, 3);

    const elicited = await client.callTool({ name: 'test_elicitation', arguments: { message: 'who?' } });
    assert.match(elicited.content[0].text, /ada/);

    assert.deepEqual(await client.ping(), {});
    await client.close();
    await sleep(200);
    assert.match(stderr, /serving a legacy client on stdio/, 'logs go to stderr');
    assert.equal(transport.pid, null, 'the shim exited when its stdin closed');
});

test('stdio: notifications precede their response, line by line; a bad line gets a parse error', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const { spawn } = await import('node:child_process');
    const child = spawn(shimBinary, ['stdio', '--upstream', fixture.url], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', chunk => (out += chunk));
    const send = message => child.stdin.write((typeof message === 'string' ? message : JSON.stringify(message)) + '\n');
    send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await sleep(300);
    send('{"jsonrpc": "2.0", "id": ');
    for (let i = 1; i <= 3; i++) {
        send({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: i } } });
        await sleep(200);
    }
    child.stdin.end();
    const [code] = await (await import('node:events')).once(child, 'exit');
    assert.equal(code, 0, 'a clean exit when stdin closes');
    const lines = out.trim().split('\n').map(line => JSON.parse(line));
    assert.equal(lines[0].result.protocolVersion, '2025-06-18');
    assert.equal(lines[1].error.code, -32700);
    const order = lines.slice(2).map(m => (m.method ? `${m.params.progressToken}:${m.params.progress}` : `R${m.id}`));
    // Calls overlap when the upstream is slow; each call's own lines keep their order.
    for (const call of [1, 2, 3])
        assert.deepEqual(order.filter(line => line === `R${call}` || line.startsWith(`${call}:`)), [`${call}:0`, `${call}:50`, `${call}:100`, `R${call}`]);
    assert.equal(order.length, 12, 'every call answered before the shim exited');
});

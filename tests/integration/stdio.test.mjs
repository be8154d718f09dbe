// `mcpshim stdio`: a legacy client that spawns its server (official v1 SDK
// StdioClientTransport) gets a modern-only upstream through the shim.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';

import {
    Client,
    ElicitRequestSchema,
    LoggingMessageNotificationSchema,
    StdioClientTransport
} from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, rawStdio, shimBinary, startFixture } from './harness.mjs';

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

const initialize = id => ({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

test('stdio: one session per process; past --max-requests-in-flight a request is refused, the others served', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const stdio = rawStdio(t, ['--upstream', fixture.url, '--max-requests-in-flight', '2']);
    stdio.send(initialize(0));
    assert.equal((await stdio.answer(0)).result.protocolVersion, '2025-06-18');
    stdio.send(initialize(1));
    const again = await stdio.answer(1);
    assert.equal(again.error.code, -32600);
    assert.match(again.error.message, /session is already initialized; start another process/);
    for (const id of [2, 3, 4])
        stdio.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 600 } } });
    const refused = await stdio.answer(4);
    assert.match(refused.error.message, /already has 2 requests in flight \(--max-requests-in-flight\)/);
    assert.ok((await stdio.answer(2)).result, 'the first two are served');
    assert.ok((await stdio.answer(3)).result);
    stdio.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'echo', arguments: { text: 'room again' } } });
    assert.equal((await stdio.answer(5)).result.content[0].text, 'room again');
    assert.match(stdio.stderr(), /stdio sid=\S+ rpc=tools\/call #2 upstream=\S+ [\d.]+ms/, 'one log line per request');
});

test('stdio: a client that stops reading stdout ends the session at --max-outbox-bytes, said on stderr', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const child = spawn(shimBinary, ['stdio', '--upstream', fixture.url, '--max-outbox-bytes', '100000'],
        { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    child.stdout.pause();  // never read: the pipe fills, then the outbox
    const send = message => child.stdin.write(JSON.stringify(message) + '\n');
    send(initialize(0));
    const big = 'x'.repeat(20000);
    for (let id = 1; id <= 40; id++)
        send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: big } } });
    const [code] = await Promise.race([once(child, 'exit'), sleep(15000).then(() => ['still running'])]);
    assert.notEqual(code, 'still running', `the shim should end the session; stderr: ${stderr}`);
    assert.match(stderr, /stdout: the client reads too slowly \(its outbox passed --max-outbox-bytes 100000/);
});

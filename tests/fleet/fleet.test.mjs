// The shim as a fleet: three instances sharing a real redis-server behind
// nginx round-robin (no stickiness, no retry elsewhere), walked by the
// official v1 SDK client so that consecutive requests land on different
// instances; resumption on another instance, an instance killed mid-call;
// then the store going away and coming back, an instance started while it
// is down.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import {
    Client,
    CreateMessageRequestSchema,
    ElicitRequestSchema,
    ListRootsRequestSchema,
    LoggingMessageNotificationSchema,
    ResourceUpdatedNotificationSchema,
    SSEClientTransport,
    StreamableHTTPClientTransport
} from '../../fixtures/lib/legacy-sdk.mjs';
import { post, rawInitialize } from '../integration/harness.mjs';
import { events, resume } from '../integration/sse-events.mjs';
import { callAsTask } from '../integration/task-client.mjs';
import { servedBy, sleep, startFleet } from './fleet-harness.mjs';

const TASKS = { tasks: { list: {}, cancel: {} }, elicitation: {} };

async function connect(url, capabilities = {}, handlers = []) {
    const client = new Client({ name: 'fleet-walker', version: '1' }, { capabilities });
    for (const [schema, handler] of handlers) client.setRequestHandler(schema, handler);
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    return { client, transport };
}

test('the official v1 client walks every feature through a three-instance fleet', async t => {
    const fleet = await startFleet(t, { shimArgs: ['--task-poll-min-ms', '20'] });

    await t.test('the log level set on one instance holds on the others', async () => {
        const { client } = await connect(fleet.url);
        const messages = [];
        client.setNotificationHandler(LoggingMessageNotificationSchema, n => messages.push(n.params.data));
        await client.setLoggingLevel('debug');
        for (let i = 0; i < 3; i++) await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
        assert.equal(messages.length, 9, `every call logged, whichever instance served it: ${JSON.stringify(messages)}`);
        await client.close();
    });

    await t.test('elicitation over rounds, sampling and roots: answers POSTed to other instances reach the waiting call', async () => {
        const answers = { 'First name?': 'Ada', 'Last name?': 'Lovelace', 'Favourite colour, Ada?': 'green' };
        const { client } = await connect(fleet.url, { elicitation: {}, sampling: {}, roots: { listChanged: true } }, [
            [ElicitRequestSchema, request => ({ action: 'accept', content: { value: answers[request.params.message] } })],
            [CreateMessageRequestSchema, request => ({
                role: 'assistant',
                model: 'fleet-model',
                content: { type: 'text', text: `echo: ${request.params.messages[0].content.text}` }
            })],
            [ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///fleet', name: 'fleet' }] })]
        ]);
        for (let i = 0; i < 3; i++) {
            const result = await client.callTool({ name: 'test_elicitation_rounds', arguments: {} });
            assert.equal(result.content[0].text, 'Ada Lovelace likes green');
            const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: `hi ${i}` } });
            assert.equal(sampled.content[0].text, `LLM response: echo: hi ${i}`);
            const roots = await client.callTool({ name: 'test_list_roots', arguments: {} });
            assert.equal(roots.content[0].text, 'roots: file:///fleet');
        }
        await client.close();
    });

    await t.test('tasks: get, result, list and cancel on other instances than the one that made the task', async () => {
        const { client } = await connect(fleet.url, TASKS);
        for (let i = 0; i < 3; i++) {
            const seen = await callAsTask(client, 'test_task', { ms: 60 });
            assert.equal(seen.error, undefined, String(seen.error));
            assert.ok(seen.statuses.includes('completed'));
            assert.equal(seen.result.content[0].text, `task ${seen.created.taskId} done after 60 ms`);
        }
        const { CreateTaskResultSchema } = await import('../../fixtures/node_modules/@modelcontextprotocol/sdk/dist/esm/types.js');
        const created = await client.request(
            { method: 'tools/call', params: { name: 'test_task', arguments: { ms: 20000 }, task: { ttl: 60000 } } },
            CreateTaskResultSchema
        );
        const taskId = created.task.taskId;
        for (let i = 0; i < 3; i++) assert.equal((await client.experimental.tasks.getTask(taskId)).status, 'working');
        const listed = await client.experimental.tasks.listTasks();
        assert.ok(listed.tasks.some(task => task.taskId === taskId));
        assert.equal((await client.experimental.tasks.cancelTask(taskId)).status, 'cancelled');
        for (let i = 0; i < 3; i++) assert.equal((await client.experimental.tasks.getTask(taskId)).status, 'cancelled');
        await client.close();
    });

    await t.test('notifications/cancelled sent to another instance stops the call', async () => {
        const { sessionId } = await rawInitialize(fleet.url);
        const session = { 'mcp-session-id': sessionId };
        const started = Date.now();
        const slow = post(fleet.url, { jsonrpc: '2.0', id: 71, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 8000 } } }, session);
        await sleep(400);
        const notice = await post(fleet.url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 71 } }, session);
        assert.equal(notice.status, 202);
        const answer = await slow;
        assert.ok(Date.now() - started < 4000, 'the call ended with the cancellation, not after 8 s');
        assert.ok(!answer.text.includes('"id":71'), 'no response follows a cancellation');
    });

    await t.test('DELETE on one instance ends the session on every instance', async () => {
        const { client, transport } = await connect(fleet.url);
        await client.ping();
        const sessionId = transport.sessionId;
        await transport.terminateSession();
        for (let i = 0; i < 3; i++) {
            const reused = await post(fleet.url, { jsonrpc: '2.0', id: 10 + i, method: 'ping' }, { 'mcp-session-id': sessionId });
            assert.equal(reused.status, 404, `try ${i}: ${reused.text}`);
            assert.match(reused.json.error.message, /ended/);
        }
    });

    await t.test('2025-03-26 batches', async () => {
        const { sessionId } = await rawInitialize(fleet.url, {}, '2025-03-26');
        for (let i = 0; i < 3; i++) {
            const batch = [
                { jsonrpc: '2.0', id: 1, method: 'ping' },
                { jsonrpc: '2.0', id: 'two', method: 'tools/call', params: { name: 'echo', arguments: { text: `batch ${i}` } } }
            ];
            const response = await post(fleet.url, batch, { 'mcp-session-id': sessionId });
            assert.equal(response.status, 200);
            const messages = response.text.split('\n').filter(l => l.startsWith('data: ')).map(l => JSON.parse(l.slice(6)));
            assert.deepEqual(messages.map(m => m.id), [1, 'two']);
            assert.equal(messages[1].result.content[0].text, `batch ${i}`);
        }
    });

    await t.test('a 2024-11-05 HTTP+SSE client: POSTs to other instances are answered on its stream', async () => {
        const client = new Client({ name: 'fleet-sse', version: '1' }, { capabilities: { elicitation: {} } });
        client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { username: 'grace', email: 'g@h.i' } }));
        await client.connect(new SSEClientTransport(new URL('/sse', fleet.url)));
        for (let i = 0; i < 4; i++) {
            const echoed = await client.callTool({ name: 'echo', arguments: { text: `over sse ${i}` } });
            assert.equal(echoed.content[0].text, `over sse ${i}`);
        }
        const elicited = await client.callTool({ name: 'test_elicitation', arguments: { message: 'who?' } });
        assert.match(elicited.content[0].text, /grace/);
        await client.close();
        const stale = await post(new URL('/messages?sessionId=nope', fleet.url), { jsonrpc: '2.0', id: 1, method: 'ping' });
        assert.equal(stale.status, 404);
    });

    await t.test('every instance took part', () => {
        const calls = servedBy(fleet.shims, 'tools/call');
        assert.ok(calls.every(n => n >= 2), `tools/call per instance: ${calls}`);
        assert.ok(fleet.shims.some(shim => shim.logs().includes('note=handed to the instance holding the stream')),
                  'an HTTP+SSE POST was handed over');
    });
});

test('a subscription made on one instance feeds the GET stream held by another', async t => {
    // One modern instance: a resource change on one modern instance does not
    // reach the listen streams of another (that fan-out is the modern deployment's).
    const fleet = await startFleet(t, { upstreams: 1 });
    const { client } = await connect(fleet.url);
    const updates = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, n => updates.push(n.params.uri));
    await sleep(500); // the SDK opens its GET stream after initialized
    await client.subscribeResource({ uri: 'test://fleet-watched' });
    await sleep(600); // the stream's instance hears of it and listens anew
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://fleet-watched' } });
    await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://fleet-other' } });
    await sleep(400);
    assert.deepEqual(updates, ['test://fleet-watched', 'test://fleet-watched', 'test://fleet-watched']);
    await client.unsubscribeResource({ uri: 'test://fleet-watched' });
    await sleep(600);
    await client.callTool({ name: 'test_touch_resource', arguments: { uri: 'test://fleet-watched' } });
    await sleep(400);
    assert.equal(updates.length, 3, 'no update after unsubscribing on yet another instance');
    await client.close();
});

test('streams resumed with Last-Event-ID on another instance', async t => {
    const fleet = await startFleet(t, { shimArgs: ['--poll-after-ms', '200', '--sse-retry-ms', '50', '--fleet-heartbeat-ms', '200'] });

    await t.test('a raw client: the priming event from one instance, the answer from another', async () => {
        const { sessionId } = await rawInitialize(fleet.url);
        const call = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 900 } } };
        const [priming, ...rest] = events((await post(fleet.url, call, { 'mcp-session-id': sessionId })).text);
        assert.match(priming.id, /^[0-9a-f]+_0$/);
        assert.deepEqual(rest, [], 'the stream closed before the answer');
        const resumed = await resume(fleet.url, sessionId, priming.id);
        assert.equal(resumed.status, 200);
        const answer = events(resumed.text).find(e => e.data);
        assert.equal(JSON.parse(answer.data).result.content[0].text, 'slept 900 ms');
        assert.equal(answer.id, priming.id.replace(/_0$/, '_1'));
    });

    await t.test('the official SDK client follows the polling pattern across instances', async () => {
        const { client } = await connect(fleet.url);
        for (let i = 0; i < 3; i++) {
            const result = await client.callTool({ name: 'test_slow', arguments: { ms: 500 } });
            assert.equal(result.content[0].text, 'slept 500 ms');
        }
        await client.close();
    });

    await t.test('the instance serving a slow call is killed: the resumed stream ends with an error, not a hang', async () => {
        const { sessionId } = await rawInitialize(fleet.url);
        const call = { jsonrpc: '2.0', id: 'doomed', method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 6000 } } };
        const [priming] = events((await post(fleet.url, call, { 'mcp-session-id': sessionId })).text);
        const stream = priming.id.replace(/_0$/, '');
        const owner = spawnSync('redis-cli', ['-p', String(fleet.redis.port), 'HGET', `mcpshim:r:${stream}`, 'owner'], { encoding: 'utf8' }).stdout.trim();
        const serving = fleet.shims.find(shim => shim.logs().includes(`as instance ${owner}`));
        assert.ok(serving, `the instance ${owner} that writes the stream is one of ours`);
        const started = Date.now();
        serving.child.kill('SIGKILL');
        let resumed;
        for (let i = 0; i < 6; i++) {
            resumed = await resume(fleet.url, sessionId, priming.id);
            if (resumed.status !== 502) break; // nginx tried the dead instance
        }
        assert.equal(resumed.status, 200);
        const [error] = events(resumed.text).filter(e => e.data).map(e => JSON.parse(e.data));
        assert.equal(error.id, 'doomed');
        assert.equal(error.error.data.reason, 'instance_stopped');
        assert.match(error.error.message, /may or may not have run/);
        assert.ok(Date.now() - started < 4000, 'ended after the heartbeat lapsed, not when the call would have');
    });
});

test('the store goes away mid-walk and comes back: errors name the store, nothing hangs, the walk recovers', async t => {
    const fleet = await startFleet(t, { count: 2 });
    const { client } = await connect(fleet.url);
    await client.setLoggingLevel('info');
    await fleet.redis.stop();
    // What needs no shared state is still served.
    for (let i = 0; i < 4; i++) {
        const echoed = await client.callTool({ name: 'echo', arguments: { text: `while away ${i}` } });
        assert.equal(echoed.content[0].text, `while away ${i}`);
    }
    // What does is refused, naming the store.
    await assert.rejects(client.setLoggingLevel('debug'), error => error.message.includes(fleet.redis.url.slice(0, 18)));
    const ready = await fetch(new URL('/readyz', fleet.url));
    assert.equal(ready.status, 503);
    assert.match(await ready.text(), /session store/);
    // A DELETE it cannot share is said to be this instance's alone.
    const { sessionId } = await rawInitialize(fleet.url);
    const deleted = await fetch(fleet.url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
    assert.equal(deleted.status, 503);
    assert.match((await deleted.json()).error.message, /ended on this instance only; DELETE again/);
    await fleet.redis.start();
    await sleep(700); // --redis-retry-ms 200: the connections and the subscription come back
    await client.setLoggingLevel('debug');
    const messages = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, n => messages.push(n.params.data));
    for (let i = 0; i < 2; i++) await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
    assert.equal(messages.length, 6);
    for (let i = 0; i < 2; i++) assert.equal((await fetch(new URL('/readyz', fleet.url))).status, 200);
    await client.close();
});

test('an instance started while the store is down serves once it is up', async t => {
    const fleet = await startFleet(t, { count: 1, redisDown: true });
    assert.equal((await fetch(new URL('/readyz', fleet.url))).status, 503);
    const { client } = await connect(fleet.url);
    assert.equal((await client.callTool({ name: 'echo', arguments: { text: 'no store yet' } })).content[0].text, 'no store yet');
    await fleet.redis.start();
    await sleep(700);
    await client.setLoggingLevel('debug');
    assert.equal((await fetch(new URL('/readyz', fleet.url))).status, 200);
    await client.close();
});

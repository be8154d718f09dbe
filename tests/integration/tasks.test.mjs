// Tasks: 2025-11-25 clients that declared tasks drive the legacy task
// methods over the upstream's tasks extension; other clients get the final
// result as if the call had blocked. Official legacy SDK clients, real
// modern fixture servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CallToolResultSchema, Client, ElicitRequestSchema, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, startFixture, startShim } from './harness.mjs';
import { callAsTask } from './task-client.mjs';

const TASK_CLIENT_CAPABILITIES = { tasks: { list: {}, cancel: {} }, elicitation: {} };

async function connect(url, capabilities, onElicit) {
    const client = new Client({ name: 'tasks-test', version: '1' }, { capabilities });
    if (onElicit) client.setRequestHandler(ElicitRequestSchema, onElicit);
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
}

test('tasks', async t => {
    const start = processGroup(t);
    const first = await start(startFixture('tasks-a'));
    const second = await start(startFixture('tasks-b'));
    // Two instances: a task lives on one, so every request about it must go there.
    const shim = await start(startShim([first.url, second.url], ['--task-poll-min-ms', '20']));

    await t.test('a task client sees the capability and tools open to task augmentation', async () => {
        const client = await connect(shim.url, TASK_CLIENT_CAPABILITIES);
        assert.deepEqual(client.getServerCapabilities().tasks, { list: {}, cancel: {}, requests: { tools: { call: {} } } });
        const { tools } = await client.listTools();
        assert.equal(tools.find(tool => tool.name === 'test_task').execution.taskSupport, 'optional');
        await client.close();
        const plain = await connect(shim.url, {});
        assert.equal(plain.getServerCapabilities().tasks, undefined);
        await plain.close();
    });

    await t.test('task-augmented calls run on the upstream task, pinned to its instance', async () => {
        const client = await connect(shim.url, TASK_CLIENT_CAPABILITIES);
        for (let i = 0; i < 4; i++) {
            const seen = await callAsTask(client, 'test_task', { ms: 60 });
            assert.equal(seen.error, undefined, String(seen.error));
            assert.match(seen.created.taskId, /^[0-9a-f-]{36}$/);
            assert.equal(seen.created.ttl, 60000);
            assert.ok(seen.statuses.includes('completed'));
            assert.equal(seen.result.content[0].text, `task ${seen.created.taskId} done after 60 ms`);
        }
        await client.close();
    });

    await t.test('a task that needs input asks through tasks/result, tagged with the task', async () => {
        const related = [];
        const client = await connect(shim.url, TASK_CLIENT_CAPABILITIES, request => {
            related.push(request.params._meta?.['io.modelcontextprotocol/related-task']?.taskId);
            return { action: 'accept', content: { confirmed: true } };
        });
        const seen = await callAsTask(client, 'test_task', { ms: 30, ask: true });
        assert.equal(seen.error, undefined, String(seen.error));
        assert.equal(seen.result.content[0].text, `task ${seen.created.taskId} confirmed=true`);
        assert.deepEqual(related, [seen.created.taskId]);
        await client.close();
    });

    await t.test('get, list and cancel', async () => {
        const client = await connect(shim.url, TASK_CLIENT_CAPABILITIES);
        const created = await client.request(
            { method: 'tools/call', params: { name: 'test_task', arguments: { ms: 20000 }, task: { ttl: 60000 } } },
            (await import('../../fixtures/node_modules/@modelcontextprotocol/sdk/dist/esm/types.js')).CreateTaskResultSchema
        );
        const taskId = created.task.taskId;
        assert.equal((await client.experimental.tasks.getTask(taskId)).status, 'working');
        const listed = await client.experimental.tasks.listTasks();
        assert.deepEqual(listed.tasks.map(task => task.taskId), [taskId]);
        const cancelled = await client.experimental.tasks.cancelTask(taskId);
        assert.equal(cancelled.status, 'cancelled');
        assert.equal((await client.experimental.tasks.getTask(taskId)).status, 'cancelled');
        await assert.rejects(client.experimental.tasks.cancelTask(taskId), error => error.code === -32602);
        await assert.rejects(client.experimental.tasks.getTask('no-such-task'), error => error.code === -32602);
        await client.close();
    });

    await t.test('a task-augmented call answered at once becomes a completed task the shim holds', async () => {
        const client = await connect(shim.url, TASK_CLIENT_CAPABILITIES);
        const seen = await callAsTask(client, 'echo', { text: 'right away' });
        assert.match(seen.created.taskId, /^mcpshim-task-/);
        assert.equal(seen.created.status, 'completed');
        assert.equal(seen.result.content[0].text, 'right away');
        await client.close();
    });

    await t.test('a client without tasks gets the result as if the call blocked, with progress', async () => {
        const client = await connect(shim.url, {});
        const progress = [];
        const result = await client.callTool({ name: 'test_task', arguments: { ms: 300 } }, undefined, {
            onprogress: p => progress.push(p)
        });
        assert.match(result.content[0].text, /^task [0-9a-f-]{36} done after 300 ms$/);
        assert.ok(progress.length >= 1, 'progress while the shim polled');
        assert.deepEqual(progress.map(p => p.progress), progress.map((_, i) => i + 1));
        await client.close();
    });

    await t.test('a client without tasks answers the task input as a plain elicitation', async () => {
        const client = await connect(shim.url, { elicitation: {} }, () => ({ action: 'accept', content: { confirmed: false } }));
        const result = await client.callTool({ name: 'test_task', arguments: { ms: 30, ask: true } });
        assert.match(result.content[0].text, /confirmed=false$/);
        await client.close();
    });

    await t.test('a failed task is the call error', async () => {
        const client = await connect(shim.url, {});
        await assert.rejects(client.callTool({ name: 'test_task', arguments: { ms: 30, fail: true } }), /the task failed on purpose/);
        const tasking = await connect(shim.url, TASK_CLIENT_CAPABILITIES);
        const seen = await callAsTask(tasking, 'test_task', { ms: 30, fail: true });
        assert.ok(seen.statuses.includes('failed'));
        await client.close();
        await tasking.close();
    });

    await t.test('task methods are refused to a client that did not declare tasks', async () => {
        const client = await connect(shim.url, {});
        await assert.rejects(client.request({ method: 'tasks/list', params: {} }, CallToolResultSchema), error => error.code === -32601);
        await client.close();
    });
});

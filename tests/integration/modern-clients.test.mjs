// Modern (2026-07-28) clients on the shim's endpoint, passed through to the
// modern server untranslated, alongside legacy clients on the same shim.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '../../fixtures/lib/modern-sdk.mjs';
import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, startFaultUpstream, startFixture, startShim } from './harness.mjs';

const META = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1' },
    'io.modelcontextprotocol/clientCapabilities': {}
};

// A modern request as a conforming client sends it: _meta, and the mirrored headers.
function modernPost(url, method, params = {}, { id = 1, headers = {}, meta = META } = {}) {
    const name = params.name ?? params.uri ?? params.taskId;
    return post(
        url,
        { jsonrpc: '2.0', id, method, params: { ...params, _meta: meta } },
        {
            'mcp-protocol-version': meta['io.modelcontextprotocol/protocolVersion'],
            'mcp-method': method,
            ...(name === undefined ? {} : { 'mcp-name': name }),
            ...headers
        }
    );
}

// The shim's log, once it has a line matching `pattern` (lines follow their answers).
async function logged(shim, pattern) {
    for (let waited = 0; !pattern.test(shim.logs()) && waited < 5000; waited += 25) await new Promise(r => setTimeout(r, 25));
    assert.match(shim.logs(), pattern);
    return shim.logs();
}

async function modernClient(url) {
    // 'auto': a dual-era client, probing with a modern request first.
    const client = new ModernClient(
        { name: 'modern-e2e', version: '1.0.0' },
        { capabilities: { elicitation: {} }, versionNegotiation: { mode: 'auto' } }
    );
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Alice' } }));
    await client.connect(new ModernTransport(new URL(url)));
    return client;
}

async function legacyClient(url) {
    const client = new Client({ name: 'legacy-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
}

// What a modern client sees of the server: the same through the shim as directly.
async function modernView(url) {
    const client = await modernClient(url);
    const era = client.getProtocolEra();
    const version = client.getNegotiatedProtocolVersion();
    const { tools } = await client.listTools();
    const simple = await client.callTool({ name: 'test_simple_text', arguments: {} });
    const greeted = await client.callTool({ name: 'test_input_required_result_elicitation', arguments: {} });
    const changes = [];
    client.setNotificationHandler('notifications/tools/list_changed', notification => changes.push(notification.method));
    const subscription = await client.listen({ toolsListChanged: true });
    await client.callTool({ name: 'test_trigger_tool_change', arguments: {} });
    for (let waited = 0; changes.length === 0 && waited < 5000; waited += 25) await new Promise(r => setTimeout(r, 25));
    await subscription.close();
    await client.close();
    return {
        era,
        version,
        server: client.getServerVersion()?.name,
        tools: tools.map(tool => tool.name).sort(),
        simple: simple.content,
        greeted: greeted.content,
        changes
    };
}

// A task through raw requests: the handle, then tasks/get until it is done.
async function runTask(url) {
    const meta = { ...META, 'io.modelcontextprotocol/clientCapabilities': { extensions: { 'io.modelcontextprotocol/tasks': {} } } };
    const started = await modernPost(url, 'tools/call', { name: 'test_task', arguments: { ms: 100 } }, { meta });
    assert.equal(started.status, 200, started.text);
    const taskId = started.json.result.taskId ?? started.json.result.task?.taskId;
    assert.ok(taskId, `a task handle: ${started.text}`);
    for (let round = 0; round < 100; ++round) {
        const polled = await modernPost(url, 'tasks/get', { taskId }, { id: 10 + round, meta });
        assert.equal(polled.status, 200, polled.text);
        const status = polled.json.result.status ?? polled.json.result.task?.status;
        if (status === 'completed') return polled.json.result;
        await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('the task never completed');
}

test('a modern client sees through the shim what it sees directly, while a legacy client uses the same shim', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));

    const direct = await modernView(fixture.url);
    assert.equal(direct.era, 'modern');
    assert.equal(direct.version, '2026-07-28');
    assert.deepEqual(direct.greeted, [{ type: 'text', text: 'Hello, Alice!' }]);
    assert.deepEqual(direct.changes, ['notifications/tools/list_changed']);

    const legacy = await legacyClient(shim.url);
    const [through, legacyAnswers] = await Promise.all([
        modernView(shim.url),
        Promise.all(Array.from({ length: 20 }, (_, i) => legacy.callTool({ name: 'echo', arguments: { text: `legacy ${i}` } })))
    ]);
    assert.deepEqual(through, direct, 'the modern client cannot tell the shim is there');
    assert.deepEqual(
        legacyAnswers.map(answer => answer.content[0].text),
        Array.from({ length: 20 }, (_, i) => `legacy ${i}`)
    );
    const task = await runTask(shim.url);
    assert.match(JSON.stringify(task), /done after 100 ms/);
    await legacy.close();

    await logged(shim, /POST \/mcp 200 sid=- rpc=tools\/call #\d+ upstream=\S+ [\d.]+ms era=modern/);
    const log = await logged(shim, /POST \/mcp 200 sid=\S+ rpc=tools\/call #\d+ upstream=\S+ [\d.]+ms era=legacy/);
    assert.doesNotMatch(log, /sid=[0-9a-f]+ rpc=tools\/call #\d+ upstream=\S+ [\d.]+ms era=modern/, 'no session for modern requests');
});

test('modern requests the shim refuses itself, and what it leaves to the server', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-body-bytes', '4096']));

    await t.test('Mcp-Method disagreeing with the body: 400 HeaderMismatch with the id, not forwarded', async () => {
        const answer = await modernPost(shim.url, 'tools/list', {}, { id: 41, headers: { 'mcp-method': 'prompts/list' } });
        assert.equal(answer.status, 400);
        assert.equal(answer.json.id, 41);
        assert.equal(answer.json.error.code, -32020);
        assert.match(answer.json.error.message, /Mcp-Method is 'prompts\/list'/);
        await logged(shim, /POST \/mcp 400 sid=- rpc=tools\/list #41 upstream=- [\d.]+ms era=modern note=Header mismatch/);
    });

    await t.test('Mcp-Name missing on tools/call: 400 HeaderMismatch', async () => {
        const answer = await post(
            shim.url,
            { jsonrpc: '2.0', id: 42, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' }, _meta: META } },
            { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }
        );
        assert.equal(answer.status, 400);
        assert.equal(answer.json.error.code, -32020);
    });

    await t.test('a body over --max-body-bytes: 413 naming the option', async () => {
        const answer = await modernPost(shim.url, 'tools/call', { name: 'echo', arguments: { text: 'x'.repeat(8000) } }, { id: 43 });
        assert.equal(answer.status, 413);
        assert.match(answer.text, /--max-body-bytes/);
    });

    await t.test('a protocol version nobody speaks: the server answers UnsupportedProtocolVersion, passed through', async () => {
        const meta = { ...META, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' };
        const answer = await modernPost(shim.url, 'tools/list', {}, { id: 44, meta });
        assert.equal(answer.status, 400);
        assert.equal(answer.json.id, 44);
        assert.ok(Array.isArray(answer.json.error.data?.supported), answer.text);
        assert.ok(answer.json.error.data.supported.includes('2026-07-28'));
    });

    await t.test('GET and DELETE stay legacy: without a session they are refused as before', async () => {
        const response = await fetch(shim.url, { method: 'DELETE', headers: { 'mcp-protocol-version': '2026-07-28' } });
        assert.equal(response.status, 400);
    });
});

test('an upstream that breaks a modern stream mid-answer: the events so far, then an error for the request', async t => {
    const start = processGroup(t);
    const broken = await start(startFaultUpstream('reset-mid-stream'));
    const shim = await start(startShim([broken.url]));
    const started = Date.now();
    const answer = await modernPost(shim.url, 'tools/call', { name: 'anything', arguments: {} }, { id: 7 });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type'), /text\/event-stream/);
    const events = answer.text
        .split(/\n\n/)
        .map(block => block.split('\n').filter(line => line.startsWith('data:')).map(line => line.slice(5).trim()).join('\n'))
        .filter(Boolean)
        .map(data => JSON.parse(data));
    assert.equal(events[0].method, 'notifications/progress', 'the whole event before the break arrives');
    const last = events.at(-1);
    assert.equal(last.id, 7);
    assert.equal(last.error.code, -32603);
    assert.match(last.error.message, /broke/);
    assert.ok(Date.now() - started < 10000, 'nothing hangs');
});

test('--modern-clients reject: a legacy-only front that modern clients fall back from', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--modern-clients', 'reject']));
    const answer = await modernPost(shim.url, 'server/discover', {}, { id: 3 });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, -32600, 'not a modern error: a dual-era client falls back to initialize');
    assert.match(answer.json.error.message, /--modern-clients reject/);
    const legacy = await legacyClient(shim.url);
    const echoed = await legacy.callTool({ name: 'echo', arguments: { text: 'still served' } });
    assert.equal(echoed.content[0].text, 'still served');
    await legacy.close();
});

test('a modern client that closes its connection cancels the request upstream', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const abort = new AbortController();
    const slow = fetch(shim.url, {
        method: 'POST',
        signal: abort.signal,
        headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2026-07-28',
            'mcp-method': 'tools/call',
            'mcp-name': 'test_slow'
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 20000 }, _meta: META } })
    }).catch(error => error);
    await new Promise(r => setTimeout(r, 300));
    abort.abort();
    await slow;
    let cancelled = '0';
    for (let waited = 0; cancelled === '0' && waited < 5000; waited += 50) {
        await new Promise(r => setTimeout(r, 50));
        const count = await modernPost(shim.url, 'tools/call', { name: 'test_cancelled_count', arguments: {} }, { id: 10 });
        cancelled = count.json.result.content[0].text;
    }
    assert.equal(cancelled, '1', 'the upstream saw its stream close');
    await logged(shim, /rpc=tools\/call #9 upstream=\S+ [\d.]+ms era=modern note=the client closed its connection/);
});

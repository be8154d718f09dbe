// A failure inside the shim never loses an answer: failpoints
// (MCPSHIM_FAILPOINTS) make the relay or the HTTP face throw, and the client
// still gets a JSON-RPC error, the log names what failed, and the next
// request is served.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';

import { logged, post, processGroup, rawInitialize, rawStdio, startFixture, startShim } from './harness.mjs';

const call = (id, name, args = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

test('a throw in the relay answers that request with an error, logged; other requests are served', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], [], { MCPSHIM_FAILPOINTS: 'relay.serve:tools/call' }));
    const session = await rawInitialize(shim.url);
    const headers = { 'mcp-session-id': session.sessionId, 'mcp-protocol-version': '2025-11-25' };
    const failed = await post(shim.url, call(2, 'echo', { text: 'x' }), headers);
    assert.equal(failed.json.id, 2);
    assert.equal(failed.json.error.code, -32603);
    assert.match(failed.json.error.message, /the shim failed on this request: failpoint relay\.serve:tools\/call/);
    const line = /rpc=tools\/call #2: the shim failed on this request: failpoint relay\.serve:tools\/call/;
    assert.match(await logged(shim, line), line);
    const listed = await post(shim.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, headers);
    assert.ok(listed.json.result.tools.length > 0, 'the next request is served');
});

test('a throw in the HTTP face answers 500 with a JSON-RPC error, logged; the shim keeps serving', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], [], { MCPSHIM_FAILPOINTS: 'http.route:/mcp' }));
    const failed = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'ping' });
    assert.equal(failed.status, 500);
    assert.equal(failed.json.error.code, -32603);
    assert.match(failed.json.error.message, /failpoint http\.route:\/mcp/);
    const line = /POST \/mcp: the shim failed on this request: failpoint http\.route:\/mcp/;
    assert.match(await logged(shim, line), line);
    const health = await fetch(new URL('/healthz', shim.url));
    assert.equal(health.status, 200, 'other paths are served');
});

test('over stdio, a throw in the relay answers that request with an error line', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const stdio = rawStdio(t, ['--upstream', fixture.url], { MCPSHIM_FAILPOINTS: 'relay.serve:tools/call' });
    stdio.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } });
    stdio.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    stdio.send(call(2, 'echo', { text: 'x' }));
    stdio.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    const failed = await stdio.answer(2);
    assert.equal(failed.error?.code, -32603, JSON.stringify(stdio.lines));
    assert.match(failed.error.message, /failpoint relay\.serve:tools\/call/);
    assert.deepEqual((await stdio.answer(3)).result, {});
    assert.match(stdio.stderr(), /the shim failed on this request: failpoint/);
    stdio.child.stdin.end();
    await once(stdio.child, 'exit');
});

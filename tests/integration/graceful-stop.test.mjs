// SIGTERM: the shim stops taking connections, answers what is under way (up
// to --drain-timeout-ms), then leaves; a second signal, or the drain time
// passing, stops it at once.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { test } from 'node:test';

import { logged, post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const slowCall = (id, ms) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_slow', arguments: { ms } } });

test('a call under way when SIGTERM comes is answered before the shim leaves', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { sessionId } = await rawInitialize(shim.url);
    const pending = post(shim.url, slowCall(3, 1000), { 'mcp-session-id': sessionId });
    await sleep(200);
    const exited = once(shim.child, 'exit');
    shim.child.kill('SIGTERM');
    await sleep(100);
    const { port } = new URL(shim.url);
    const refused = await new Promise(resolve => {
        const socket = createConnection({ host: '127.0.0.1', port: Number(port) }, () => {
            socket.destroy();
            resolve(false);
        });
        socket.on('error', error => resolve(error.code === 'ECONNREFUSED'));
    });
    assert.ok(refused, 'no new connection is taken');
    const answer = await pending;
    assert.equal(answer.json.result.content[0].text, 'slept 1000 ms');
    const [code] = await exited;
    assert.equal(code, 0);
    assert.match(shim.logs(), /every request under way was answered/);
});

test('past --drain-timeout-ms the shim leaves anyway, and says what it left', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--drain-timeout-ms', '300']));
    const { sessionId } = await rawInitialize(shim.url);
    const pending = post(shim.url, slowCall(4, 5000), { 'mcp-session-id': sessionId }).catch(error => error);
    await sleep(200);
    const started = Date.now();
    const exited = once(shim.child, 'exit');
    shim.child.kill('SIGTERM');
    await exited;
    assert.ok(Date.now() - started < 2000, 'left after the drain time, not after the call');
    assert.match(await logged(shim, /unanswered/), /--drain-timeout-ms.*1 request unanswered/);
    await pending;
});

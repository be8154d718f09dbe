// notifications/cancelled from a legacy client closes the upstream stream of
// that request (the 2026-07-28 way to cancel), and no answer follows.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { post, processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function cancelledCount(url, sessionId) {
    const response = await post(url, { jsonrpc: '2.0', id: 900, method: 'tools/call', params: { name: 'test_cancelled_count', arguments: {} } }, { 'mcp-session-id': sessionId });
    return Number(response.json.result.content[0].text);
}

// Starts a 5-second call, cancels it 300 ms later; its POST's answer and how long it took.
async function cancelSlowCall(url, sessionId, id) {
    const session = { 'mcp-session-id': sessionId };
    const started = Date.now();
    const slow = post(url, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_slow', arguments: { ms: 5000 } } }, session);
    await sleep(300);
    const notice = await post(url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user' } }, session);
    assert.equal(notice.status, 202);
    const answer = await slow;
    return { answer, ms: Date.now() - started };
}

test('cancellation reaches the upstream', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { sessionId } = await rawInitialize(shim.url);
    const session = { 'mcp-session-id': sessionId };

    await t.test('a raw client: the POST ends without an answer, the upstream saw the cancellation', async () => {
        const { answer, ms } = await cancelSlowCall(shim.url, sessionId, 77);
        assert.ok(ms < 3000, 'the cancelled request did not run to the end');
        assert.equal(answer.status, 200);
        assert.ok(!answer.text.includes('"id":77'), 'no response follows a cancellation');
        await sleep(100);
        assert.equal(await cancelledCount(shim.url, sessionId), 1);
    });

    await t.test('a cancellation while the shim waits for the client\'s input ends the wait at once', async () => {
        const asking = await rawInitialize(shim.url, {}, '2025-11-25', { elicitation: {} });
        const headers = { 'mcp-session-id': asking.sessionId };
        const started = Date.now();
        const pending = post(shim.url, { jsonrpc: '2.0', id: 88, method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'x' } } }, headers);
        await sleep(300);
        await post(shim.url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 88 } }, headers);
        const answer = await pending;
        assert.ok(Date.now() - started < 3000, 'the wait (--input-timeout-ms is 120 s) ended with the cancellation');
        assert.match(answer.text, /elicitation\/create/, 'the input request had gone out');
        assert.ok(!answer.text.includes('"id":88'), 'no response follows a cancellation');
    });

    await t.test('the official SDK client aborting a call', async () => {
        const client = new Client({ name: 'canceller', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(shim.url)));
        const abort = new AbortController();
        const call = client.callTool({ name: 'test_slow', arguments: { ms: 5000 } }, undefined, { signal: abort.signal });
        await sleep(300);
        abort.abort('changed my mind');
        await assert.rejects(call);
        await sleep(300);
        assert.equal(await cancelledCount(shim.url, sessionId), 2);
        await client.close();
    });
});

test('cancellation reaches the upstream while the shim races a polling deadline (--poll-after-ms)', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    // The deadline is later than the cancellation: the upstream read runs in its own coroutine meanwhile.
    const shim = await start(startShim([fixture.url], ['--poll-after-ms', '2000']));
    const { sessionId } = await rawInitialize(shim.url);
    const { answer, ms } = await cancelSlowCall(shim.url, sessionId, 78);
    assert.ok(ms < 1800, 'the cancelled request ended before the polling deadline');
    assert.ok(!answer.text.includes('"id":78'), 'no response follows a cancellation');
    await sleep(100);
    assert.equal(await cancelledCount(shim.url, sessionId), 1);
});

// Attacks on the shim from outside, each as a hostile client or a hostile
// upstream would make it over loopback, and what the shim must answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { test } from 'node:test';

import { post, processGroup, rawExchange, rawInitialize, sanitizedShim, shimBinary, startFixture, startHostileUpstream, startShim } from './harness.mjs';

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const call = (id, name, args = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const sessionHeaders = sessionId => ({ 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });

function keysObject(count) {
    const parts = [];
    for (let i = 0; i < count; i++) parts.push(`"k${i}":0`);
    return `{${parts.join(',')}}`;
}

test('an object with hundreds of thousands of members is refused at once, and the shim keeps serving', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":${keysObject(300000)}}`;
    assert.ok(body.length < 4 * 1024 * 1024, 'under --max-body-bytes');
    const refused = await post(shim.url, body);
    assert.equal(refused.status, 400);
    assert.match(refused.json.error.message, /--max-object-members/);
    // Raised past it, the same body parses in linear time and is answered.
    const raised = await start(startShim([fixture.url], ['--max-object-members', '400000']));
    const answered = await post(raised.url, body);
    assert.equal(answered.status, 400, 'the params are not an initialize request');
    assert.ok(answered.json.error, 'answered with a JSON-RPC error');
    const ok = await rawInitialize(raised.url);
    assert.equal(ok.status, 200);
});

test('hostile upstream answers: deep nesting, smuggled bytes, binary errors, 1xx heads, comment-only streams', async t => {
    const start = processGroup(t);
    const upstream = await start(startHostileUpstream());
    const shim = await start(startShim([upstream.url], ['--upstream-idle-timeout-ms', '1000']));
    const a = await rawInitialize(shim.url);
    const b = await rawInitialize(shim.url, { authorization: 'Bearer someone-else' });
    assert.equal(a.status, 200);

    const deep = await post(shim.url, call(2, 'deep'), sessionHeaders(a.sessionId));
    assert.equal(deep.status, 502);
    assert.match(deep.json.error.message, /--max-json-depth/);
    const deepSse = await post(shim.url, call(3, 'deep-sse'), sessionHeaders(a.sessionId));
    assert.match(deepSse.text, /--max-json-depth/);
    assert.equal((await post(shim.url, { jsonrpc: '2.0', id: 4, method: 'ping' }, sessionHeaders(a.sessionId))).status, 200, 'still up');

    // Bytes after a complete answer never reach the next request, whoever sends it.
    const first = await post(shim.url, call(5, 'smuggle'), sessionHeaders(a.sessionId));
    assert.equal(first.json.result.content[0].text, 'first');
    await sleep(100);
    for (let i = 0; i < 4; i++) {
        const next = await post(shim.url, call(6 + i, 'echo'), { ...sessionHeaders(b.sessionId), authorization: 'Bearer someone-else' });
        assert.doesNotMatch(next.text, /SMUGGLED/);
        assert.equal(next.json.result.content[0].text, 'plain echo');
    }

    const binary = await post(shim.url, call(20, 'binary-500'), sessionHeaders(a.sessionId));
    assert.equal(binary.status, 502);
    assert.match(binary.json.error.message, /HTTP 500/);
    assert.ok(!binary.text.includes('\ufffd\ufffd\ufffd\ufffd\ufffd'), 'at most the bad bytes replaced');

    const hinted = await post(shim.url, call(21, 'early-hints'), sessionHeaders(a.sessionId));
    assert.equal(hinted.json.result.content[0].text, 'after hints');

    // Well-formed JSON of the wrong shape: an error that names what is wrong, and a log line.
    const wrongType = await post(shim.url, call(23, 'wrong-type'), sessionHeaders(a.sessionId));
    assert.equal(wrongType.status, 502);
    assert.match(wrongType.json.error.message, /malformed JSON-RPC response: "error" needs an integer "code"/);
    const wrongSse = await post(shim.url, call(24, 'wrong-sse'), sessionHeaders(a.sessionId));
    assert.match(wrongSse.text, /malformed JSON-RPC message: \\"params\\" must be an object/);
    assert.match(shim.logs(), /tools\/call #23 .*malformed/);

    const started = Date.now();
    const quiet = await post(shim.url, call(22, 'comments'), sessionHeaders(a.sessionId));
    assert.match(quiet.text, /only comments/);
    assert.ok(Date.now() - started < 10000);
});

test('HTTP+SSE: only the credentials that opened a stream may post to it, and once only initialize', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const controller = new AbortController();
    t.after(() => controller.abort());
    const stream = await fetch(new URL('/sse', shim.url), {
        headers: { accept: 'text/event-stream', authorization: 'Bearer alice' },
        signal: controller.signal
    });
    const reader = stream.body.getReader();
    let seen = '';
    const until = async pattern => {
        while (!pattern.test(seen)) {
            const { value, done } = await reader.read();
            if (done) break;
            seen += Buffer.from(value).toString();
        }
        return seen;
    };
    const endpoint = /event: endpoint\ndata: (\S+)/.exec(await until(/event: endpoint\ndata: \S+\n/))[1];
    const messages = new URL(endpoint, shim.url);
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'alice', version: '1' } } };
    assert.equal((await post(messages, init, { authorization: 'Bearer alice' })).status, 202);
    await until(/"id":1/);

    for (const headers of [{ authorization: 'Bearer mallory' }, {}]) {
        const injected = await post(messages, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'INJECTED' } } }, headers);
        assert.equal(injected.status, 404);
    }
    const again = await post(messages, { ...init, id: 3 }, { authorization: 'Bearer alice' });
    assert.equal(again.status, 202);
    await until(/"id":3/);
    assert.match(seen, /"id":3,"error":\{"code":-32600,"message":"this connection's session is already initialized/);
    assert.doesNotMatch(seen, /INJECTED/);

    // A batch far over the in-flight bound: the excess is answered with an error at once.
    const batch = Array.from({ length: 200 }, (_, i) => ({ jsonrpc: '2.0', id: 100 + i, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }));
    assert.equal((await post(messages, batch, { authorization: 'Bearer alice' })).status, 202);
    await until(/"id":299,/);
    assert.match(seen, /--max-requests-in-flight/);
});

test('HTTP+SSE: a client that does not read its stream is disconnected at the outbox bound', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-outbox-bytes', '200000']));
    const { port } = new URL(shim.url);
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    t.after(() => socket.destroy());
    const endpoint = await new Promise(resolve => {
        let text = '';
        socket.on('data', chunk => {
            text += chunk;
            const match = /data: (\/messages\S+)/.exec(text);
            if (match) {
                socket.pause(); // and never read again
                resolve(match[1]);
            }
        });
        socket.write(`GET /sse HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    const messages = new URL(endpoint, shim.url);
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'slow', version: '1' } } };
    await post(messages, init);
    const big = 'y'.repeat(100000);
    let refused = false;
    for (let i = 0; i < 200 && !refused; i++) {
        const sent = await post(messages, { jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params: { name: 'echo', arguments: { text: big } } });
        refused = sent.status === 404;
        if (i % 10 === 9) await sleep(50);
    }
    // The answers arrive after their 202s: give the last of them time to pile up.
    for (let i = 0; i < 50 && !refused; i++) {
        await sleep(100);
        refused = (await post(messages, { jsonrpc: '2.0', method: 'notifications/initialized' })).status === 404;
    }
    assert.ok(refused, 'the stream was closed: its sessionId is gone');
    assert.match(shim.logs(), /read too slowly/);
});

test('calls whose client left free their connection slot at once', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-connections', '20', '--input-timeout-ms', '60000']));
    const session = await rawInitialize(shim.url, {}, '2025-11-25', { elicitation: {} });
    const { port } = new URL(shim.url);
    const request = id => {
        const body = JSON.stringify(call(id, 'test_elicitation', { message: 'who?' }));
        return (
            `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
            `Accept: application/json, text/event-stream\r\nMcp-Session-Id: ${session.sessionId}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
        );
    };
    // Clients up to the bound get their elicitation, then leave.
    const outcomes = await Promise.all(
        Array.from({ length: 19 }, (_, i) =>
            new Promise(resolve => {
                const socket = createConnection({ host: '127.0.0.1', port: Number(port) }, () => socket.write(request(100 + i)));
                socket.on('data', chunk => {
                    if (String(chunk).includes('elicitation/create')) {
                        socket.destroy();
                        resolve('asked');
                    }
                });
                socket.on('close', () => resolve('closed'));
                socket.on('error', () => resolve('error'));
            })
        )
    );
    assert.equal(outcomes.filter(o => o === 'asked').length, 19, 'every client was asked');
    await sleep(300);
    // A new connection: with the abandoned calls still holding their slots it would get 503.
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' });
    const after = await rawExchange(
        shim.url,
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
            `Mcp-Session-Id: ${session.sessionId}\r\nContent-Length: ${ping.length}\r\nConnection: close\r\n\r\n${ping}`
    );
    assert.match(String(after), /^HTTP\/1\.1 200/, 'a slot is free well before --input-timeout-ms');
    assert.match(shim.logs(), /the client closed its connection/);
});

test('a second request under an id still under way is refused; the first is asked, cancelled and the id freed', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--input-timeout-ms', '60000']));
    const session = await rawInitialize(shim.url, {}, '2025-11-25', { elicitation: {} });
    const headers = sessionHeaders(session.sessionId);
    const first = post(shim.url, call(7, 'test_elicitation', { message: 'x' }), headers);
    await sleep(300);
    const second = await post(shim.url, call(7, 'test_elicitation', { message: 'x' }), headers);
    assert.equal(second.json.error.code, -32600);
    assert.match(second.json.error.message, /request id 7 is already in use/);
    assert.equal(second.json.id, 7);
    await post(shim.url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } }, headers);
    const asked = await first;
    assert.equal(asked.text.split('elicitation/create').length - 1, 1, 'the first call was asked, once');
    // Its id is free again once it ended.
    const again = await post(shim.url, call(7, 'echo', { text: 'again' }), headers);
    assert.ok(again.json.result, again.text);
});

test('DNS rebinding: a name that starts like a loopback address is not one', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { port } = new URL(shim.url);
    for (const headers of [`Host: 127.attacker.example:${port}`, `Host: 127.0.0.1:${port}\r\nOrigin: http://127.attacker.example`]) {
        const bytes = await rawExchange(shim.url, `POST /mcp HTTP/1.1\r\n${headers}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
        assert.match(String(bytes), /^HTTP\/1\.1 403/);
    }
    const allowed = await rawExchange(shim.url, `GET /healthz HTTP/1.1\r\nHost: [::1]:${port}\r\nConnection: close\r\n\r\n`);
    assert.match(String(allowed), /^HTTP\/1\.1 200/);
});

test('bytes that are not UTF-8 in headers get a clear answer, never silence', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const session = await rawInitialize(shim.url);
    const { port } = new URL(shim.url);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    const cases = [
        ['Origin: http://\xff\xfe', /^HTTP\/1\.1 403/],
        ['Content-Type: application/json\xff', /^HTTP\/1\.1 (200|415)/],
        ['MCP-Protocol-Version: 2025-\xff', /^HTTP\/1\.1 400/],
        ['traceparent: \xff\xfe', /^HTTP\/1\.1 200/],
        ['baggage: a=\xe4\xb8', /^HTTP\/1\.1 200/]
    ];
    for (const [header, expected] of cases) {
        const head =
            `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json, text/event-stream\r\n` +
            `Mcp-Session-Id: ${session.sessionId}\r\n${header.startsWith('Content-Type') ? '' : 'Content-Type: application/json\r\n'}` +
            `${header}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
        const bytes = await rawExchange(shim.url, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]));
        const text = bytes.toString();
        assert.match(text, expected, header);
        const json = text.slice(text.indexOf('\r\n\r\n') + 4);
        assert.doesNotThrow(() => JSON.parse(json), `${header}: a JSON body`);
    }
});

test('request framing follows RFC 9112: smuggling shapes are refused', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { port } = new URL(shim.url);
    const host = `Host: 127.0.0.1:${port}`;
    const inner = `GET /healthz HTTP/1.1\r\n${host}\r\n\r\n`;
    const cases = [
        [`POST /mcp HTTP/1.1\r\n${host}\r\nTransfer-Encoding: xchunked\r\nContent-Length: ${inner.length}\r\n\r\n${inner}`, /^HTTP\/1\.1 (400|501)/],
        [`POST /mcp HTTP/1.1\r\n${host}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1\.1 501/],
        [`POST /mcp HTTP/1.0\r\n${host}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /^HTTP\/1\.1 400/],
        [`GET /healthz HTTP/1.1\r\n${host}\r\nX-A: a\r\n  folded\r\n\r\n`, /^HTTP\/1\.1 400/],
        [`GET /healthz HTTP/1.1\r\n${host}\r\n${host}\r\n\r\n`, /^HTTP\/1\.1 400/],
        [`GET /healthz HTTP/1.1\r\n\r\n`, /^HTTP\/1\.1 400/]
    ];
    for (const [bytes, expected] of cases) {
        const answer = String(await rawExchange(shim.url, bytes));
        assert.match(answer, expected, bytes.split('\r\n').slice(1, 3).join(' | '));
        assert.equal(answer.match(/^HTTP\/1\.1 \d{3}/gm).length, 1, `one answer, the body never read as a request: ${answer}`);
    }
});

test('a log line is one line, whatever the method or id', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const session = await rawInitialize(shim.url);
    const forged = 'tools/call\n2030-01-01T00:00:00.000 info FORGED';
    await post(shim.url, { jsonrpc: '2.0', id: 'x\nFORGED-ID', method: forged, params: {} }, sessionHeaders(session.sessionId));
    await sleep(100);
    for (const line of shim.logs().split('\n')) assert.ok(!/^(2030|FORGED)/.test(line), `a forged line: ${line}`);
    assert.match(shim.logs(), /\\x0a2030-01-01/);
});

test('anonymous clients cannot fill the store: a DELETE always ends its session', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-session-entries', '4', '--max-entries-per-principal', '2']));
    for (let i = 0; i < 4; i++) {
        const s = await rawInitialize(shim.url);
        await post(shim.url, { jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'debug' } }, sessionHeaders(s.sessionId));
    }
    const alice = await rawInitialize(shim.url, { authorization: 'Bearer alice' });
    const level = await post(shim.url, { jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'debug' } }, { ...sessionHeaders(alice.sessionId), authorization: 'Bearer alice' });
    assert.deepEqual(level.json.result, {}, 'the anonymous flood left room for alice');
    const victim = await rawInitialize(shim.url, { authorization: 'Bearer bob' });
    const ended = await fetch(shim.url, { method: 'DELETE', headers: { ...sessionHeaders(victim.sessionId), authorization: 'Bearer bob' } });
    assert.equal(ended.status, 200);
    const reused = await post(shim.url, { jsonrpc: '2.0', id: 3, method: 'ping' }, { ...sessionHeaders(victim.sessionId), authorization: 'Bearer bob' });
    assert.equal(reused.status, 404);
});

test('a connection bound the open-file limit cannot hold is refused at start, with what to change', () => {
    const run = spawnSync('bash', ['-c', `ulimit -n 64 && exec "${shimBinary}" serve --listen 127.0.0.1:0 --upstream http://127.0.0.1:9/mcp --max-connections 1000`], { encoding: 'utf8', timeout: 10000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--max-connections 1000 .* over the hard limit of 64/);
});

// The sanitizers' own checks open a pipe to probe memory, which a process out
// of descriptors cannot: this runs against the default build only.
const sanitizersNeedDescriptors = sanitizedShim && 'the sanitizer runtime needs descriptors of its own to run its checks';
test('out of file descriptors, accepts pause and back off: no spin, one warning, serving again once fds free', { skip: sanitizersNeedDescriptors }, async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--max-connections', '1000']));
    const pid = shim.child.pid;
    const { port } = new URL(shim.url);
    // Leave the shim a few descriptors more than it holds now, as if others had taken the rest.
    const open = readdirSync(`/proc/${pid}/fd`).length;
    const lowered = spawnSync('prlimit', ['--pid', String(pid), `--nofile=${open + 4}:${open + 4}`]);
    assert.equal(lowered.status, 0, String(lowered.stderr));
    const cpu = () => {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return Number(fields[11]) + Number(fields[12]);  // utime + stime, in clock ticks
    };
    const sockets = [];
    for (let i = 0; i < 40; i++) {
        const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
        socket.on('error', () => {});
        sockets.push(socket);
    }
    await sleep(500);
    const before = cpu();
    await sleep(3000);
    const spent = cpu() - before;
    // A spinning accept loop burns all of the 3 s (300 ticks); backing off to 1 s costs next to nothing.
    assert.ok(spent < 100, `the shim spent ${spent} ticks of CPU in 3 s while out of descriptors`);
    const warnings = shim.logs().match(/accept failed: .*pausing accepts.*/g) ?? [];
    assert.equal(warnings.length, 1, 'one warning, not one line per attempt');
    assert.match(warnings[0], /raise the open-file limit or lower --max-connections/);
    for (const socket of sockets) socket.destroy();
    await sleep(1500);
    const ping = await post(shim.url, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'after', version: '1' } } });
    assert.equal(ping.status, 200, 'serving again');
    assert.match(shim.logs(), /accepting again after \d+ failed accepts?/);
});

test('a GET stream ends when its session id expires', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--session-ttl-s', '2', '--keepalive-ms', '200']));
    const session = await rawInitialize(shim.url);
    const started = Date.now();
    const stream = await fetch(shim.url, { headers: { accept: 'text/event-stream', ...sessionHeaders(session.sessionId) } });
    assert.equal(stream.status, 200);
    for await (const _ of stream.body); // until the shim ends it
    const lasted = Date.now() - started;
    assert.ok(lasted < 6000, `ended after ${lasted} ms`);
    const after = await post(shim.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, sessionHeaders(session.sessionId));
    assert.equal(after.status, 404, 'and the id is refused');
});

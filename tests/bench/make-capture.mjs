#!/usr/bin/env node
// Writes a large, realistic capture for the analyzer benchmark: many
// interleaved sessions of a tool server (initialize, tools/list with real
// schemas, tool calls with results of a few hundred bytes to several KiB,
// some answered as SSE with progress), in the recording format or as HAR.
//
// Usage: node make-capture.mjs --format recording|har --size-mb N --out FILE
import { createWriteStream } from 'node:fs';

const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
};
const format = arg('--format', 'recording');
const target = Number(arg('--size-mb', '64')) * 1024 * 1024;
const out = createWriteStream(arg('--out', `capture.${format === 'har' ? 'har' : 'jsonl'}`));
const server = 'http://10.0.0.7:8080/mcp';

// A small deterministic generator, so runs compare.
let seed = 42;
const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = list => list[Math.floor(random() * list.length)];
const WORDS = 'order invoice shipment customer product warehouse status pending delivered refund account balance'.split(' ');
const text = bytes => {
    let s = '';
    while (s.length < bytes) s += `${pick(WORDS)}-${Math.floor(random() * 100000)} `;
    return s.slice(0, bytes);
};
const TOOLS = Array.from({ length: 8 }, (_, i) => ({
    name: `tool_${i}`,
    description: text(120),
    inputSchema: { type: 'object', properties: { query: { type: 'string', description: text(60) }, limit: { type: 'integer' } }, required: ['query'] }
}));

let written = 0;
let first = true;
const write = line => {
    written += line.length + 1;
    return out.write(line + '\n') ? Promise.resolve() : new Promise(resolve => out.once('drain', resolve));
};
const now = () => new Date(Date.UTC(2026, 10, 25, 12) + written / 1000).toISOString();

let conn = 0;
let exchange = 0;
async function record(session, principal, message, answer, sse, assigned) {
    const c = ++conn;
    const x = ++exchange;
    const base = { conn: c, x, server };
    const request = { t: now(), ...base, dir: 'c2s', kind: 'request', method: 'POST', path: '/mcp', ...(session && { session }), principal, contentType: 'application/json', message };
    if (format === 'recording') {
        await write(JSON.stringify(request));
        if (!answer) return write(JSON.stringify({ t: now(), ...base, dir: 's2c', kind: 'response', status: 202 }));
        if (!sse) return write(JSON.stringify({ t: now(), ...base, dir: 's2c', kind: 'response', status: 200, ...(assigned && { session: assigned }), contentType: 'application/json', message: answer }));
        await write(JSON.stringify({ t: now(), ...base, dir: 's2c', kind: 'response', status: 200, contentType: 'text/event-stream' }));
        for (const event of [...sse, answer]) await write(JSON.stringify({ t: now(), ...base, dir: 's2c', kind: 'event', message: event }));
        return write(JSON.stringify({ t: now(), ...base, dir: 's2c', kind: 'end', complete: true }));
    }
    const body = sse ? [...sse, answer].map(m => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join('') : answer ? JSON.stringify(answer) : '';
    const entry = {
        startedDateTime: now(), time: 3,
        request: { method: 'POST', url: server, httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: 'application/json' }, ...(session ? [{ name: 'Mcp-Session-Id', value: session }] : []), { name: 'Authorization', value: `Bearer ${principal}` }], queryString: [], cookies: [], headersSize: -1, bodySize: -1, postData: { mimeType: 'application/json', text: JSON.stringify(message) } },
        response: { status: answer ? 200 : 202, statusText: '', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: sse ? 'text/event-stream' : 'application/json' }, ...(assigned ? [{ name: 'Mcp-Session-Id', value: assigned }] : [])], cookies: [], content: { size: body.length, mimeType: sse ? 'text/event-stream' : 'application/json', text: body }, redirectURL: '', headersSize: -1, bodySize: -1 },
        cache: {}, timings: { send: 0, wait: 3, receive: 0 }
    };
    const line = (first ? '' : ',') + JSON.stringify(entry);
    first = false;
    written += line.length;
    return out.write(line) ? Promise.resolve() : new Promise(resolve => out.once('drain', resolve));
}

const answers = new Map();

// One step of a session; returns false when it is over.
function* sessionSteps(index) {
    const session = `sess-${index.toString(16).padStart(8, '0')}-${Math.floor(random() * 1e9).toString(16)}`;
    const principal = `user-${index % 500}`;
    yield [null, principal, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'agent', version: '3.1.0' } } },
        { jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'bench-orders', version: '2.0.0' } } }, null, session];
    yield [session, principal, { jsonrpc: '2.0', method: 'notifications/initialized' }, null, null];
    yield [session, principal, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { jsonrpc: '2.0', id: 1, result: { tools: TOOLS } }, null];
    const calls = 6 + Math.floor(random() * 14);
    for (let id = 2; id < 2 + calls; id++) {
        const tool = pick(TOOLS).name;
        // A stateless server: the same query gets the same answer.
        const query = text(40);
        const key = `${tool} ${query}`;
        if (!answers.has(key)) {
            if (answers.size > 100000) answers.clear();
            answers.set(key, { content: [{ type: 'text', text: text(200 + Math.floor(random() * 6000)) }] });
        }
        const result = answers.get(key);
        const sse = random() < 0.3 ? [{ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: id, progress: 1, total: 2 } }] : null;
        yield [session, principal, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: { query, limit: 10 }, _meta: sse ? { progressToken: id } : undefined } },
            { jsonrpc: '2.0', id, result }, sse];
    }
}

if (format === 'recording') await write(JSON.stringify({ format: 'mcpshim-recording', version: 1, upstream: server, t: now() }));
else {
    const head = '{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":[';
    written += head.length;
    out.write(head);
}
// 64 sessions in flight at once, interleaved.
const live = [];
let next = 0;
while (written < target) {
    while (live.length < 64) live.push(sessionSteps(next++));
    const i = Math.floor(random() * live.length);
    const step = live[i].next();
    if (step.done) {
        live.splice(i, 1);
        continue;
    }
    const [session, principal, message, answer, sse, assigned] = step.value;
    await record(session ?? null, principal, message, answer, sse, assigned);
}
if (format === 'har') out.write(']}}\n');
out.end();
await new Promise(resolve => out.on('finish', resolve));
console.error(`wrote ${(written / 1048576).toFixed(0)} MiB, ${next} sessions`);

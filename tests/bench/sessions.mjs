#!/usr/bin/env node
// Legacy clients in bulk, for the memory and latency rows of the benchmark.
//   node sessions.mjs init URL                  one session; prints its id
//   node sessions.mjs idle URL N                N sessions (initialize only); prints "ready N"
//   node sessions.mjs streams URL N [distinct]  N sessions each holding a GET stream; prints "ready N", holds.
//                                               Alike, they are one client application (one shared upstream
//                                               listen); "distinct" gives each its own client version.
//   node sessions.mjs latency URL NOTIFY_URL K  K notifications upstream -> GET stream; prints the median ms
import http from 'node:http';

const [mode, url, count, extra] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(method, target, body, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request(target, { method, agent, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, res => {
            const chunks = [];
            res.on('data', c => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        if (body) req.write(JSON.stringify(body));
        req.end();
    });
}

async function initialize(version = '1') {
    const answer = await request('POST', url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version } } });
    const session = answer.headers['mcp-session-id'];
    await request('POST', url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
    return session;
}

async function inBatches(n, make) {
    const out = [];
    for (let i = 0; i < n; i += 64) out.push(...(await Promise.all(Array.from({ length: Math.min(64, n - i) }, (_, j) => make(i + j)))));
    return out;
}

// Opens a GET stream; calls onEvent for each SSE data line.
function openStream(session, onEvent) {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method: 'GET', agent: false, headers: { accept: 'text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } }, res => {
            res.on('data', chunk => {
                for (const line of chunk.toString().split('\n')) if (line.startsWith('data:')) onEvent(line);
            });
            resolve(res);
        });
        req.on('error', reject);
        req.end();
    });
}

if (mode === 'init') {
    console.log(await initialize());
} else if (mode === 'idle') {
    await inBatches(Number(count), () => initialize());
    console.log(`ready ${count}`);
} else if (mode === 'streams') {
    const sessions = await inBatches(Number(count), i => initialize(extra === 'distinct' ? String(i) : '1'));
    for (let i = 0; i < sessions.length; i += 64) await Promise.all(sessions.slice(i, i + 64).map(s => openStream(s, () => {})));
    console.log(`ready ${count}`);
    await new Promise(resolve => process.stdin.on('end', resolve).resume());
    process.exit(0);
} else if (mode === 'latency') {
    const session = await initialize();
    let arrived;
    await openStream(session, line => line.includes('list_changed') && arrived?.());
    await new Promise(r => setTimeout(r, 300));  // the upstream listen is open
    const samples = [];
    for (let i = 0; i < Number(extra); i++) {
        const got = new Promise(resolve => (arrived = resolve));
        const start = process.hrtime.bigint();
        await request('POST', count, {});
        await got;
        samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        await new Promise(r => setTimeout(r, 20));
    }
    samples.sort((a, b) => a - b);
    console.log(samples[Math.floor(samples.length / 2)].toFixed(3));
    process.exit(0);
}

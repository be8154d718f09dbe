#!/usr/bin/env node
// A faulty path to a real modern server, for the soak: forwards every request
// to --target and, for a share of the requests other than server/discover,
// injects a fault instead: a reset after the first bytes, a stall, or garbage.
//   chaos-upstream.mjs --target URL [--fault-share 0.1]
import http from 'node:http';
import { argValue } from '../../fixtures/lib/serve-fetch-handler.mjs';

const target = argValue('--target', '');
const share = Number(argValue('--fault-share', '0.1'));
const faults = ['reset', 'stall', 'garbage'];

const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    let method = '';
    try {
        method = JSON.parse(body.toString()).method ?? '';
    } catch {}
    if (method !== 'server/discover' && method !== 'subscriptions/listen' && Math.random() < share) {
        const fault = faults[Math.floor(Math.random() * faults.length)];
        if (fault === 'garbage') {
            res.writeHead(200, { 'content-type': 'application/json' });
            return res.end('\x00\xffnot json at all');
        }
        if (fault === 'reset') {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write(': partial\n');
            return setTimeout(() => res.socket.destroy(), 10);
        }
        return; // stall: the shim's --upstream-timeout-ms answers for us
    }
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    try {
        const answer = await fetch(target, { method: req.method, headers, body: req.method === 'POST' ? body : undefined, duplex: 'half' });
        const passed = Object.fromEntries([...answer.headers].filter(([name]) => !['transfer-encoding', 'content-length', 'connection', 'keep-alive', 'content-encoding'].includes(name)));
        res.writeHead(answer.status, passed);
        if (answer.body) for await (const chunk of answer.body) res.write(chunk);
        res.end();
    } catch {
        res.socket?.destroy();
    }
});
server.keepAliveTimeout = 2000;
server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${port}/mcp`, port }) + '\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

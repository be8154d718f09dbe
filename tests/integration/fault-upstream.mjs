#!/usr/bin/env node
// A deliberately broken 2026-07-28 upstream, for faults a real server does
// not produce on demand. server/discover is answered properly (so a shim
// session can start); every other request meets the fault named by --mode:
//   reset-mid-stream  SSE headers, one progress notification, then the socket is destroyed
//   stall             accepts the request and never answers
//   garbage           200 with a body that is not JSON
//   legacy            answers everything as a 2025-era server that wants initialize (400, plain text)
//   listen-drops      subscriptions/listen: acknowledges, sends one tools/list_changed, then hangs up
import http from 'node:http';
import { argValue } from '../../fixtures/lib/serve-fetch-handler.mjs';

const mode = argValue('--mode', 'reset-mid-stream');
const discover = id => ({
    jsonrpc: '2.0',
    id,
    result: {
        supportedVersions: ['2026-07-28'],
        capabilities: { tools: { listChanged: true } },
        resultType: 'complete',
        ttlMs: 0,
        cacheScope: 'public',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: `fault-${mode}`, version: '0' } }
    }
});

let listens = 0;
const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const message = body ? JSON.parse(body) : {};
    if (mode === 'legacy') {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return res.end('Bad Request: Server not initialized');
    }
    if (message.method === 'server/discover') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(discover(message.id)));
    }
    if (mode === 'listen-drops' && message.method === 'subscriptions/listen') {
        const meta = { 'io.modelcontextprotocol/subscriptionId': message.id };
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const event = m => res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...m })}\n\n`);
        event({ method: 'notifications/subscriptions/acknowledged', params: { notifications: { toolsListChanged: true }, _meta: meta } });
        event({ method: 'notifications/tools/list_changed', params: { _meta: meta } });
        listens += 1;
        return setTimeout(() => res.end(), 100);
    }
    if (mode === 'stall') return; // never answers
    if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('<html>this is not JSON</html>');
    }
    // reset-mid-stream
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const token = message.params?._meta?.progressToken ?? 'none';
    res.write(
        `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2 } })}\n\n`
    );
    setTimeout(() => res.socket.destroy(), 50);
});
server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${port}/mcp`, port }) + '\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

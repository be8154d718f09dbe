#!/usr/bin/env node
// A hostile or broken 2026-07-28 upstream on a raw socket, for byte-exact
// faults an HTTP library would not send. server/discover is answered
// properly; tools/call picks the fault by the tool's name:
//   deep          a result nested 70,000 deep
//   deep-sse      an SSE notification nested 70,000 deep, then a result
//   smuggle       a complete answer followed by a second, unasked-for response
//   binary-500    HTTP 500 whose body is binary, cut inside a UTF-8 character
//   early-hints   103 Early Hints, then the real answer
//   comments      an SSE stream that sends only comments, forever
//   wrong-type    a response whose "error" is a string
//   wrong-sse     an SSE stream whose notification has array params, then a result that is an array
//   anything else an ordinary result echoing the tool's name
import net from 'node:net';

const deep = depth => '['.repeat(depth) + ']'.repeat(depth);
const discover = id => ({
    jsonrpc: '2.0',
    id,
    result: {
        supportedVersions: ['2026-07-28'],
        capabilities: { tools: {} },
        resultType: 'complete',
        ttlMs: 0,
        cacheScope: 'public',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'hostile', version: '0' } }
    }
});
const result = (id, text) => ({ jsonrpc: '2.0', id, result: { resultType: 'complete', content: [{ type: 'text', text }] } });
const response = (status, type, body, extra = '') =>
    Buffer.concat([
        Buffer.from(`HTTP/1.1 ${status}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`),
        Buffer.isBuffer(body) ? body : Buffer.from(body)
    ]);
const json = (id, value) => response('200 OK', 'application/json', JSON.stringify(value));

function answer(socket, message) {
    const id = message.id;
    if (message.method === 'server/discover') return socket.write(json(id, discover(id)));
    if (message.method !== 'tools/call') return socket.write(json(id, { jsonrpc: '2.0', id, result: { resultType: 'complete', tools: [] } }));
    const name = message.params?.name;
    if (name === 'deep')
        return socket.write(response('200 OK', 'application/json', `{"jsonrpc":"2.0","id":${id},"result":${deep(70000)}}`));
    if (name === 'deep-sse') {
        const event = `event: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":${deep(70000)}}\n\n`;
        const last = `event: message\ndata: ${JSON.stringify(result(id, 'after deep'))}\n\n`;
        return socket.write(response('200 OK', 'text/event-stream', event + last));
    }
    if (name === 'smuggle') {
        const smuggled = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'error', data: 'SMUGGLED' } };
        socket.write(json(id, result(id, 'first')));
        return setTimeout(() => socket.write(json(id + 1, smuggled)), 20);
    }
    if (name === 'binary-500')
        return socket.write(response('500 Internal Server Error', 'text/html', Buffer.concat([Buffer.alloc(295, 'x'), Buffer.from([0xff, 0xfe, 0x00, 0xe4, 0xb8, 0x96, 0xe4, 0xb8])])));
    if (name === 'early-hints') {
        socket.write('HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n');
        return setTimeout(() => socket.write(json(id, result(id, 'after hints'))), 20);
    }
    if (name === 'comments') {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
        const data = ': still here\n\n';
        const comment = () => !socket.destroyed && socket.write(`${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`);
        const timer = setInterval(comment, 50);
        return socket.on('close', () => clearInterval(timer));
    }
    if (name === 'wrong-type') return socket.write(json(id, { jsonrpc: '2.0', id, error: 'boom' }));
    if (name === 'wrong-sse') {
        const events = [{ jsonrpc: '2.0', method: 'notifications/progress', params: [1] }, { jsonrpc: '2.0', id, result: [1] }];
        return socket.write(response('200 OK', 'text/event-stream', events.map(e => `data: ${JSON.stringify(e)}\n\n`).join('')));
    }
    return socket.write(json(id, result(id, `plain ${name}`)));
}

const server = net.createServer(socket => {
    let buffered = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', chunk => {
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
            const end = buffered.indexOf('\r\n\r\n');
            if (end < 0) return;
            const head = buffered.subarray(0, end).toString();
            const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
            if (buffered.length < end + 4 + length) return;
            const body = buffered.subarray(end + 4, end + 4 + length).toString();
            buffered = buffered.subarray(end + 4 + length);
            answer(socket, JSON.parse(body));
        }
    });
});
server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(JSON.stringify({ listening: `http://127.0.0.1:${port}/mcp`, port }) + '\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

#!/usr/bin/env node
// The benchmark's logical server over stdio (legacy protocol), for peers that
// need a stdio upstream: it answers initialize, tools/list and tools/call
// (echo) the way bench_upstream does, line by line, with nothing else.
import readline from 'node:readline';

const send = message => process.stdout.write(JSON.stringify(message) + '\n');
for await (const line of readline.createInterface({ input: process.stdin })) {
    let message;
    try {
        message = JSON.parse(line);
    } catch {
        continue;
    }
    if (message.id === undefined || !message.method) continue;
    const { id, method, params } = message;
    if (method === 'initialize')
        send({ jsonrpc: '2.0', id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bench-stdio', version: '1' } } });
    else if (method === 'tools/list')
        send({ jsonrpc: '2.0', id, result: { tools: [{ name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] } });
    else if (method === 'tools/call') send({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: params.arguments?.text ?? '' }] } });
    else if (method === 'ping') send({ jsonrpc: '2.0', id, result: {} });
    else send({ jsonrpc: '2.0', id, error: { code: -32601, message: 'no such method' } });
}

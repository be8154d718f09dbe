#!/usr/bin/env node
// The soak: a mixed load on one shim (the ASan build) while a chaos upstream
// injects resets, stalls and garbage, for --minutes. Checks that every request
// got an answer (a result, a JSON-RPC error, or an HTTP error with its reason)
// and never silence, that resident memory stays flat after warm-up, that no
// file descriptor leaks, and that LeakSanitizer finds nothing at exit.
//   soak.mjs --shim BINARY --minutes N [--workers W]
import { readFileSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';

import { Client, ElicitRequestSchema, SSEClientTransport, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { argValue } from '../../fixtures/lib/serve-fetch-handler.mjs';
import { post, processGroup, rawExchange, rawInitialize, startFixture } from '../integration/harness.mjs';
import { startChaos, startSoakShim } from './processes.mjs';

const minutes = Number(argValue('--minutes', '3'));
const workers = Number(argValue('--workers', '8'));
const deadline = Date.now() + minutes * 60000;
const counts = { requests: 0, results: 0, errors: 0, unanswered: 0 };
const unansweredSamples = [];
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// An SDK call: answered when it resolves, or fails with a JSON-RPC error or an
// HTTP status; unanswered when the connection dies or nothing comes in time.
async function counted(promise) {
    counts.requests += 1;
    try {
        await promise;
        counts.results += 1;
    } catch (error) {
        const text = String(error?.message ?? error);
        // -32001 is the SDK's own timeout: nothing came back in time.
        if (typeof error?.code === 'number' && error.code !== -32001) counts.errors += 1;
        else if (/HTTP [45]\d\d|\(HTTP [45]\d\d\)|Error POSTing|Unexpected content type|Error (sending|opening)/.test(text)) counts.errors += 1;
        else {
            counts.unanswered += 1;
            if (unansweredSamples.length < 10) unansweredSamples.push(text.slice(0, 200));
        }
    }
}

async function rawCounted(promise) {
    counts.requests += 1;
    const bytes = await promise;
    if (/^HTTP\/1\.1 \d{3}/.test(String(bytes))) counts.errors += 1;
    else {
        counts.unanswered += 1;
        if (unansweredSamples.length < 10) unansweredSamples.push('raw: no HTTP answer');
    }
}

const options = { timeout: 20000 };
async function legacySession(url) {
    const client = new Client({ name: 'soak', version: '1' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { username: 'soak', email: 's@o.ak' } }));
    const transport = new StreamableHTTPClientTransport(new URL(url));
    try {
        await client.connect(transport);
    } catch (error) {
        return counted(Promise.reject(error));
    }
    await counted(client.listTools(undefined, options));
    await counted(client.callTool({ name: 'echo', arguments: { text: 'soak' } }, undefined, options));
    await counted(client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, { ...options, onprogress: () => {} }));
    await counted(client.callTool({ name: 'test_elicitation', arguments: { message: 'who?' } }, undefined, options));
    if (Math.random() < 0.5) await counted(transport.terminateSession());
    await client.close().catch(() => {});
}

async function httpSseSession(url) {
    const client = new Client({ name: 'soak-sse', version: '1' });
    try {
        await client.connect(new SSEClientTransport(new URL('/sse', url)));
    } catch (error) {
        return counted(Promise.reject(error));
    }
    await counted(client.callTool({ name: 'echo', arguments: { text: 'sse' } }, undefined, options));
    await client.close().catch(() => {});
}

async function badInput(url) {
    const { port } = new URL(url);
    const host = `Host: 127.0.0.1:${port}`;
    const attacks = [
        `POST /mcp HTTP/1.1\r\n${host}\r\nTransfer-Encoding: xchunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
        `POST /mcp HTTP/1.1\r\nHost: 127.attacker.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
        `POST /mcp HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nOrigin: http://\xff\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
        `POST /mcp HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"a":1,"a`
    ];
    await rawCounted(rawExchange(url, Buffer.from(attacks[Math.floor(Math.random() * attacks.length)], 'latin1'), 5000));
    const keys = Array.from({ length: 12000 }, (_, i) => `"k${i}":0`).join(',');
    counts.requests += 1;
    const refused = await post(url, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{${keys}}}`).catch(() => null);
    if (refused?.json?.error) counts.errors += 1;
    else counts.unanswered += 1;
}

async function abandonedCall(url) {
    const session = await rawInitialize(url, {}, '2025-11-25', { elicitation: {} }).catch(() => null);
    if (!session?.sessionId) return;
    const { port } = new URL(url);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_elicitation', arguments: {} } });
    await new Promise(resolve => {
        const socket = createConnection({ host: '127.0.0.1', port: Number(port) }, () =>
            socket.write(
                `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
                    `Mcp-Session-Id: ${session.sessionId}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
            )
        );
        const timer = setTimeout(() => socket.destroy(), 300 + Math.random() * 700);
        socket.on('close', () => {
            clearTimeout(timer);
            resolve();
        });
        socket.on('error', () => {});
    });
}

async function worker(url) {
    const scenarios = [legacySession, legacySession, legacySession, httpSseSession, badInput, abandonedCall];
    while (Date.now() < deadline) await scenarios[Math.floor(Math.random() * scenarios.length)](url);
}

function sample(pid) {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024, fds: readdirSync(`/proc/${pid}/fd`).length, at: Date.now() };
}

const t = { after: fn => (t.cleanup = fn) };
const start = processGroup(t);
const fixture = await start(startFixture());
const chaos = await start(startChaos(fixture.url));
const shim = await startSoakShim(argValue('--shim', ''), [chaos.url, fixture.url]);
const samples = [];
const sampler = setInterval(() => samples.push(sample(shim.child.pid)), 2000);
await Promise.all(Array.from({ length: workers }, () => worker(shim.url)));
await sleep(5000);
samples.push(sample(shim.child.pid));
clearInterval(sampler);
const exit = await shim.stop();
await t.cleanup();

const mean = list => list.reduce((sum, s) => sum + s.rss, 0) / Math.max(1, list.length);
const quarter = Math.floor(samples.length / 4);
const warm = samples.slice(quarter, 2 * quarter);
const late = samples.slice(3 * quarter, samples.length - 1);
const peak = Math.max(...samples.map(s => s.rss));
const final = samples[samples.length - 1];
const warmFds = Math.max(...warm.map(s => s.fds), samples[0].fds);
const leak = /LeakSanitizer|AddressSanitizer/.test(shim.logs());
console.log(
    `soak: ${minutes} min, ${counts.requests} requests (${counts.results} results, ${counts.errors} errors), ` +
        `${counts.unanswered} unanswered; RSS warm ${mean(warm).toFixed(1)} MiB, late ${mean(late).toFixed(1)} MiB, ` +
        `peak ${peak.toFixed(1)} MiB, final ${final.rss.toFixed(1)} MiB; fds warm ${warmFds}, final ${final.fds}; ` +
        `exit ${exit}, sanitizer reports ${leak ? 'yes' : 'none'}`
);
const failures = [];
if (counts.requests === 0) failures.push('no request was made');
if (counts.unanswered > 0) failures.push(`unanswered requests: ${unansweredSamples.join(' | ')}`);
if (mean(late) > mean(warm) * 1.25 + 16) failures.push('resident memory grew after warm-up');
if (final.fds > warmFds + 32) failures.push('file descriptors leaked');
if (leak || exit !== 0) failures.push(`the shim exited with ${exit}: ${shim.logs().split('\n').filter(l => /Sanitizer|ERROR/.test(l)).slice(0, 5).join(' | ')}`);
if (failures.length) {
    console.log(`soak failed: ${failures.join('; ')}`);
    process.exit(1);
}

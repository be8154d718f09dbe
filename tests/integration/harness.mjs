// Starts real processes for a test: modern fixture servers (official v2 SDK),
// fault-injecting upstreams, and mcpshim, each on a free loopback port, and
// stops them when the test ends.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const shimBinary = process.env.MCPSHIM_BIN ?? path.join(root, 'build/default/shim/mcpshim');
// Whether the shim under test is the AddressSanitizer + UBSan build.
export const sanitizedShim = /libasan|libubsan/.test(spawnSync('ldd', [shimBinary], { encoding: 'utf8' }).stdout ?? '');

async function startProcess(command, args, { env } = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', chunk => (stderr += chunk));
    let buffered = '';
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${command} did not start in 10 s: ${stderr}`)), 10000);
        child.stdout.on('data', chunk => {
            buffered += chunk;
            const line = buffered.split('\n').find(l => l.includes('"listening"'));
            if (line) {
                clearTimeout(timer);
                resolve(JSON.parse(line).listening);
            }
        });
        child.on('exit', code => {
            clearTimeout(timer);
            reject(new Error(`${command} exited with ${code}: ${stderr}`));
        });
    });
    return {
        url,
        child,
        logs: () => stderr,
        async stop() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill('SIGTERM');
            await once(child, 'exit');
        }
    };
}

export function startFixture(name = 'modern-everything', extraArgs = []) {
    return startProcess(process.execPath, [path.join(root, 'fixtures/servers/modern-everything/server.mjs'), '--name', name, ...extraArgs]);
}

export function startFaultUpstream(mode) {
    return startProcess(process.execPath, [path.join(here, 'fault-upstream.mjs'), '--mode', mode]);
}

export function startShim(upstreams, extraArgs = [], env = {}) {
    const args = ['serve', '--listen', '127.0.0.1:0', ...upstreams.flatMap(u => ['--upstream', u]), ...extraArgs];
    return startProcess(shimBinary, args, { env });
}

// Collects processes started in a test and stops them all afterwards.
export function processGroup(t) {
    const started = [];
    t.after(async () => {
        for (const p of started.reverse()) await p.stop();
    });
    return async promise => {
        const p = await promise;
        started.push(p);
        return p;
    };
}

// A raw POST, for what an SDK client would never send.
export async function post(url, body, headers = {}) {
    const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body)
    });
    const text = await response.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
}

export async function rawInitialize(url, headers = {}, protocolVersion = '2025-11-25', capabilities = {}) {
    const response = await post(
        url,
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion, capabilities, clientInfo: { name: 'raw', version: '1' } } },
        headers
    );
    return { ...response, sessionId: response.headers.get('mcp-session-id') };
}

// `mcpshim stdio` driven line by line: JSON lines out, parsed lines in.
// `answer(id)` waits for the response to request `id`.
export function rawStdio(t, args, env = {}) {
    const child = spawn(shimBinary, ['stdio', ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    const lines = [];
    let buffered = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop();
        lines.push(...parts.filter(Boolean).map(line => JSON.parse(line)));
    });
    child.stderr.on('data', chunk => (stderr += chunk));
    const send = message => child.stdin.write(JSON.stringify(message) + '\n');
    const answer = async (id, timeoutMs = 10000) => {
        for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise(r => setTimeout(r, 25))) {
            const found = lines.find(line => line.id === id && !line.method);
            if (found) return found;
        }
        throw new Error(`no answer to #${id}; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`);
    };
    return { child, lines, send, answer, stderr: () => stderr };
}

export function startHostileUpstream() {
    return startProcess(process.execPath, [path.join(here, 'hostile-upstream.mjs')]);
}

// Writes raw bytes to a URL's host and port and reads until the peer closes
// or `ms` pass: for requests no HTTP client would send.
export async function rawExchange(url, bytes, ms = 3000) {
    const { createConnection } = await import('node:net');
    const { hostname, port } = new URL(url);
    return new Promise(resolve => {
        const chunks = [];
        const socket = createConnection({ host: hostname, port: Number(port) }, () => socket.write(bytes));
        const done = () => resolve(Buffer.concat(chunks));
        const timer = setTimeout(() => {
            socket.destroy();
            done();
        }, ms);
        socket.on('data', chunk => chunks.push(chunk));
        socket.on('error', () => {});
        socket.on('close', () => {
            clearTimeout(timer);
            done();
        });
    });
}

// A process's log lines reach us after its answers: wait (up to `ms`) for one
// that matches.
export async function logged(process, pattern, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!pattern.test(process.logs()) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 25));
    return process.logs();
}
